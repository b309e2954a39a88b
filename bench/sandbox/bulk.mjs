// Bulk upsert of 10,000 users: stream-edge against the official SDK calling upsertUsers once
// per 100-user chunk, with the stored users counted afterwards.
import { StreamClient as OfficialClient } from "@stream-io/node-sdk";

import { median } from "../lib/stats.mjs";
import { serverToken } from "../lib/server-token.mjs";

// Stream accepts at most 100 users per upsert request.
const CHUNK_SIZE = 100;
const UPSERT_PATH = "/api/v2/users";

function makeUsers(prefix, count) {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i}`,
    name: `Bulk User ${i}`,
    role: "user",
    custom: { batch: prefix },
  }));
}

function chunk(items, size) {
  const chunks = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

async function upsertChunkByChunk(client, users) {
  for (const part of chunk(users, CHUNK_SIZE)) await client.upsertUsers(part);
}

/**
 * Counts how many of `users` the sandbox stores: one hand-written query per 100 IDs with an
 * `$in` filter, so the count does not depend on either SDK.
 */
async function countStoredUsers(sandbox, users) {
  const token = serverToken(sandbox.apiSecret);
  let stored = 0;
  for (const part of chunk(users, CHUNK_SIZE)) {
    const payload = {
      filter_conditions: { id: { $in: part.map((user) => user.id) } },
      limit: CHUNK_SIZE,
    };
    const query = new URLSearchParams({
      api_key: sandbox.apiKey,
      payload: JSON.stringify(payload),
    });
    const response = await fetch(`${sandbox.baseUrl}/api/v2/users?${query}`, {
      headers: { Authorization: token, "stream-auth-type": "jwt" },
    });
    const body = await response.json();
    if (!response.ok) {
      throw new Error(`counting users failed: ${response.status} ${JSON.stringify(body)}`);
    }
    stored += body.users.length;
  }
  return stored;
}

async function countUpsertRequests(sandbox) {
  const requests = await sandbox.requests();
  return requests.filter((request) => request.method === "POST" && request.path === UPSERT_PATH)
    .length;
}

/**
 * Finds out whether stream-edge's upsertUsers splits more than 100 users into several
 * requests: it upserts 101 users and reads the sandbox's request log. A single request means
 * no bulk support (even if the sandbox accepted it), so the benchmark then chunks by hand.
 */
async function probeBulkSupport(sandbox, client) {
  await sandbox.reset();
  let result;
  try {
    await client.upsertUsers(makeUsers("probe", CHUNK_SIZE + 1));
    const requests = await countUpsertRequests(sandbox);
    const probe = `${CHUNK_SIZE + 1} users sent in ${requests} requests`;
    result = { supported: requests >= 2, probe };
  } catch (error) {
    result = { supported: false, probe: `${CHUNK_SIZE + 1} users rejected: ${error.message}` };
  }
  await sandbox.reset();
  return result;
}

/** Runs one contender on a freshly reset sandbox and checks that no user was lost. */
async function timeBulkRun(sandbox, contender, users, delayMs) {
  await sandbox.reset();
  if (delayMs > 0) {
    // Every upsert request waits delayMs inside the sandbox before it is handled, as if it
    // crossed a network to Stream. Requests that arrive together wait at the same time.
    const count = Math.ceil(users.length / CHUNK_SIZE);
    await sandbox.control("POST", "faults", {
      method: "POST",
      path: UPSERT_PATH,
      count,
      delay_ms: delayMs,
    });
  }
  const start = performance.now();
  await contender.upsert(users);
  const seconds = (performance.now() - start) / 1000;
  const requests = await countUpsertRequests(sandbox);
  const stored = await countStoredUsers(sandbox, users);
  return { seconds, stored, requests };
}

/**
 * Times both contenders. `delayMs` adds that wait to every upsert request in the sandbox
 * (fault injection), standing in for the round trip to a real server.
 */
export async function runBulk({ sandbox, userCount, rounds, StreamClient, delayMs = 0 }) {
  const options = { basePath: sandbox.baseUrl, timeout: 30_000 };
  const ours = new StreamClient(sandbox.apiKey, sandbox.apiSecret, options);
  const official = new OfficialClient(sandbox.apiKey, sandbox.apiSecret, options);
  const bulkProbe = await probeBulkSupport(sandbox, ours);
  const bulkSupported = bulkProbe.supported;

  const contenders = [
    {
      name: "@stream-io/node-sdk",
      how: `upsertUsers per ${CHUNK_SIZE}-user chunk, in sequence`,
      upsert: (users) => upsertChunkByChunk(official, users),
    },
    {
      name: "stream-edge",
      how: bulkSupported
        ? `one upsertUsers call with all ${userCount} users (the SDK splits them)`
        : `upsertUsers per ${CHUNK_SIZE}-user chunk, in sequence (no bulk support in this build)`,
      upsert: (users) =>
        bulkSupported ? ours.upsertUsers(users) : upsertChunkByChunk(ours, users),
    },
  ];

  const runs = new Map(contenders.map((contender) => [contender.name, []]));
  for (let r = 0; r < rounds; r++) {
    // Alternate which contender goes first, so neither always runs on a warmer process.
    const order = r % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) {
      const users = makeUsers(`bulk-${delayMs}-${r}`, userCount);
      runs.get(contender.name).push(await timeBulkRun(sandbox, contender, users, delayMs));
    }
  }

  return contenders.map(({ name, how }) => {
    const list = runs.get(name);
    const seconds = median(list.map((run) => run.seconds));
    return {
      contender: name,
      how,
      delay_ms: delayMs,
      bulk_probe: name === "stream-edge" ? bulkProbe.probe : undefined,
      users: userCount,
      seconds,
      users_per_sec: userCount / seconds,
      min_stored: Math.min(...list.map((run) => run.stored)),
      lost_users: userCount - Math.min(...list.map((run) => run.stored)),
      upsert_requests: list.map((run) => run.requests),
      rounds_seconds: list.map((run) => run.seconds),
    };
  });
}
