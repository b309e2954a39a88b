// A Node consumer bundled with esbuild (`--platform=node`, so the `node` condition picks
// node.mjs) and run with node. esbuild leaves `new URL("./esm/stream_edge_bg.wasm",
// import.meta.url)` as it is, so the consumer copies the wasm file to that place next to
// its bundle, as it would for any file a bundle opens at run time.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

import {
  failedStep,
  passedStep,
  processFailure,
  runProcess,
  stepsFromOutput,
} from "../support/process.mjs";

const BASE64_WASM_MAGIC = "AGFzbQEAAAA";

export const esbuild = {
  name: "esbuild",
  async run(context) {
    const outDir = join(context.workDir, "esbuild");
    rmSync(outDir, { recursive: true, force: true });
    const bundle = join(outDir, "consumer.mjs");
    const build = await runProcess(
      context.bin("esbuild"),
      [
        join(context.projectDir, "entry.mjs"),
        "--bundle",
        "--platform=node",
        "--format=esm",
        "--target=node18",
        `--outfile=${bundle}`,
        "--log-level=warning",
      ],
      { cwd: context.projectDir, timeoutMs: context.timeoutMs },
    );
    const name = "esbuild --bundle --platform=node";
    if (build.code !== 0) return [processFailure(name, build)];
    const script = readFileSync(bundle, "utf8");
    if (script.includes(BASE64_WASM_MAGIC)) {
      return [failedStep(name, "the bundle contains a base64-encoded wasm file")];
    }
    if (/from\s+"stream-edge"/.test(script)) {
      return [failedStep(name, "the bundle still imports stream-edge instead of including it")];
    }

    mkdirSync(join(outDir, "esm"), { recursive: true });
    copyFileSync(
      join(context.packageDir, "esm/stream_edge_bg.wasm"),
      join(outDir, "esm/stream_edge_bg.wasm"),
    );
    const steps = [passedStep(name, `${bundle} + esm/stream_edge_bg.wasm copied next to it`)];

    // Run the bundle from a folder without node_modules, so nothing but the bundle loads.
    const config = context.scenarioConfig("esbuild");
    const output = await runProcess(process.execPath, [bundle, JSON.stringify(config)], {
      cwd: outDir,
      timeoutMs: context.timeoutMs,
    });
    steps.push(...stepsFromOutput("node consumer.mjs", output));
    return steps;
  },
};
