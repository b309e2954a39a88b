// Starts Debian's Chromium through playwright-core with a fresh profile. No browser is ever
// downloaded: the executable path is fixed, and CHROMIUM_PATH overrides it.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { chromium } from "playwright-core";

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// Headless, with no traffic to any host but the ones the page itself calls.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Launches Chromium with a new profile folder and returns `{ context, close }`; `close`
 * stops the browser and removes the profile.
 */
export async function launchChromium({ viewport = { width: 1280, height: 900 } } = {}) {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}; install Debian's chromium package`);
  }
  // launchPersistentContext is the playwright-core call that takes a profile folder
  // (launch() rejects --user-data-dir among the arguments).
  const profileDir = mkdtempSync(join(tmpdir(), "stream-edge-demo-profile-"));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
