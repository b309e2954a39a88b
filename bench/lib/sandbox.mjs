// Starts the release build of stream-sandbox on a free loopback port for the benchmarks.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";

import { API_KEY, API_SECRET } from "./claims.mjs";
import { SANDBOX_BIN } from "./paths.mjs";

const LISTENING_LINE = /listening on (http:\/\/\S+)/;
const START_TIMEOUT_MS = 20_000;

/** A running sandbox: base URL, credentials, control API and CPU accounting. */
export class BenchSandbox {
  constructor(child, baseUrl) {
    this.child = child;
    this.baseUrl = baseUrl;
    this.apiKey = API_KEY;
    this.apiSecret = API_SECRET;
  }

  /** Sends a control request (`/_sandbox/PATH`) and returns the decoded JSON body. */
  async control(method, path, body) {
    const response = await fetch(`${this.baseUrl}/_sandbox/${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.apiSecret}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      const request = `${method} /_sandbox/${path}`;
      throw new Error(`sandbox control ${request} failed: ${response.status} ${text}`);
    }
    return text === "" ? {} : JSON.parse(text);
  }

  reset() {
    return this.control("POST", "reset");
  }

  /** Returns the last 1000 API requests the sandbox logged, oldest first. */
  async requests() {
    return (await this.control("GET", "requests")).requests;
  }

  /** Returns the CPU seconds (user + system) the sandbox process has used so far. */
  cpuSeconds() {
    // Fields 14 and 15 of /proc/PID/stat are utime and stime in clock ticks, which are 100 per
    // second on Linux. Splitting on spaces works because the command name has none.
    const fields = readFileSync(`/proc/${this.child.pid}/stat`, "utf8").split(" ");
    return (Number(fields[13]) + Number(fields[14])) / 100;
  }

  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    await exited;
  }
}

/**
 * Starts target/release/stream-sandbox with the benchmark credentials, `--port 0` and the
 * given extra flags, and resolves once it prints its listening line.
 */
export async function startBenchSandbox({ db = ":memory:", rateLimit, taskDelayMs = 0 }) {
  if (!existsSync(SANDBOX_BIN)) {
    throw new Error(
      `sandbox binary not found at ${SANDBOX_BIN}; run 'cargo build --release -p stream-sandbox'`,
    );
  }
  const args = [
    "--port", "0",
    "--db", db,
    "--api-key", API_KEY,
    "--api-secret", API_SECRET,
    "--rate-limit", String(rateLimit),
    "--task-delay-ms", String(taskDelayMs),
  ];
  // Request logs would cost the sandbox time under load, so only warnings are kept.
  const env = { ...process.env, RUST_LOG: "warn" };
  const child = spawn(SANDBOX_BIN, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });

  const baseUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      const waited = `${START_TIMEOUT_MS} ms`;
      reject(new Error(`sandbox printed no listening line within ${waited}: ${stderr}`));
    }, START_TIMEOUT_MS);
    const stdout = createInterface({ input: child.stdout });
    stdout.once("line", (line) => {
      clearTimeout(timer);
      const match = LISTENING_LINE.exec(line);
      if (match) {
        resolve(match[1]);
      } else {
        child.kill("SIGKILL");
        reject(new Error(`unexpected first sandbox line: ${JSON.stringify(line)}`));
      }
    });
    // Keep reading so that the sandbox never blocks on a full stdout pipe.
    stdout.on("line", () => {});
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      const status = `code ${code}, signal ${signal}`;
      reject(new Error(`sandbox exited (${status}) before listening: ${stderr}`));
    });
  });
  return new BenchSandbox(child, baseUrl);
}
