// expect-error: TS2322
// A vendor's code type holds only its documented codes.
import type { VeeamCode } from "backup-errors";
const c: VeeamCode = "nope";
void c;
