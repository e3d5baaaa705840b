// expect-error: TS2345
// retry() passes (attempt: number, signal: AbortSignal): a function expecting a string cannot be given.
import { retry } from "backup-errors";
retry(async (attempt: string) => attempt);
