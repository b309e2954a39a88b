// Starts workerd (the Cloudflare Workers runtime, from npm) with one generated worker.
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";

import { build } from "esbuild";

import { BIN, PKG_DIR, REPO_ROOT } from "./paths.mjs";

const COMPATIBILITY_DATE = "2025-01-01";
const START_TIMEOUT_MS = 20_000;

/** The stream-edge files that `pkg/workerd.mjs` loads, as workerd module names. */
const PACKAGE_MODULES = [
  { name: "pkg/workerd.mjs", type: "esModule" },
  { name: "pkg/esm/stream_edge.js", type: "esModule" },
  { name: "pkg/esm/stream_edge_bg.wasm", type: "wasm" },
];

/**
 * Bundles jose's `SignJWT` into one ES module for workerd, which loads only the modules its
 * config lists. Returns the module source.
 */
export async function bundleJose() {
  const result = await build({
    stdin: { contents: 'export { SignJWT } from "jose";', resolveDir: REPO_ROOT },
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

/**
 * Lays out a worker in a fresh temporary folder: `worker.mjs` (source given), the stream-edge
 * package files, `lib/claims.mjs` and, when `joseSource` is given, `jose.mjs`. Returns the
 * folder, which `startWorkerd` serves and `removeWorker` deletes.
 */
export function layOutWorker({ workerSource, joseSource }) {
  const dir = mkdtempSync(join(tmpdir(), "stream-edge-bench-workerd-"));
  const modules = [{ name: "worker.mjs", type: "esModule" }];
  writeFileSync(join(dir, "worker.mjs"), workerSource);

  for (const module of PACKAGE_MODULES) {
    const target = join(dir, module.name);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(PKG_DIR, module.name.slice("pkg/".length)), target);
    modules.push(module);
  }

  mkdirSync(join(dir, "lib"));
  copyFileSync(join(REPO_ROOT, "bench/lib/claims.mjs"), join(dir, "lib/claims.mjs"));
  modules.push({ name: "lib/claims.mjs", type: "esModule" });

  if (joseSource) {
    writeFileSync(join(dir, "jose.mjs"), joseSource);
    modules.push({ name: "jose.mjs", type: "esModule" });
  }

  const moduleList = modules
    .map((module) => `    (name = "${module.name}", ${module.type} = embed "${module.name}")`)
    .join(",\n");
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
${moduleList}
  ],
  compatibilityDate = "${COMPATIBILITY_DATE}",
);
`;
  writeFileSync(join(dir, "config.capnp"), config);
  return dir;
}

export function removeWorker(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Starts `workerd serve` on the worker in `dir` and resolves once its HTTP socket is bound,
 * with `{ baseUrl, stop }`. workerd reports the port it picked through `--control-fd`.
 */
export function startWorkerd(dir) {
  const child = spawn(BIN.workerd, ["serve", "config.capnp", "--control-fd=3"], {
    cwd: dir,
    stdio: ["ignore", "ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`workerd did not bind a socket within ${START_TIMEOUT_MS} ms: ${stderr}`));
    }, START_TIMEOUT_MS);
    createInterface({ input: child.stdio[3] }).on("line", (line) => {
      const event = JSON.parse(line);
      if (event.event === "listen" && event.socket === "http") {
        clearTimeout(timer);
        resolve({ baseUrl: `http://127.0.0.1:${event.port}`, stop });
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      const status = `code ${code}, signal ${signal}`;
      reject(new Error(`workerd exited (${status}) before listening: ${stderr}`));
    });
  });
}
