// expect-error: TS2561
// The plug-ins' options are the executors' options: a misspelt one does not compile.
import { gotRetry } from "backup-errors/got";
gotRetry({ maxAttemps: 3 });
