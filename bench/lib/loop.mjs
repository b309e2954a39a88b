// Throughput loop shared by the Node, Deno and Bun signing benchmarks. Runtime-neutral: it
// only needs `performance.now()`.
import { median } from "./stats.mjs";

/**
 * Measures calls per second of `operation(i)`: a warm-up, then `rounds` rounds. Each round
 * runs batches of `batch` calls until `roundMs` has passed or `maxOpsPerRound` calls have run,
 * so every loop stops by count or by time. `isAsync` awaits each call in turn, the way a
 * request handler awaits one token.
 */
export async function measureOpsPerSecond(operation, options) {
  const { isAsync, warmupMs, roundMs, rounds, maxOpsPerRound, batch = 64 } = options;
  let counter = 0;
  // The summed token lengths keep the engine from dropping calls whose result is unused.
  let sink = 0;

  const runRound = async (limitMs) => {
    const start = performance.now();
    let ops = 0;
    let elapsed = 0;
    while (elapsed < limitMs && ops < maxOpsPerRound) {
      if (isAsync) {
        for (let k = 0; k < batch; k++) sink += (await operation(counter++)).length;
      } else {
        for (let k = 0; k < batch; k++) sink += operation(counter++).length;
      }
      ops += batch;
      elapsed = performance.now() - start;
    }
    return (ops / elapsed) * 1000;
  };

  await runRound(warmupMs);
  const perRound = [];
  for (let r = 0; r < rounds; r++) {
    perRound.push(await runRound(roundMs));
  }
  return { ops_per_sec: median(perRound), rounds: perRound, sink };
}
