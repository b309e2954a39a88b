// Vercel's edge-runtime, in a Node child process (hosts/edge-runtime.mjs).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { runProcess, stepsFromOutput } from "../support/process.mjs";

const HOST = fileURLToPath(new URL("../hosts/edge-runtime.mjs", import.meta.url));

export const edgeRuntime = {
  name: "edge-runtime",
  async run(context) {
    const outDir = join(context.workDir, "edge-runtime");
    mkdirSync(outDir, { recursive: true });
    const config = context.scenarioConfig("edge-runtime");
    const output = await runProcess(
      process.execPath,
      [HOST, context.projectDir, outDir, JSON.stringify(config)],
      { cwd: context.projectDir, timeoutMs: context.timeoutMs },
    );
    return stepsFromOutput("edge-runtime host", output);
  },
};
