// registerVendor's types: a definition of your own, rows for a built-in vendor, and the
// widened Vendor, which accepts a registered id and keeps the built-in literals.
import { registerVendor, classify, explain, catalog } from "backup-errors";
import type { BuiltInVendor, CodeDefinition, Vendor, VendorDefinition } from "backup-errors";

const notFound: CodeDefinition = {
  code: "ObjectNotFound",
  status: 404,
  category: "not_found",
  action: "fix_request",
  summary: "The object does not exist.",
  remediation: "Check the object's id.",
};
const rubrik: VendorDefinition = {
  id: "rubrik",
  detect: { fields: ["errorType"] },
  code: "/errorType",
  message: "/message",
  requestId: "/traceId",
  codes: [notFound, { code: 7001, category: "busy", action: "wait_and_retry", summary: "Busy." }],
};
const nothing: void = registerVendor(rubrik);
registerVendor({ id: "veeam", codes: [{ code: "4002", category: "server_error", action: "do_not_retry", summary: "Not retried here." }] });
const frozen = { id: "acme", detect: { fields: ["kind"] }, codes: [] } as const;
registerVendor(frozen);

const registered: Vendor = "rubrik";
const builtIn: BuiltInVendor = "veeam";
const widened: Vendor = builtIn;
const c = classify({ status: 404, vendor: registered, body: { errorType: "ObjectNotFound" } });
const id: string = c.vendor;
const isVeeam: boolean = c.vendor === "veeam";
const row = explain("rubrik", "ObjectNotFound");
const rows = catalog("rubrik");
void [nothing, widened, id, isVeeam, row, rows];
