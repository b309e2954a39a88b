// Signing throughput inside workerd: stream-edge (through pkg/workerd.mjs) against jose.
import { readFileSync } from "node:fs";

import { checkTokenShape } from "../lib/claims.mjs";
import { median } from "../lib/stats.mjs";
import { bundleJose, layOutWorker, removeWorker, startWorkerd } from "../lib/workerd.mjs";

const MAX_TOKENS = 4_000_000;

/** Returns the wall time in ms of one signing request and its response body. */
async function timeRequest(baseUrl, contender, kind, n) {
  const start = performance.now();
  const response = await fetch(`${baseUrl}/?contender=${contender}&kind=${kind}&n=${n}`);
  const body = await response.text();
  const elapsed = performance.now() - start;
  if (!response.ok) {
    throw new Error(`workerd ${contender} ${kind} n=${n} failed: ${response.status} ${body}`);
  }
  return { elapsed, body };
}

/**
 * Finds a token count whose request takes at least `roundMs` (doubling from 1,000 up to
 * MAX_TOKENS), which also warms the worker up.
 */
async function calibrate(baseUrl, contender, kind, roundMs) {
  let n = 1000;
  for (;;) {
    const { elapsed } = await timeRequest(baseUrl, contender, kind, n);
    if (elapsed >= roundMs || n >= MAX_TOKENS) return n;
    n = Math.min(n * 2, MAX_TOKENS);
  }
}

/**
 * Measures tokens per second for each contender and kind. A round times a request for 0
 * tokens and one for n tokens, and n / (difference) removes the fixed HTTP cost. Every round
 * visits all contenders and kinds, so load from other processes spreads over all of them.
 */
export async function runWorkerdTokens({ contenders, kinds, roundMs, rounds }) {
  const workerSource = readFileSync(new URL("./workerd-worker.mjs", import.meta.url), "utf8");
  const dir = layOutWorker({ workerSource, joseSource: await bundleJose() });
  const server = await startWorkerd(dir);
  const cases = kinds.flatMap((kind) => contenders.map((contender) => ({ contender, kind })));
  try {
    for (const entry of cases) {
      const sample = await timeRequest(server.baseUrl, entry.contender, entry.kind, 1);
      checkTokenShape(sample.body, entry.kind, `${entry.contender} in workerd`);
      entry.n = await calibrate(server.baseUrl, entry.contender, entry.kind, roundMs);
      entry.rounds = [];
    }
    for (let r = 0; r < rounds; r++) {
      for (const entry of cases) {
        const empty = await timeRequest(server.baseUrl, entry.contender, entry.kind, 0);
        const full = await timeRequest(server.baseUrl, entry.contender, entry.kind, entry.n);
        entry.rounds.push((entry.n / (full.elapsed - empty.elapsed)) * 1000);
      }
    }
  } finally {
    await server.stop();
    removeWorker(dir);
  }
  return cases.map((entry) => ({ ...entry, ops_per_sec: median(entry.rounds) }));
}
