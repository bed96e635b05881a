/**
 * Debian's headless Chromium for the browser tests (no browser downloads: playwright-core drives
 * the system's build; `CHROMIUM_PATH` points elsewhere).
 */
import { chromium, type Browser } from "playwright-core";

/** Where the Chromium binary is. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Launches headless Chromium as every browser test runs it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
}
