// Bun, resolving "stream-edge" through the `bun` condition. --no-install keeps Bun from
// installing anything on its own.
import { join } from "node:path";

import { runProcess, stepsFromOutput } from "../support/process.mjs";

export const bun = {
  name: "bun",
  async run(context) {
    const config = context.scenarioConfig("bun");
    const output = await runProcess(
      context.bin("bun"),
      ["--no-install", join(context.projectDir, "entry.mjs"), JSON.stringify(config)],
      {
        cwd: context.projectDir,
        env: { ...process.env, DO_NOT_TRACK: "1", NO_COLOR: "1" },
        timeoutMs: context.timeoutMs,
      },
    );
    return stepsFromOutput("bun entry.mjs", output);
  },
};
