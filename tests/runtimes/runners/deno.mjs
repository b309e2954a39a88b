// Deno, resolving "stream-edge" from the project's node_modules through the `deno`
// condition. Permissions: read the project only, and connect to 127.0.0.1 only.
import { mkdirSync } from "node:fs";
import { join } from "node:path";

import { runProcess, stepsFromOutput } from "../support/process.mjs";

export const deno = {
  name: "deno",
  async run(context) {
    const config = context.scenarioConfig("deno");
    // A cache of its own, so the run neither reads nor fills the user's Deno cache.
    const denoDir = join(context.workDir, "deno-cache");
    mkdirSync(denoDir, { recursive: true });
    const args = [
      "run",
      "--no-prompt",
      "--no-lock",
      "--cached-only",
      "--node-modules-dir=manual",
      `--allow-read=${context.projectDir}`,
      "--allow-net=127.0.0.1",
      join(context.projectDir, "entry.mjs"),
      JSON.stringify(config),
    ];
    const output = await runProcess(context.bin("deno"), args, {
      cwd: context.projectDir,
      env: { ...process.env, DENO_DIR: denoDir, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
      timeoutMs: context.timeoutMs,
    });
    return stepsFromOutput("deno run entry.mjs", output);
  },
};
