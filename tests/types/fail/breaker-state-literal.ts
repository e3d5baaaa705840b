// expect-error: TS2367
// A breaker's state is a literal union: "opened" is none of its states.
import { CircuitBreaker } from "backup-errors";
const breaker = new CircuitBreaker();
if (breaker.state === "opened") console.log("never");
