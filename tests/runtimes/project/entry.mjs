// Entry for Node (import), Deno and Bun: each resolves "stream-edge" through the package's
// exports map with its own conditions. The scenario configuration is the last argument.
import * as sdk from "stream-edge";

import { runScenario } from "./scenario.mjs";

const RESULT_MARKER = "stream-edge-scenario-result ";

const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const config = JSON.parse(args.at(-1));
const result = await runScenario(sdk, config);
console.log(RESULT_MARKER + JSON.stringify(result));
