// A Cloudflare Worker that runs the scenario when `workerd test` calls its `test` handler.
// The configuration comes from the SCENARIO_CONFIG JSON binding.
import * as sdk from "stream-edge";

import { runScenario } from "./scenario.mjs";

const RESULT_MARKER = "stream-edge-scenario-result ";

export default {
  async test(controller, env) {
    const result = await runScenario(sdk, env.SCENARIO_CONFIG);
    console.log(RESULT_MARKER + JSON.stringify(result));
    const failed = result.steps.filter((step) => !step.ok).map((step) => step.name);
    if (failed.length > 0) {
      throw new Error(`scenario steps failed: ${failed.join(", ")}`);
    }
  },
};
