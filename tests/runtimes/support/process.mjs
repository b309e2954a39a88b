// Runs child processes with a hard time limit and reads the scenario result they print.
import { spawn } from "node:child_process";

/** Prefix of the one stdout line on which an entry prints its scenario result as JSON. */
export const RESULT_MARKER = "stream-edge-scenario-result ";

/** Bytes of stdout and of stderr kept per process for the report. */
const OUTPUT_LIMIT = 256 * 1024;

/** Children still running, so that an interrupted run can kill them. */
const runningChildren = new Set();

/** Kills every child process that `runProcess` started and that still runs. */
export function killRunningChildren() {
  for (const child of runningChildren) killGroup(child);
}

/** Time between SIGTERM and SIGKILL when a child runs out of time. */
const KILL_GRACE_MS = 5000;

/**
 * Runs `command` with `args` and resolves with `{ code, signal, timedOut, stdout, stderr }`
 * once it exits. The child gets its own process group. On timeout the group gets SIGTERM,
 * which lets playwright-core close the Chromium it started in a group of its own, and
 * SIGKILL after KILL_GRACE_MS.
 */
export function runProcess(command, args, { cwd, env, timeoutMs, input } = {}) {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new Error(`runProcess ${command}: timeoutMs must be a positive number, got ${timeoutMs}`);
  }
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: env ?? process.env,
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      detached: true,
    });
    runningChildren.add(child);
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      stdout = keepTail(stdout + chunk);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      stderr = keepTail(stderr + chunk);
    });
    if (input !== undefined) child.stdin.end(input);

    let killTimer;
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup(child, "SIGTERM");
      killTimer = setTimeout(() => killGroup(child), KILL_GRACE_MS);
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      runningChildren.delete(child);
      reject(new Error(`could not start ${command}: ${error.message}`));
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      runningChildren.delete(child);
      resolve({ code, signal, timedOut, stdout, stderr });
    });
  });
}

/** Sends SIGKILL to the process group of `child`, or to the child alone if that fails. */
export function killGroup(child) {
  signalGroup(child, "SIGKILL");
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

function keepTail(text) {
  return text.length > OUTPUT_LIMIT ? text.slice(-OUTPUT_LIMIT) : text;
}

/**
 * Returns the steps of the scenario result that `output.stdout` contains. When there is
 * none, returns one failed step with the reason and the end of the process's output.
 */
export function stepsFromOutput(label, output) {
  const line = output.stdout
    .split("\n")
    .find((text) => text.startsWith(RESULT_MARKER));
  if (line !== undefined) {
    try {
      const result = JSON.parse(line.slice(RESULT_MARKER.length));
      if (Array.isArray(result.steps)) return result.steps;
    } catch (error) {
      return [failedStep(label, `the result line is not valid JSON: ${error.message}`)];
    }
  }
  return [failedStep(label, `${describeExit(output)} without a scenario result.\n${outputTail(output)}`)];
}

/** Returns a failed step whose detail includes the end of the process's output. */
export function processFailure(label, output) {
  return failedStep(label, `${describeExit(output)}.\n${outputTail(output)}`);
}

export function failedStep(name, detail) {
  return { name, ok: false, detail };
}

export function passedStep(name, detail) {
  return { name, ok: true, detail };
}

function describeExit(output) {
  if (output.timedOut) return "timed out and was killed";
  if (output.signal) return `was killed by ${output.signal}`;
  return `exited with code ${output.code}`;
}

/** Returns the last lines of stdout and stderr, for failure details. */
export function outputTail(output, lines = 25) {
  const tail = (text) => text.trimEnd().split("\n").slice(-lines).join("\n");
  return `--- stdout (end) ---\n${tail(output.stdout)}\n--- stderr (end) ---\n${tail(output.stderr)}`;
}
