// Assembles the demo site the way scripts/demo.sh does (the page from www-demo/ plus a copy
// of the built package in pkg/) and starts the real sandbox serving it at /demo/.
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { startSandbox } from "./sandbox.mjs";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * Copies www-demo/ and pkg/ into a temporary folder and starts the sandbox with
 * `--demo-dir` on it. Returns the Sandbox with `demoUrl` set and a `stop()` that also
 * removes the folder.
 */
export async function startDemoSandbox({ apiKey, apiSecret }) {
  const packageDir = join(repoRoot, "pkg");
  if (!existsSync(join(packageDir, "web.mjs"))) {
    throw new Error(`no built package at ${packageDir}; run 'make pkg' first`);
  }

  const siteDir = mkdtempSync(join(tmpdir(), "stream-edge-demo-site-"));
  cpSync(join(repoRoot, "www-demo"), siteDir, { recursive: true });
  cpSync(packageDir, join(siteDir, "pkg"), { recursive: true });

  let sandbox;
  try {
    sandbox = await startSandbox({
      repoRoot,
      apiKey,
      apiSecret,
      extraArgs: ["--demo-dir", siteDir],
    });
  } catch (error) {
    rmSync(siteDir, { recursive: true, force: true });
    throw error;
  }

  const stopSandbox = sandbox.stop.bind(sandbox);
  sandbox.demoUrl = `${sandbox.baseUrl}/demo/`;
  sandbox.stop = async () => {
    await stopSandbox();
    rmSync(siteDir, { recursive: true, force: true });
  };
  return sandbox;
}
