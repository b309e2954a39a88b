// Runs scripts/demo.sh as `make demo` does, on a free port and a temporary data folder:
// once with DEMO_EXIT=1, once interrupted the way Ctrl-C interrupts it.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, test } from "node:test";

import { repoRoot } from "./support/demo-site.mjs";

const DEMO_SCRIPT = join(repoRoot, "scripts", "demo.sh");
const QUICKSTART_STEPS = 12;

/**
 * Starts demo.sh and collects its output. `onLine` receives each stdout line as it arrives.
 * Resolves `exited` with `{ code, signal, stdout, stderr }`.
 */
function startDemo(dataDir, extraEnv, onLine = () => {}) {
  const child = spawn(DEMO_SCRIPT, [], {
    cwd: repoRoot,
    env: { ...process.env, DEMO_PORT: "0", DEMO_DATA_DIR: dataDir, ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout = [];
  let stderr = "";
  createInterface({ input: child.stdout }).on("line", (line) => {
    stdout.push(line);
    onLine(line);
  });
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => {
    child.once("close", (code, signal) => {
      resolve({ code, signal, stdout: stdout.join("\n"), stderr });
    });
  });
  return { child, exited };
}

/** Returns the demo page URL printed by demo.sh. */
function demoUrlFrom(stdout) {
  const match = /^Demo page: (http:\/\/\S+)$/m.exec(stdout);
  assert.ok(match, `no "Demo page:" line in:\n${stdout}`);
  return match[1];
}

/** Asserts that no server responds at `url` any more. */
async function assertNothingListens(url) {
  await assert.rejects(fetch(url), TypeError, `a server still responds at ${url}`);
}

describe("scripts/demo.sh", () => {
  let dataDir;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), "stream-edge-demo-data-"));
  });

  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test("DEMO_EXIT=1 runs the quickstart and stops", async () => {
    const { code, stdout, stderr } = await startDemo(dataDir, { DEMO_EXIT: "1" }).exited;

    assert.equal(code, 0, `demo.sh failed:\n${stdout}\n${stderr}`);
    assert.match(stdout, /^stream-sandbox listening on http:\/\/127\.0\.0\.1:\d+$/m);
    for (let step = 1; step <= QUICKSTART_STEPS; step += 1) {
      assert.match(stdout, new RegExp(`^✔ ${step}\\. `, "m"), `step ${step} did not succeed`);
    }
    assert.doesNotMatch(stdout, /✘/);
    assert.match(stdout, new RegExp(`All ${QUICKSTART_STEPS} steps succeeded`));
    assert.match(stdout, /^demo: sandbox stopped$/m);
    assert.equal(existsSync(join(dataDir, "sandbox.db")), true);
    await assertNothingListens(demoUrlFrom(stdout));
  });

  test("Ctrl-C stops the sandbox", async () => {
    let demoUrl;
    let isReady = false;
    let announceReady;
    const ready = new Promise((resolve) => (announceReady = resolve));
    // The same data folder as the test above: the quickstart runs again on its database.
    const demo = startDemo(dataDir, {}, (line) => {
      const match = /^Demo page: (http:\/\/\S+)$/.exec(line);
      if (match) demoUrl = match[1];
      if (line.startsWith("Press Ctrl-C")) {
        isReady = true;
        announceReady();
      }
    });
    const early = demo.exited.then((result) => {
      if (!isReady) throw new Error(`demo.sh exited early:\n${result.stdout}\n${result.stderr}`);
    });

    await Promise.race([ready, early]);
    const page = await fetch(demoUrl);
    const html = await page.text();
    const module = await fetch(new URL("pkg/web.mjs", demoUrl));
    await module.body?.cancel();
    demo.child.kill("SIGINT");
    const { code, stdout } = await demo.exited;

    assert.equal(page.status, 200);
    assert.match(html, /<title>stream-edge demo<\/title>/);
    assert.equal(module.status, 200);
    assert.match(module.headers.get("content-type") ?? "", /javascript/);
    assert.match(stdout, new RegExp(`All ${QUICKSTART_STEPS} steps succeeded`));
    assert.equal(code, 130);
    assert.match(stdout, /^demo: sandbox stopped$/m);
    await assertNothingListens(demoUrl);
  });
});
