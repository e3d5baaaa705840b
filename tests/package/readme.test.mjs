// Every README example marked <!-- test: esm --> or <!-- test: cjs --> runs as written
// against the installed tarball (its assertions use node:assert). The examples of "Running a
// fleet" talk to Redis: REDIS_URL names a redis-server this file starts, and stops by its pid.
import { test, before, after } from "node:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { startRedis } from "./fleet/support.mjs";

let redis;
before(async () => {
  redis = await startRedis();
});
after(() => redis?.stop());

const readme = readFileSync(join(process.env.BACKUP_ERRORS_REPO, "README.md"), "utf8");
const blocks = [...readme.matchAll(/<!-- test: (esm|cjs) -->\s*```\w*\n([\s\S]*?)```/g)];

test("the README has runnable examples", (t) => {
  if (blocks.length < 2) throw new Error(`expected at least 2 tested examples, found ${blocks.length}`);
});

for (const [i, [, kind, code]] of blocks.entries()) {
  test(`README example ${i + 1} (${kind}) runs`, () => {
    const file = join(process.cwd(), `readme-example-${i + 1}.${kind === "esm" ? "mjs" : "cjs"}`);
    writeFileSync(file, code);
    execFileSync(process.execPath, [file], { stdio: "pipe", timeout: 30_000, env: { ...process.env, REDIS_URL: redis.url } });
  });
}
