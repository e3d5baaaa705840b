// expect-completions: CSBS.6005, APIG.0301, !4002
// With a status after the code, and a vendor other than the first one.
import { explain } from "backup-errors";
explain("huawei", "/*|*/", 500);
