// backup-errors/redis: one server wait and one retry budget for a fleet of processes, on Redis.
export { RedisCoordinator, type RedisCoordinatorOptions, type RedisClientLike, type CoordinatorErrorInfo } from "./index.js";
