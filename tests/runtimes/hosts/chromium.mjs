// Opens a conformance page in Debian's Chromium through playwright-core, waits for the
// scenario result and saves a screenshot. The page is served from localhost, so its calls
// to the sandbox on 127.0.0.1 are cross-origin and go through the sandbox's CORS.
//
// Usage: node hosts/chromium.mjs ROOT_DIR PROFILE_DIR SCREENSHOT CONFIG_JSON [IMPORT_MAP_JSON]
//   ROOT_DIR is served at /, and /index.html is the page. PROFILE_DIR is emptied and used
//   as Chromium's profile. With IMPORT_MAP_JSON the page gets that import map, which is
//   how a page without a bundler finds "stream-edge".
// Prints the scenario result on one line that starts with the result marker.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";

import { chromium } from "playwright-core";

import { serveDirectory } from "../support/static-server.mjs";

const RESULT_MARKER = "stream-edge-scenario-result ";
const CHROMIUM_PATH = "/usr/bin/chromium";
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

/** Time the page gets to finish the scenario. */
const SCENARIO_TIMEOUT_MS = 120000;

function pageWithImportMap(rootDir, importMapJson) {
  const html = readFileSync(join(rootDir, "index.html"), "utf8");
  const importMap = `<script type="importmap">${importMapJson}</script>\n    `;
  const marker = '<script type="module"';
  if (!html.includes(marker)) throw new Error(`index.html in ${rootDir} has no module script`);
  return html.replace(marker, importMap + marker);
}

async function main() {
  const [rootDir, profileDir, screenshot, configJson, importMapJson] = process.argv.slice(2);
  const overrides =
    importMapJson === undefined
      ? {}
      : { "/index.html": { type: "text/html; charset=utf-8", body: pageWithImportMap(rootDir, importMapJson) } };
  const server = await serveDirectory(rootDir, overrides);
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });
  let context;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1200, height: 800 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (message) => console.error(`[page console.${message.type()}] ${message.text()}`));
    page.on("pageerror", (error) => console.error(`[page error] ${error.stack ?? error.message}`));
    page.on("requestfailed", (request) =>
      console.error(`[request failed] ${request.method()} ${request.url()}: ${request.failure()?.errorText}`),
    );

    const pageUrl = server.url.replace("127.0.0.1", "localhost");
    await page.goto(`${pageUrl}/index.html#${encodeURIComponent(configJson)}`);
    try {
      await page.waitForFunction(() => window.scenarioResult !== undefined, null, {
        timeout: SCENARIO_TIMEOUT_MS,
      });
    } finally {
      mkdirSync(dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot, fullPage: true });
    }
    const result = await page.evaluate(() => window.scenarioResult);
    console.log(RESULT_MARKER + JSON.stringify(result));
  } finally {
    await context?.close();
    await server.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error?.stack ?? String(error));
  process.exitCode = 1;
});
