// A browser consumer built with `vite build` and opened in Chromium. Vite resolves the
// `browser` condition (web.mjs) and emits the wasm file that web.mjs references with
// `new URL(..., import.meta.url)` as an asset of the build.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import {
  failedStep,
  passedStep,
  processFailure,
  runProcess,
  stepsFromOutput,
} from "../support/process.mjs";

const HOST = fileURLToPath(new URL("../hosts/chromium.mjs", import.meta.url));
const BASE64_WASM_MAGIC = "AGFzbQEAAAA";

export const vite = {
  name: "vite",
  async run(context) {
    const outDir = join(context.workDir, "vite-dist");
    rmSync(outDir, { recursive: true, force: true });
    const build = await runProcess(
      context.bin("vite"),
      ["build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"],
      { cwd: context.projectDir, timeoutMs: context.timeoutMs },
    );
    const name = "vite build";
    if (build.code !== 0) return [processFailure(name, build)];

    const assets = readdirSync(join(outDir, "assets"));
    const wasmAssets = assets.filter((file) => file.endsWith(".wasm"));
    const scripts = assets.filter((file) => file.endsWith(".js"));
    if (wasmAssets.length !== 1) {
      return [failedStep(name, `expected one .wasm asset, found: ${assets.join(", ")}`)];
    }
    const inlined = scripts.filter((file) =>
      readFileSync(join(outDir, "assets", file), "utf8").includes(BASE64_WASM_MAGIC),
    );
    if (inlined.length > 0) {
      return [failedStep(name, `${inlined.join(", ")} contain a base64-encoded wasm file`)];
    }
    const steps = [passedStep(name, `assets: ${assets.join(", ")}`)];

    const screenshot = join(context.outputDir, "vite.png");
    const config = context.scenarioConfig("vite");
    const output = await runProcess(
      process.execPath,
      [HOST, outDir, join(context.workDir, "vite-profile"), screenshot, JSON.stringify(config)],
      { cwd: outDir, timeoutMs: context.timeoutMs },
    );
    steps.push(...stepsFromOutput("chromium page (vite build)", output));
    return steps;
  },
};
