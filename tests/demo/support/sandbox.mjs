// Starts the real stream-sandbox binary on a free port with an in-memory database.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

const LISTENING_LINE = /listening on (http:\/\/\S+)/;
// Log lines kept to explain a failed start.
const KEPT_LOG_LINES = 100;

/** A running sandbox: its base URL, credentials and a `stop()` that waits for the exit. */
export class Sandbox {
  constructor(child, baseUrl, apiKey, apiSecret) {
    this.child = child;
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.apiSecret = apiSecret;
  }

  /** Sends SIGTERM and resolves once the process has exited. */
  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    await exited;
  }
}

/**
 * Starts the sandbox of `repoRoot` (or STREAM_SANDBOX_BIN) and resolves once it printed its
 * listening line. `extraArgs` are appended to the command line.
 */
export async function startSandbox({ repoRoot, apiKey, apiSecret, extraArgs = [] }) {
  const binary = process.env.STREAM_SANDBOX_BIN ?? join(repoRoot, "target/debug/stream-sandbox");
  if (!existsSync(binary)) {
    throw new Error(`sandbox binary not found at ${binary}; run 'make sandbox' first`);
  }

  const args = ["--port", "0", "--db", ":memory:", ...extraArgs];
  // The credentials go through the environment, which the sandbox reads, not argv.
  const env = {
    ...process.env,
    STREAM_SANDBOX_API_KEY: apiKey,
    STREAM_SANDBOX_API_SECRET: apiSecret,
  };
  const child = spawn(binary, args, { env, stdio: ["ignore", "pipe", "pipe"] });

  const logLines = [];
  createInterface({ input: child.stderr }).on("line", (line) => {
    logLines.push(line);
    if (logLines.length > KEPT_LOG_LINES) logLines.shift();
  });

  try {
    const baseUrl = await readListeningUrl(child, logLines);
    return new Sandbox(child, baseUrl, apiKey, apiSecret);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
}

function readListeningUrl(child, logLines) {
  return new Promise((resolve, reject) => {
    const stdout = createInterface({ input: child.stdout });
    stdout.once("line", (line) => {
      const match = LISTENING_LINE.exec(line);
      if (match) resolve(match[1]);
      else reject(new Error(`unexpected first sandbox line: ${JSON.stringify(line)}`));
    });
    // Keep reading so the process never blocks on a full stdout pipe.
    stdout.on("line", () => {});
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      const log = logLines.join("\n");
      const exit = `code ${code}, signal ${signal}`;
      reject(new Error(`sandbox exited before listening (${exit}):\n${log}`));
    });
  });
}
