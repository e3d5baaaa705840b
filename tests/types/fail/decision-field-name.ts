// expect-error: TS2551
// A RetryDecision has no `delay` field (it is `delayMs`).
import { RetryPolicy, classify } from "backup-errors";
const d = new RetryPolicy().decide(classify({ status: 503 }));
console.log(d.delay);
