// expect-error: TS2322
// A registered row describes a failure: its category cannot be "ok".
import { registerVendor } from "backup-errors";
registerVendor({ id: "rubrik", codes: [{ code: "E1", category: "ok", action: "do_not_retry", summary: "s" }] });
