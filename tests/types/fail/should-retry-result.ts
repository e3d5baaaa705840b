// expect-error: TS2322
// shouldRetry answers true, false or undefined: nothing else.
import { fetchWithRetry } from "backup-errors";
void fetchWithRetry("https://x.example/", undefined, { shouldRetry: () => "yes" });
