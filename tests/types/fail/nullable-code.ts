// expect-error: TS2322
// `code` can be null: assigning it to a plain string must not compile under --strict.
import { classify } from "backup-errors";
const code: string = classify({ status: 500 }).code;
void code;
