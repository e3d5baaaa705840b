// expect-error: TS2322
// A registered row's category is a literal of the taxonomy.
import { registerVendor } from "backup-errors";
registerVendor({ id: "rubrik", codes: [{ code: "E1", category: "retry", action: "retry", summary: "s" }] });
