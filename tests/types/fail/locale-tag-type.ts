// expect-error: TS2345
// A language is named by its tag, a string.
import { setLocale } from "backup-errors";
setLocale(49);
