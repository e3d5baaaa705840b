// expect-error: TS2322
// A vendor outside the union must not compile.
import { classify } from "backup-errors";
classify({ status: 500, vendor: "oracle" });
