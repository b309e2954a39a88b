// Entry for Node's require: loads "stream-edge" through the `require` condition of its
// exports map and hands the classes to the scenario module.
"use strict";

const sdk = require("stream-edge");

const RESULT_MARKER = "stream-edge-scenario-result ";

async function main() {
  const { runScenario } = await import("./scenario.mjs");
  const config = JSON.parse(process.argv.at(-1));
  const result = await runScenario(sdk, config);
  console.log(RESULT_MARKER + JSON.stringify(result));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
