// expect-error: TS2322
// A vendor is an id string (a built-in one, or one given to registerVendor()): anything else
// must not compile. (Any string compiles since registerVendor(); an unknown id throws
// ERR_UNKNOWN_VENDOR at run time.)
import { classify } from "backup-errors";
classify({ status: 500, vendor: 42 });
