// Runs a benchmark child process and reads the JSON line it prints last.
import { spawn } from "node:child_process";

/**
 * Runs `command args` with a time limit and resolves with the parsed last stdout line.
 * Rejects with the exit status and stderr when the child fails, prints no JSON or runs longer
 * than `timeoutMs` (then it is killed).
 */
export function runJsonChild(command, args, { timeoutMs = 120_000, cwd, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));

    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`failed to start ${command}: ${error.message}`));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      const describe = `${command} ${args.join(" ")}`;
      if (code !== 0) {
        const tail = stderr.trim().split("\n").slice(-8).join("\n");
        reject(new Error(`${describe} exited with code ${code}, signal ${signal}:\n${tail}`));
        return;
      }
      const lastLine = stdout.trim().split("\n").at(-1) ?? "";
      try {
        resolve(JSON.parse(lastLine));
      } catch {
        reject(new Error(`${describe} printed no JSON result; last line: ${lastLine}`));
      }
    });
  });
}
