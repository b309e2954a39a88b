// Runs the conformance scenario (scenario.mjs) in every runtime against one real
// stream-sandbox, prints a table of runtime x result and exits with 1 when any step failed.
//
// Usage: node tests/runtimes/run.mjs [--output DIR] [--only NAME,NAME]
//   --output  folder for the consumer project, bundles and screenshots
//             (default: $TEST_OUTPUT or test-output); everything goes under DIR/runtimes/
//   --only    run only the named runtimes, for example --only deno,workerd
// Needs the built package (make pkg) and the sandbox binary (make sandbox);
// STREAM_SANDBOX_BIN overrides the binary path.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

import { bun } from "./runners/bun.mjs";
import { chromium } from "./runners/chromium.mjs";
import { deno } from "./runners/deno.mjs";
import { edgeRuntime } from "./runners/edge-runtime.mjs";
import { esbuild } from "./runners/esbuild.mjs";
import { nodeCjs, nodeEsm } from "./runners/node.mjs";
import { vite } from "./runners/vite.mjs";
import { workerd } from "./runners/workerd.mjs";
import { recordValue } from "../node/support/output-record.mjs";
import { killRunningChildren } from "./support/process.mjs";
import { createProject, repoRoot } from "./support/project.mjs";
import { formatReport } from "./support/report.mjs";
import { startSandbox } from "./support/sandbox.mjs";

const RUNNERS = [nodeEsm, nodeCjs, deno, bun, edgeRuntime, workerd, chromium, esbuild, vite];

/** Time limit of each child process a runner starts (a build, a runtime, a browser). */
const CHILD_TIMEOUT_MS = 180000;

/** Client timeout of the stalled request, and how long the sandbox stalls it. */
const STALL_TIMEOUT_MS = 1000;
const STALL_DELAY_MS = 6000;

const SANDBOX_API_KEY = "runtimes-key";
const SANDBOX_API_SECRET = "runtimes-sandbox-secret";

function selectRunners(only) {
  if (only === undefined) return RUNNERS;
  const names = only.split(",").map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !RUNNERS.some((runner) => runner.name === name));
  if (unknown.length > 0) {
    const known = RUNNERS.map((runner) => runner.name).join(", ");
    throw new Error(`--only: unknown runtime ${unknown.join(", ")}; the runtimes are ${known}`);
  }
  return RUNNERS.filter((runner) => names.includes(runner.name));
}

async function main() {
  const { values } = parseArgs({
    options: { output: { type: "string" }, only: { type: "string" } },
  });
  const runners = selectRunners(values.only);
  const outputDir = resolve(join(values.output ?? process.env.TEST_OUTPUT ?? "test-output", "runtimes"));
  const workDir = join(outputDir, "work");
  mkdirSync(workDir, { recursive: true });

  const project = createProject(join(workDir, "project"));
  console.log(`consumer project with stream-edge ${project.packageJson.version}: ${project.projectDir}`);

  const sandbox = await startSandbox({
    binary: process.env.STREAM_SANDBOX_BIN ?? join(repoRoot, "target/debug/stream-sandbox"),
    apiKey: SANDBOX_API_KEY,
    apiSecret: SANDBOX_API_SECRET,
  });
  console.log(`sandbox: ${sandbox.baseUrl}`);
  const stopOnSignal = async (signal) => {
    console.error(`${signal}: stopping the runtimes and the sandbox`);
    killRunningChildren();
    await sandbox.stop();
    process.exit(130);
  };
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);

  const runId = `rt${Date.now().toString(36)}`;
  const context = {
    ...project,
    repoRoot,
    outputDir,
    workDir,
    sandbox,
    timeoutMs: CHILD_TIMEOUT_MS,
    bin: (name) => join(repoRoot, "node_modules/.bin", name),
    scenarioConfig: (runtime) => ({
      runtime,
      runId,
      baseUrl: sandbox.baseUrl,
      apiKey: sandbox.apiKey,
      apiSecret: sandbox.apiSecret,
      timeoutMs: STALL_TIMEOUT_MS,
      stallMs: STALL_DELAY_MS,
    }),
  };

  const results = [];
  try {
    for (const runner of runners) {
      console.log(`running ${runner.name}`);
      let steps;
      try {
        steps = await runner.run(context);
      } catch (error) {
        steps = [{ name: "runner", ok: false, detail: error.stack ?? String(error) }];
      }
      if (steps.length === 0) {
        steps = [{ name: "runner", ok: false, detail: "the runner reported no steps" }];
      }
      results.push({ runtime: runner.name, steps });
      for (const step of steps) {
        const firstLine = String(step.detail).split("\n")[0];
        console.log(`  ${step.ok ? "ok    " : "FAILED"} ${step.name}: ${firstLine}`);
      }
    }
  } finally {
    await sandbox.stop();
  }

  writeFileSync(join(outputDir, "results.json"), JSON.stringify(results, null, 2) + "\n");
  // Each step's detail quotes the runtime's errors and output, which the secret check reads.
  for (const { runtime, steps } of results) {
    for (const step of steps) recordValue("runtime", `${runtime} ${step.name}`, step.detail);
  }
  console.log(formatReport(results));
  const failed = results.filter((result) => result.steps.some((step) => !step.ok));
  process.exitCode = failed.length > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error.stack ?? String(error));
  process.exitCode = 1;
});
