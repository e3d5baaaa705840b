// expect-error: TS2322
// Jitter modes are a literal union.
import { RetryPolicy } from "backup-errors";
new RetryPolicy({ jitter: "random" });
