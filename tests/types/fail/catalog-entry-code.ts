// expect-error: TS2367
// A catalog entry's code is one of its vendor's documented codes: comparing a Veeam entry
// with a Huawei code is an error.
import { explain } from "backup-errors";
if (explain("veeam", "4002")?.code === "CSBS.6005") {
}
