// expect-error: TS2367
// Categories are a literal union: comparing with a misspelt one is an error.
import { classify } from "backup-errors";
if (classify({ status: 500 }).category === "server-error") {
}
