// Browser entry: runs the scenario with the configuration in the URL fragment, shows each
// step in the page and leaves the result in `window.scenarioResult` for the test driver.
import * as sdk from "stream-edge";

import { runScenario } from "./scenario.mjs";

function render(result) {
  const body = document.getElementById("steps");
  for (const step of result.steps) {
    const row = body.insertRow();
    row.insertCell().textContent = step.name;
    const verdict = row.insertCell();
    verdict.textContent = step.ok ? "ok" : "FAILED";
    verdict.className = step.ok ? "ok" : "failed";
    row.insertCell().textContent = step.detail;
  }
  const failed = result.steps.filter((step) => !step.ok).length;
  document.getElementById("status").textContent =
    `${result.runtime}: ${result.steps.length - failed} of ${result.steps.length} steps passed`;
}

const config = JSON.parse(decodeURIComponent(location.hash.slice(1)));
let result;
try {
  result = await runScenario(sdk, config);
} catch (error) {
  result = { runtime: config.runtime, steps: [{ name: "page", ok: false, detail: String(error) }] };
}
render(result);
window.scenarioResult = result;
