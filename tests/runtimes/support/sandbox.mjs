// Starts the real stream-sandbox binary once for all runtimes. Its output and secret are
// recorded for the secret check that ends `make test` (tests/node/support/output-record.mjs).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";

import { listSecret, recordSandboxLine } from "../../node/support/output-record.mjs";
import { killGroup } from "./process.mjs";

const LISTENING_LINE = /listening on (http:\/\/\S+)/;

/** Time the sandbox gets to print its listening line. */
const START_TIMEOUT_MS = 30000;

/** Time the sandbox gets to stop after SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 15000;

/**
 * Starts `binary` on a free port with an in-memory database and tasks that finish after
 * 100 ms. Resolves with `{ baseUrl, apiKey, apiSecret, stop }` once the sandbox prints
 * its listening line.
 */
export async function startSandbox({ binary, apiKey, apiSecret }) {
  if (!existsSync(binary)) {
    throw new Error(`sandbox binary not found at ${binary}; run 'make sandbox' first`);
  }
  const args = [
    "--port", "0",
    "--db", ":memory:",
    "--task-delay-ms", "100",
    "--api-key", apiKey,
    "--api-secret", apiSecret,
  ];
  listSecret(apiSecret);
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });

  // The last log lines explain a failed start.
  const logLines = [];
  createInterface({ input: child.stderr }).on("line", (line) => {
    recordSandboxLine(child.pid, "stderr", line);
    logLines.push(line);
    if (logLines.length > 100) logLines.shift();
  });

  let baseUrl;
  try {
    baseUrl = await readListeningUrl(child, logLines);
  } catch (error) {
    killGroup(child);
    throw error;
  }

  async function stop() {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => killGroup(child), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  return { baseUrl, apiKey, apiSecret, stop, logLines };
}

function readListeningUrl(child, logLines) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the sandbox printed no listening line within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    const stdout = createInterface({ input: child.stdout });
    stdout.once("line", (line) => {
      clearTimeout(timer);
      const match = LISTENING_LINE.exec(line);
      if (match) {
        resolve(match[1]);
      } else {
        reject(new Error(`unexpected first sandbox line: ${JSON.stringify(line)}`));
      }
    });
    // Reading every line also drains stdout, so the sandbox never blocks on a full pipe.
    stdout.on("line", (line) => recordSandboxLine(child.pid, "stdout", line));
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start the sandbox: ${error.message}`));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      const log = logLines.join("\n");
      reject(new Error(`the sandbox exited before listening (code ${code}, signal ${signal}):\n${log}`));
    });
  });
}
