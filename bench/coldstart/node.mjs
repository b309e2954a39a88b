// Cold start in Node: a fresh process per sample, each contender in turn, median per step.
import { runJsonChild } from "../lib/child.mjs";
import { median } from "../lib/stats.mjs";

const CHILD = new URL("./node-child.mjs", import.meta.url).pathname;
export const NODE_COLD_CONTENDERS = [
  "stream-edge",
  "stream-edge (steps)",
  "@stream-io/node-sdk",
  "fast-jwt",
  "jsonwebtoken",
  "jose",
];

/**
 * Runs `samples` rounds; each round starts one process per contender. Returns the median
 * in-process time (first import to first token) and per-step medians for each contender.
 */
export async function runNodeColdStart({ samples }) {
  const byContender = new Map(NODE_COLD_CONTENDERS.map((name) => [name, []]));
  for (let s = 0; s < samples; s++) {
    for (const name of NODE_COLD_CONTENDERS) {
      byContender.get(name).push(await runJsonChild(process.execPath, [CHILD, name]));
    }
  }

  return NODE_COLD_CONTENDERS.map((name) => {
    const runs = byContender.get(name);
    const steps = {};
    for (const step of Object.keys(runs[0].steps)) {
      steps[step] = median(runs.map((run) => run.steps[step]));
    }
    return {
      contender: name,
      total_ms: median(runs.map((run) => run.total_ms)),
      steps_ms: steps,
      samples: runs.map((run) => run.total_ms),
    };
  });
}
