// Per-request cost of the SDKs over a hand-written fetch of the same request: a single-user
// upsert (POST /api/v2/users) against the sandbox on loopback, one request at a time.
import { randomUUID } from "node:crypto";

import { StreamClient as OfficialClient } from "@stream-io/node-sdk";

import { median } from "../lib/stats.mjs";
import { serverToken } from "../lib/server-token.mjs";

// User IDs cycle through this many, so the table stays small and every request after the
// first round updates an existing user in every contender alike.
const USER_ID_COUNT = 500;

function benchUser(i) {
  return { id: `overhead-user-${i % USER_ID_COUNT}`, name: "Overhead Test", role: "user" };
}

/** Returns a hand-written upsert: what a careful caller would write with fetch and no SDK. */
function makeRawUpsert(sandbox) {
  const url = `${sandbox.baseUrl}/api/v2/users?api_key=${encodeURIComponent(sandbox.apiKey)}`;
  const token = serverToken(sandbox.apiSecret);
  return async (i) => {
    const user = benchUser(i);
    const response = await fetch(url, {
      method: "POST",
      headers: {
        Authorization: token,
        "stream-auth-type": "jwt",
        "Content-Type": "application/json",
        "X-Stream-Client": "stream-edge-bench",
        "x-client-request-id": randomUUID(),
      },
      body: JSON.stringify({ users: { [user.id]: user } }),
    });
    const body = await response.json();
    if (!response.ok) {
      throw new Error(`hand-written upsert failed: ${response.status} ${JSON.stringify(body)}`);
    }
    return body;
  };
}

/** Times `count` sequential calls of `send`; returns the mean µs per request. */
async function timeRequests(send, count, offset) {
  const start = performance.now();
  for (let i = 0; i < count; i++) await send(offset + i);
  return ((performance.now() - start) * 1000) / count;
}

/**
 * Runs one warm-up round and `rounds` measured rounds of `requestsPerRound` requests per
 * contender. Within a round the contenders take turns in a rotating order.
 */
export async function runOverhead({ sandbox, rounds, requestsPerRound, StreamClient }) {
  const ours = new StreamClient(sandbox.apiKey, sandbox.apiSecret, { basePath: sandbox.baseUrl });
  const official = new OfficialClient(sandbox.apiKey, sandbox.apiSecret, {
    basePath: sandbox.baseUrl,
  });
  const contenders = [
    { name: "fetch (hand-written)", send: makeRawUpsert(sandbox) },
    { name: "stream-edge", send: (i) => ours.upsertUsers([benchUser(i)]) },
    { name: "@stream-io/node-sdk", send: (i) => official.upsertUsers([benchUser(i)]) },
  ];

  await sandbox.reset();
  const perRound = new Map(contenders.map((contender) => [contender.name, []]));
  for (let r = -1; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(k + Math.max(r, 0)) % contenders.length];
      const offset = (r + 1) * requestsPerRound;
      const micros = await timeRequests(contender.send, requestsPerRound, offset);
      if (r >= 0) perRound.get(contender.name).push(micros);
    }
  }

  const rawMicros = median(perRound.get(contenders[0].name));
  return contenders.map(({ name }) => {
    const micros = median(perRound.get(name));
    return {
      contender: name,
      us_per_request: micros,
      overhead_us: micros - rawMicros,
      overhead_pct: ((micros - rawMicros) / rawMicros) * 100,
      rounds: perRound.get(name),
      requests_per_round: requestsPerRound,
    };
  });
}
