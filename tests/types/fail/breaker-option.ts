// expect-error: TS2561
// A misspelt breaker option does not compile.
import { CircuitBreaker } from "backup-errors";
new CircuitBreaker({ failureTreshold: 5 });
