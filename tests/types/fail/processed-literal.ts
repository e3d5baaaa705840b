// expect-error: TS2322
// processed is a literal union.
import type { Processed } from "backup-errors";
const p: Processed = "perhaps";
void p;
