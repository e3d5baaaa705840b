// expect-completions: 1001, !4002
// A catalog entry's code completes in a comparison.
import { catalog } from "backup-errors";
catalog("acronis").find((e) => e.code === "/*|*/");
