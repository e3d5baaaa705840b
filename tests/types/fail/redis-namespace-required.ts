// expect-error: TS2345
// A RedisCoordinator needs the namespace its fleet shares the wait and the budget under.
import { Redis } from "ioredis";
import { RedisCoordinator } from "backup-errors/redis";
new RedisCoordinator(new Redis(), { budget: { capacity: 500 } });
