// The documented codes as literal types (generated at build time from the catalog): explain()
// takes a documented literal, any other string or a number; a catalog entry's code is a
// documented literal or, for a code a console registered, any string.
import { explain, catalog } from "backup-errors";
import type { AcronisCode, CatalogEntry, HuaweiCode, Vendor, VendorCode, VendorCodes, VeeamCode } from "backup-errors";

const busy: VeeamCode = "4002";
const huawei: HuaweiCode = "CSBS.6005";
const documented: CatalogEntry<"veeam"> | null = explain("veeam", busy);
const literal = explain("veeam", "4002");
const undocumented = explain("veeam", "not-in-the-catalog");
declare const fromResponse: string;
const arbitrary: CatalogEntry | null = explain("huawei", fromResponse, 500);
const numeric: CatalogEntry<"acronis"> | null = explain("acronis", 1001);
const generic: CatalogEntry | null = explain("generic", "anything");
declare const someVendor: Vendor;
const anyVendor: CatalogEntry | null = explain(someVendor, "127", null);

const code: VeeamCode | (string & {}) | undefined = literal?.code;
const vendor: "veeam" | undefined = literal?.vendor;
const veeamCodes: (VeeamCode | (string & {}))[] = catalog("veeam").map((e) => e.code);
const everyCode: (VendorCode | (string & {}))[] = catalog().map((e) => e.code);
const asStrings: string[] = catalog(null).map((e) => e.code);
const messages: Partial<Record<AcronisCode, string>> = { "1001": "see the Acronis docs" };
const noCodes: [VendorCodes["generic"]] extends [never] ? true : false = true;
const huaweiOnly: VendorCode<"huawei"> = huawei;
if (explain("huawei", huawei)?.code === "CSBS.6005") {
  const same: "CSBS.6005" = huawei;
  void same;
}
void [documented, undocumented, arbitrary, numeric, generic, anyVendor, code, vendor, veeamCodes, everyCode, asStrings, messages, noCodes, huaweiOnly];
