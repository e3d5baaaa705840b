// The coordinators the executors accept. backup-errors/redis (plugins/redis.js) registers the
// state of each RedisCoordinator here, and `Call` (executor.js) looks it up, so the executor
// drives a coordinated call without importing the Redis code (which imports the executor's
// sleep). The state's methods: `admit(call, signal)` before each attempt, `step(trial,
// classification)` when an attempt is judged, `finish(settle)` when the call ends, and
// `budget`, the local copy of the shared budget's numbers.
import { failure } from "./core.js";

const fleets = new WeakMap(); // RedisCoordinator → its state

/** Registers a coordinator's state (plugins/redis.js). */
export function registerFleet(coordinator, state) {
  fleets.set(coordinator, state);
}

/** The state of a coordinator, or the BackupErrorsError (ERR_INVALID_ARGUMENT) for anything else. */
export function fleetState(coordinator) {
  const state = fleets.get(coordinator);
  if (state === undefined) throw failure("argument", "coordinator", "a RedisCoordinator from backup-errors/redis", coordinator);
  return state;
}
