// Shared helpers for the browser tests: Debian's Chromium driven by playwright-core, with the
// flags this machine needs, and a page wrapper that records console errors and page errors.
import { chromium } from "playwright-core";

export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** Launches headless Chromium from /usr/bin/chromium. */
export function launch() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** Opens a page that collects console errors/warnings and uncaught page errors in `problems`. */
export async function openPage(browser, options = {}) {
  const page = await browser.newPage(options);
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  return { page, problems };
}
