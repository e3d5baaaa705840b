// expect-error: TS2554
// attach() needs the axios instance to install its interceptors on.
import { attach } from "backup-errors/axios";
attach();
