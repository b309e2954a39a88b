// Cold start in workerd. Inside a worker the clock is not a dependable timer, so the host
// times each fresh workerd process from spawn to the first response and subtracts the time of
// a worker that imports nothing, started in the same round. The difference is what loading
// the library, compiling and instantiating its code and signing the first token add.
import { median } from "../lib/stats.mjs";
import { bundleJose, layOutWorker, removeWorker, startWorkerd } from "../lib/workerd.mjs";

const SECRET = "bench-secret-0123456789abcdefghijklmnopqrstuvwxyz-0123456789abcd";

const WORKERS = {
  "empty worker": `export default { fetch() { return new Response("eyJ.e30.x"); } };`,
  "stream-edge": `import { StreamClient } from "./pkg/workerd.mjs";
export default {
  fetch() {
    const client = new StreamClient("bench-key", "${SECRET}");
    return new Response(client.generateUserToken({ user_id: "cold-start-user" }));
  },
};`,
  jose: `import { SignJWT } from "./jose.mjs";
export default {
  async fetch() {
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("${SECRET}"),
      { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const iat = Math.floor(Date.now() / 1000) - 1;
    const token = await new SignJWT({ user_id: "cold-start-user", iat, exp: iat + 3600 })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(key);
    return new Response(token);
  },
};`,
};

/** Returns the ms from spawning workerd to reading the first response body. */
async function timeColdRequest(dir) {
  const start = performance.now();
  const server = await startWorkerd(dir);
  try {
    const response = await fetch(server.baseUrl);
    const body = await response.text();
    const elapsed = performance.now() - start;
    if (!response.ok || body.split(".").length !== 3) {
      throw new Error(`cold workerd request failed: ${response.status} ${body}`);
    }
    return elapsed;
  } finally {
    await server.stop();
  }
}

export async function runWorkerdColdStart({ samples }) {
  const joseSource = await bundleJose();
  const dirs = Object.fromEntries(
    Object.entries(WORKERS).map(([name, workerSource]) => [
      name,
      layOutWorker({ workerSource, joseSource }),
    ]),
  );
  const times = Object.fromEntries(Object.keys(WORKERS).map((name) => [name, []]));
  try {
    // One unrecorded round loads workerd and the files into the page cache.
    for (const name of Object.keys(WORKERS)) await timeColdRequest(dirs[name]);
    for (let s = 0; s < samples; s++) {
      for (const name of Object.keys(WORKERS)) {
        times[name].push(await timeColdRequest(dirs[name]));
      }
    }
  } finally {
    Object.values(dirs).forEach(removeWorker);
  }

  // Samples of one round ran back to back, so the median of per-round differences is less
  // exposed to load drifting over the run than a difference of medians.
  const baseline = times["empty worker"];
  return Object.keys(WORKERS).map((name) => ({
    contender: name,
    spawn_to_response_ms: median(times[name]),
    added_ms: median(times[name].map((elapsed, s) => elapsed - baseline[s])),
    samples: times[name],
  }));
}
