// Chromium without a bundler: the page imports "stream-edge" through an import map that
// points at the file the package's exports map gives for the `browser` condition.
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";

import { runProcess, stepsFromOutput } from "../support/process.mjs";
import { resolveExport } from "../support/project.mjs";

const HOST = fileURLToPath(new URL("../hosts/chromium.mjs", import.meta.url));

export const chromium = {
  name: "chromium",
  async run(context) {
    const entry = resolveExport(context.packageJson, ["browser", "import"]);
    const importMap = { imports: { "stream-edge": posix.join("/node_modules/stream-edge", entry) } };
    const screenshot = join(context.outputDir, "chromium.png");
    const config = context.scenarioConfig("chromium");
    const output = await runProcess(
      process.execPath,
      [
        HOST,
        context.projectDir,
        join(context.workDir, "chromium-profile"),
        screenshot,
        JSON.stringify(config),
        JSON.stringify(importMap),
      ],
      { cwd: context.projectDir, timeoutMs: context.timeoutMs },
    );
    return stepsFromOutput("chromium page", output);
  },
};
