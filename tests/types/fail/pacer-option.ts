// expect-error: TS2561
// A misspelt pacer option does not compile.
import { Pacer } from "backup-errors";
new Pacer({ maxWait: 30_000 });
