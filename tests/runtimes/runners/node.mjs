// Node through `import` (node.mjs) and through `require` (node.cjs).
import { join } from "node:path";

import { runProcess, stepsFromOutput } from "../support/process.mjs";

export const nodeEsm = {
  name: "node-esm",
  async run(context) {
    const config = context.scenarioConfig("node-esm");
    const output = await runProcess(
      process.execPath,
      [join(context.projectDir, "entry.mjs"), JSON.stringify(config)],
      { cwd: context.projectDir, timeoutMs: context.timeoutMs },
    );
    return stepsFromOutput("node entry.mjs", output);
  },
};

export const nodeCjs = {
  name: "node-cjs",
  async run(context) {
    const config = context.scenarioConfig("node-cjs");
    const output = await runProcess(
      process.execPath,
      [join(context.projectDir, "entry.cjs"), JSON.stringify(config)],
      { cwd: context.projectDir, timeoutMs: context.timeoutMs },
    );
    return stepsFromOutput("node entry.cjs", output);
  },
};
