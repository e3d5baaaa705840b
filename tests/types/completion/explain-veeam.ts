// expect-completions: 4002, 1000, 409, !CSBS.6005, !PolicyNotFound
// An editor completes explain()'s code with the vendor's documented codes, and only those.
import { explain } from "backup-errors";
explain("veeam", "/*|*/");
