// Starts the real stream-sandbox binary for one test suite and drives its control API
// (/_sandbox/*: reset, fault injection, request log). Its stdout and stderr lines and its
// secret are recorded for the suite-wide secret check (output-record.mjs).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { listSecret, recordSandboxLine } from "./output-record.mjs";

const DEFAULT_BINARY = fileURLToPath(
  new URL("../../../target/debug/stream-sandbox", import.meta.url),
);
const LISTENING_LINE = /listening on (http:\/\/\S+)/;

/** A running sandbox process with its base URL and credentials. */
export class Sandbox {
  constructor(child, baseUrl, apiKey, apiSecret, stderrLines) {
    this.child = child;
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.apiSecret = apiSecret;
    this.stderrLines = stderrLines;
  }

  /** Sends a request to the control API and returns the decoded JSON body. */
  async control(method, path, body) {
    const response = await fetch(`${this.baseUrl}/_sandbox/${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.apiSecret}`,
        "Content-Type": "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`sandbox control ${method} /_sandbox/${path} failed: ${response.status} ${text}`);
    }
    return text === "" ? {} : JSON.parse(text);
  }

  /** Clears users, tasks, faults, rate-limit counters and the request log. */
  reset() {
    return this.control("POST", "reset");
  }

  /** Adds a fault, for example `{ path: "/api/v2/users", count: 1, status: 429 }`. */
  addFault(fault) {
    return this.control("POST", "faults", fault);
  }

  clearFaults() {
    return this.control("DELETE", "faults");
  }

  /** Returns the API requests the sandbox received, oldest first. */
  async requests() {
    const { requests } = await this.control("GET", "requests");
    return requests;
  }

  /** Sends SIGTERM and waits for the process to exit. */
  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    await exited;
  }
}

/**
 * Starts stream-sandbox on a free port with an in-memory database and resolves once it
 * prints its listening line. `STREAM_SANDBOX_BIN` overrides the binary path.
 */
export async function startSandbox({
  apiKey = "test-key",
  apiSecret = "test-secret-for-node-tests",
  taskDelayMs = 50,
  extraArgs = [],
} = {}) {
  const binary = process.env.STREAM_SANDBOX_BIN ?? DEFAULT_BINARY;
  if (!existsSync(binary)) {
    throw new Error(`sandbox binary not found at ${binary}; run 'make sandbox' first`);
  }

  const args = [
    "--port", "0",
    "--db", ":memory:",
    "--task-delay-ms", String(taskDelayMs),
    "--api-key", apiKey,
    "--api-secret", apiSecret,
    ...extraArgs,
  ];
  listSecret(apiSecret);
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });

  // Keep the last log lines so that a failed start can report why.
  const stderrLines = [];
  createInterface({ input: child.stderr }).on("line", (line) => {
    recordSandboxLine(child.pid, "stderr", line);
    stderrLines.push(line);
    if (stderrLines.length > 200) stderrLines.shift();
  });

  let baseUrl;
  try {
    baseUrl = await readListeningUrl(child, stderrLines);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return new Sandbox(child, baseUrl, apiKey, apiSecret, stderrLines);
}

/** Resolves with the base URL from the sandbox's first stdout line. */
function readListeningUrl(child, stderrLines) {
  return new Promise((resolve, reject) => {
    const stdout = createInterface({ input: child.stdout });
    stdout.on("line", (line) => recordSandboxLine(child.pid, "stdout", line));
    stdout.once("line", (line) => {
      const match = LISTENING_LINE.exec(line);
      if (match) {
        resolve(match[1]);
      } else {
        reject(new Error(`unexpected first sandbox line: ${JSON.stringify(line)}`));
      }
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      const log = stderrLines.join("\n");
      reject(new Error(`sandbox exited before listening (code ${code}, signal ${signal}):\n${log}`));
    });
  });
}
