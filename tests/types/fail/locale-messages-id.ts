// expect-error: TS2551
// messages() is keyed by the reasons' ids: a misspelt id is not one of them.
import { messages } from "backup-errors";
console.log(messages("de")["rule.5xx-backof"].length);
