// expect-error: TS2345
// `status` is required.
import { classify } from "backup-errors";
classify({ body: "x" });
