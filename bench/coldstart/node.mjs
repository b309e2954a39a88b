// Cold start in Node: a fresh process per sample, each contender in turn, median per step.
import { runJsonChild } from "../lib/child.mjs";
import { median } from "../lib/stats.mjs";

const CHILD = new URL("./node-child.mjs", import.meta.url).pathname;
export const NODE_COLD_CONTENDERS = [
  "empty module",
  "stream-edge",
  "stream-edge (steps)",
  "@stream-io/node-sdk",
  "fast-jwt",
  "jsonwebtoken",
  "jose",
];

/**
 * Runs `samples` rounds, and each round starts one process per contender. Returns per
 * contender the median in-process time (first import to first token), the median of the
 * per-round differences to the empty module import, and per-step medians.
 */
export async function runNodeColdStart({ samples }) {
  const byContender = new Map(NODE_COLD_CONTENDERS.map((name) => [name, []]));
  for (let s = 0; s < samples; s++) {
    for (const name of NODE_COLD_CONTENDERS) {
      byContender.get(name).push(await runJsonChild(process.execPath, [CHILD, name]));
    }
  }

  const baseline = byContender.get("empty module").map((run) => run.total_ms);
  return NODE_COLD_CONTENDERS.map((name) => {
    const runs = byContender.get(name);
    const steps = {};
    for (const step of Object.keys(runs[0].steps)) {
      steps[step] = median(runs.map((run) => run.steps[step]));
    }
    return {
      contender: name,
      total_ms: median(runs.map((run) => run.total_ms)),
      added_ms: median(runs.map((run, s) => run.total_ms - baseline[s])),
      steps_ms: steps,
      samples: runs.map((run) => run.total_ms),
    };
  });
}
