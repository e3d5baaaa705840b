// The demo's catalog browser: every documented code by vendor and category, a preview of
// what `explain` says of the one picked, and loading it into the form as an example.
import { explain, catalog } from "/pkg/index.browser.js";
import { VENDORS, exampleFromCatalog } from "./presets.js";
import { $, el } from "./dom.js";

/** Fills the catalog browser; `loadExample(input, chip?)` loads a picked code into the form. */
export function renderCatalogBrowser(loadExample) {
  const entries = catalog();
  $("catalog-count").textContent = `(${entries.length})`;
  const vendorSelect = $("catalog-vendor");
  for (const [id, name] of VENDORS) {
    const n = entries.filter((e) => e.vendor === id).length;
    if (n) vendorSelect.append(el("option", { value: id }, `${name} (${n})`));
  }
  const fillCodes = () => {
    const vendor = vendorSelect.value;
    const mine = entries.filter((e) => e.vendor === vendor);
    const byCategory = new Map();
    for (const e of mine) byCategory.set(e.category, [...(byCategory.get(e.category) ?? []), e]);
    const codeSelect = $("catalog-code");
    codeSelect.replaceChildren();
    const chips = $("category-chips");
    chips.replaceChildren(el("span", { class: "chips-label" }, "One per category:"));
    for (const [category, list] of [...byCategory].sort((a, b) => a[0].localeCompare(b[0]))) {
      const group = el("optgroup", { label: category });
      for (const e of list) {
        const summary = e.summary.length > 72 ? `${e.summary.slice(0, 70)}…` : e.summary;
        group.append(el("option", { value: `${e.code}|${e.status ?? ""}` }, `${e.code}${e.status ? ` (${e.status})` : ""} · ${summary}`));
      }
      codeSelect.append(group);
      const first = list[0];
      chips.append(el("button", { type: "button", class: `chip small act-${first.action}`, onclick: (e) => loadExample(exampleFromCatalog(first), e.currentTarget), title: `${first.code}: ${first.summary}` }, category));
    }
  };
  const codeSelect = $("catalog-code");
  const picked = () => {
    const [code, status] = codeSelect.value.split("|");
    return { code, status: status === "" ? null : Number(status) };
  };
  const preview = () => {
    const { code, status } = picked();
    const entry = code ? explain(vendorSelect.value, code, status) : null;
    const box = $("catalog-preview");
    box.replaceChildren();
    if (!entry) return;
    box.className = `catalog-preview act-${entry.action}`;
    box.append(
      el("p", {}, el("code", {}, `explain("${entry.vendor}", "${entry.code}"${status != null ? `, ${status}` : ""})`), " → ",
        el("span", { class: "tag" }, `${entry.category} · ${entry.action}`)),
      el("p", {}, entry.summary, " ", el("span", { class: "muted" }, entry.remediation)),
    );
  };
  vendorSelect.addEventListener("change", () => {
    fillCodes();
    preview();
  });
  codeSelect.addEventListener("change", preview);
  fillCodes();
  preview();
  $("catalog-load").addEventListener("click", () => {
    const { code, status } = picked();
    const entry = entries.find((e) => e.vendor === vendorSelect.value && e.code === code && (e.status ?? null) === status);
    if (entry) loadExample(exampleFromCatalog(entry));
  });
}
