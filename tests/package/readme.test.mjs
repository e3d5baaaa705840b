// Every example marked <!-- test: esm --> or <!-- test: cjs --> in README.md and in docs/*.md
// runs as written against the installed tarball (its assertions use node:assert). The examples
// of docs/fleet.md talk to Redis: REDIS_URL names a redis-server this file starts, and stops by
// its pid.
import { test, before, after } from "node:test";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { startRedis } from "./fleet/support.mjs";

let redis;
before(async () => {
  redis = await startRedis();
});
after(() => redis?.stop());

const repo = process.env.BACKUP_ERRORS_REPO;
const files = ["README.md", ...readdirSync(join(repo, "docs")).filter((name) => name.endsWith(".md")).sort().map((name) => `docs/${name}`)];
const pages = files.map((file) => {
  const text = readFileSync(join(repo, file), "utf8");
  return {
    file,
    markers: text.match(/<!-- test: (esm|cjs) -->/g)?.length ?? 0,
    blocks: [...text.matchAll(/<!-- test: (esm|cjs) -->\s*```\w*\n([\s\S]*?)```/g)],
  };
});

test("the README has runnable examples", () => {
  const readme = pages[0];
  if (readme.blocks.length < 2) throw new Error(`expected at least 2 tested examples in README.md, found ${readme.blocks.length}`);
});

test("every <!-- test: esm|cjs --> marker is followed by a code block", () => {
  for (const { file, markers, blocks } of pages) {
    if (markers !== blocks.length) throw new Error(`${file}: ${markers} markers, but ${blocks.length} of them are followed by a code block`);
  }
});

for (const { file, blocks } of pages) {
  for (const [i, [, kind, code]] of blocks.entries()) {
    test(`${file} example ${i + 1} (${kind}) runs`, () => {
      const name = file.replace(/\.md$/, "").replace(/[^A-Za-z0-9]+/g, "-").toLowerCase();
      const script = join(process.cwd(), `example-${name}-${i + 1}.${kind === "esm" ? "mjs" : "cjs"}`);
      writeFileSync(script, code);
      execFileSync(process.execPath, [script], { stdio: "pipe", timeout: 30_000, env: { ...process.env, REDIS_URL: redis.url } });
    });
  }
}
