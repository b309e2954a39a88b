// Starts the real stream-sandbox binary on a free port for one test file. Its output and
// secret are recorded for the secret check that ends `make test`
// (tests/node/support/output-record.mjs).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { listSecret, recordSandboxLine } from "../../node/support/output-record.mjs";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DEFAULT_BINARY = `${REPO_ROOT}target/debug/stream-sandbox`;
const LISTENING = /listening on (http:\/\/\S+)/;

/**
 * Spawns the sandbox with an in-memory database and resolves once its first stdout line gives
 * the base URL. `STREAM_SANDBOX_BIN` overrides the binary path. Call `stop()` when done.
 */
export async function startSandbox({ apiKey, apiSecret, taskDelayMs = 50, extraArgs = [] }) {
  const binary = process.env.STREAM_SANDBOX_BIN ?? DEFAULT_BINARY;
  if (!existsSync(binary)) {
    throw new Error(`sandbox binary ${binary} is missing: run \`cargo build -p stream-sandbox\``);
  }
  const args = [
    "--port",
    "0",
    "--db",
    ":memory:",
    "--task-delay-ms",
    String(taskDelayMs),
    "--api-key",
    apiKey,
    "--api-secret",
    apiSecret,
    ...extraArgs,
  ];
  listSecret(apiSecret);
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  createInterface({ input: child.stderr }).on("line", (line) => {
    recordSandboxLine(child.pid, "stderr", line);
  });

  // The sandbox logs one line per request on stderr. Keep the tail for failure messages.
  let stderrTail = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => {
    stderrTail = (stderrTail + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });

  const lines = createInterface({ input: child.stdout });
  lines.on("line", (line) => recordSandboxLine(child.pid, "stdout", line));
  const firstLine = await new Promise((resolve, reject) => {
    lines.once("line", resolve);
    child.once("error", reject);
    exited.then(({ code, signal }) =>
      reject(
        new Error(
          `sandbox exited (code ${code}, signal ${signal}) before printing its URL:\n${stderrTail}`,
        ),
      ),
    );
  });

  const match = LISTENING.exec(firstLine);
  if (match === null) {
    child.kill("SIGTERM");
    throw new Error(`first sandbox stdout line does not match ${LISTENING}: ${firstLine}`);
  }

  return {
    baseUrl: match[1],
    stderr: () => stderrTail,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
      }
      return exited;
    },
  };
}
