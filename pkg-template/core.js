// How api.js and executor.js reach the wasm module. An entry either initialises the module
// before anything runs (the browser entry, with a top-level await) or registers a loader
// that runs on the first call needing it (the Node entries: a script whose calls all
// succeed never pays the ~4 ms of reading and compiling the wasm; docs/performance.md).
import * as glue from "./wasm/backup_errors.js";

let loader = null;

/** Registers `load`, run once before the first call into the module. */
export function loadOnFirstUse(load) {
  loader = load;
}

function ready() {
  if (loader !== null) {
    loader(); // if it throws, the next use tries again and throws the same error
    loader = null;
  }
  core = glue;
}

/** The module's exports: until the first use, a stand-in that loads the module first. */
export let core = new Proxy(glue, {
  get(target, key) {
    ready();
    return target[key];
  },
});

// The exported classes: constructing one is a first use too. Instances are the module's
// own (`instanceof` the module's class and this one alike), and their `constructor` is the
// exported class.
const loadingClass = (cls) => {
  const exported = new Proxy(cls, {
    construct(target, args, newTarget) {
      ready();
      return Reflect.construct(target, args, newTarget);
    },
  });
  Object.defineProperty(cls.prototype, "constructor", { value: exported, writable: true, configurable: true });
  return exported;
};
export const RetryPolicy = loadingClass(glue.RetryPolicy);
export const RetryBudget = loadingClass(glue.RetryBudget);
export { glue };
