// A strict consumer of the package's types: this file must compile in ESM, CJS and bundler
// resolution. Every field is typed precisely (no any), literal unions narrow.
import { classify, classifyResponse, explain, catalog } from "backup-errors";
import type { Classification, CatalogEntry, Vendor, Category, Action, ErrorInput, ItemError } from "backup-errors";

const input: ErrorInput = { status: 503, headers: { "retry-after": "2" }, body: null, vendor: "veeam" };
const c: Classification = classify(input);
const category: Category = c.category;
const action: Action = c.action;
const vendor: Vendor = c.vendor;
const wait: number | null = c.retryAfterMs;
const code: string | null = c.code;
const first: ItemError | undefined = c.items[0];
if (c.action === "wait_and_retry") {
  const busy: "wait_and_retry" = c.action;
  void busy;
}
classify({ status: 429, headers: new Headers() });
classify({ status: 429, headers: [["retry-after", "1"]] });
classify({ status: 200, body: new Uint8Array(0) });
classify({ status: 400, body: { errorCode: "127" } });

const entry: CatalogEntry | null = explain("acronis", 1001);
const entries: CatalogEntry[] = catalog("huawei");
const all: CatalogEntry[] = catalog();
const status: number | null = entries[0]?.status ?? null;

async function fromFetch(r: Response): Promise<boolean> {
  const result = await classifyResponse(r, { vendor: "microsoft365", method: "POST" });
  return result.retryable;
}
void [category, action, vendor, wait, code, first, entry, all, status, fromFetch];
