// The main stream-edge flow against a Stream API sandbox, one printed result per step:
// upsert, partial update, query, deactivate and reactivate (one and many, with task
// polling), soft delete and restore, user and call tokens, and errors.
//
//   cd examples && npm install && cd ..
//   STREAM_BASE_URL=http://127.0.0.1:8787 node examples/quickstart.mjs
//
// Environment: STREAM_BASE_URL (default http://127.0.0.1:8787), STREAM_API_KEY and
// STREAM_API_SECRET (default sandbox-key and sandbox-secret, the defaults of
// stream-sandbox). Each run uses fresh user IDs, so it can run again on the same database.
// The process stops at the first failed step and exits with status 1.

import { StreamClient, StreamError } from "stream-edge";

const baseUrl = process.env.STREAM_BASE_URL ?? "http://127.0.0.1:8787";
const apiKey = process.env.STREAM_API_KEY ?? "sandbox-key";
const apiSecret = process.env.STREAM_API_SECRET ?? "sandbox-secret";

const client = new StreamClient(apiKey, apiSecret, { basePath: baseUrl, timeout: 5000 });

// A suffix unique to this run, such as "m3x9k2".
const run = Date.now().toString(36).slice(-6);
const alice = `alice-${run}`;
const bob = `bob-${run}`;
const carol = `carol-${run}`;
const everyone = [alice, bob, carol];

let stepCount = 0;

/** Runs one step and prints its result lines; a failure prints the error and exits. */
async function step(title, action) {
  stepCount += 1;
  try {
    const lines = await action();
    console.log(`✔ ${stepCount}. ${title}`);
    for (const line of lines) console.log(`     ${line}`);
  } catch (error) {
    console.log(`✘ ${stepCount}. ${title}`);
    console.log(`     ${describeError(error)}`);
    process.exit(1);
  }
}

/** Throws with `message` unless `condition` holds. */
function expect(condition, message) {
  if (!condition) throw new Error(`unexpected result: ${message}`);
}

function describeError(error) {
  if (error instanceof StreamError) {
    const { kind, status, code, message } = error;
    return `StreamError (${kind}) status ${status}, code ${code}: ${message}`;
  }
  return String(error?.stack ?? error);
}

/** IDs of this run's users that a query returns, sorted. */
async function visibleUsers({ includeDeactivated = false } = {}) {
  const { users } = await client.queryUsers({
    payload: {
      filter_conditions: { id: { $in: everyone } },
      sort: [{ field: "id", direction: 1 }],
      include_deactivated_users: includeDeactivated,
    },
  });
  return users.map((user) => user.id);
}

/** Decodes the claims of a JWT (no signature check) for printing. */
function claimsOf(token) {
  const payload = token.split(".")[1];
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
}

/** Reads users the way a client-side SDK does, with a user or call token; returns the status. */
async function statusWithToken(token) {
  const url = new URL("/api/v2/users", baseUrl);
  url.searchParams.set("api_key", apiKey);
  url.searchParams.set("payload", JSON.stringify({ filter_conditions: { id: { $eq: alice } } }));
  const response = await fetch(url, {
    headers: { Authorization: token, "stream-auth-type": "jwt" },
  });
  await response.body?.cancel();
  return response.status;
}

console.log(`stream-edge quickstart against ${baseUrl} (API key ${apiKey})\n`);

await step("upsertUsers creates three users", async () => {
  const { users, metadata } = await client.upsertUsers([
    { id: alice, name: "Alice", role: "admin", image: "https://example.com/alice.png" },
    { id: bob, name: "Bob", teams: ["blue"] },
    { id: carol, name: "Carol", custom: { plan: "trial" } },
  ]);
  expect(Object.keys(users).length === 3, `3 users stored, got ${Object.keys(users).length}`);
  const { rateLimitRemaining, rateLimit } = metadata.rateLimit;
  return [
    ...everyone.map((id) => `${id}: ${users[id].name}, role ${users[id].role}`),
    `created_at is a Date: ${users[alice].created_at.toISOString()}`,
    `HTTP ${metadata.responseCode}, rate limit ${rateLimitRemaining} of ${rateLimit} left`,
  ];
});

await step("updateUsersPartial sets and unsets fields", async () => {
  const { users } = await client.updateUsersPartial({
    users: [{ id: alice, set: { name: "Alice Liddell", color: "teal" }, unset: ["image"] }],
  });
  const updated = users[alice];
  expect(updated.name === "Alice Liddell", `name is "${updated.name}"`);
  expect(updated.image === undefined, `image is still ${updated.image}`);
  return [`${alice}: name "${updated.name}", custom ${JSON.stringify(updated.custom)}, no image`];
});

await step("queryUsers finds the users", async () => {
  const ids = await visibleUsers();
  expect(ids.length === 3, `3 users found, got ${ids.join(", ")}`);
  return [`found ${ids.join(", ")}`];
});

await step("deactivateUser deactivates one user", async () => {
  const { user } = await client.deactivateUser({ user_id: bob, mark_messages_deleted: false });
  const activeIds = await visibleUsers();
  const allIds = await visibleUsers({ includeDeactivated: true });
  expect(!activeIds.includes(bob), `${bob} still listed as active`);
  expect(allIds.includes(bob), `${bob} missing with include_deactivated_users`);
  return [
    `${bob} deactivated at ${user.deactivated_at.toISOString()}`,
    `query: ${activeIds.length} active users, ${allIds.length} with include_deactivated_users`,
  ];
});

await step("deactivateUsers runs a task; waitForTask polls it", async () => {
  const { task_id } = await client.deactivateUsers({ user_ids: [alice, carol] });
  const task = await client.waitForTask(task_id, { intervalMs: 200, timeoutMs: 30_000 });
  expect(task.status === "completed", `task status ${task.status}`);
  return [`task ${task_id}: ${task.status}`, `result ${JSON.stringify(task.result)}`];
});

await step("reactivateUser and reactivateUsers bring everyone back", async () => {
  const { user } = await client.reactivateUser({ user_id: bob, restore_messages: true });
  const { task_id } = await client.reactivateUsers({ user_ids: [alice, carol] });
  const task = await client.waitForTask(task_id, { intervalMs: 200, timeoutMs: 30_000 });
  const ids = await visibleUsers();
  expect(user.deactivated_at === undefined, `${bob} still deactivated`);
  expect(ids.length === 3, `3 active users, got ${ids.join(", ")}`);
  return [`${bob} reactivated`, `task ${task_id}: ${task.status}`, `active: ${ids.join(", ")}`];
});

await step("deleteUsers soft-deletes a user in a task", async () => {
  const { task_id } = await client.deleteUsers({
    user_ids: [carol],
    user: "soft",
    messages: "soft",
    conversations: "soft",
    calls: "soft",
    new_channel_owner_id: alice,
  });
  const task = await client.waitForTask(task_id, { intervalMs: 200, timeoutMs: 30_000 });
  const ids = await visibleUsers();
  expect(task.status === "completed", `task status ${task.status}`);
  expect(!ids.includes(carol), `${carol} is still listed`);
  return [
    `task ${task_id}: ${task.status}, result ${JSON.stringify(task.result)}`,
    `query now returns ${ids.join(", ")}`,
  ];
});

await step("restoreUsers brings the soft-deleted user back", async () => {
  await client.restoreUsers({ user_ids: [carol] });
  const ids = await visibleUsers();
  expect(ids.includes(carol), `${carol} is not listed after restore`);
  return [`query returns ${ids.join(", ")}`];
});

await step("generateUserToken: the sandbox accepts the token", async () => {
  const token = client.generateUserToken({ user_id: alice, validity_in_seconds: 3600 });
  const claims = claimsOf(token);
  const verified = client.verifyToken(token);
  const status = await statusWithToken(token);
  expect(verified.user_id === alice, `verifyToken returned user_id ${verified.user_id}`);
  expect(status === 200, `the sandbox answered ${status}`);
  return [`claims ${JSON.stringify(claims)}`, `verifyToken ok; query with it: HTTP ${status}`];
});

await step("generateCallToken: the sandbox accepts the token", async () => {
  const token = client.generateCallToken({
    user_id: alice,
    call_cids: ["default:standup"],
    role: "admin",
  });
  const status = await statusWithToken(token);
  expect(status === 200, `the sandbox answered ${status}`);
  return [`claims ${JSON.stringify(claimsOf(token))}`, `query with the token: HTTP ${status}`];
});

await step("an invalid user ID is rejected as a StreamError", async () => {
  try {
    await client.upsertUsers([{ id: "not a valid id!" }]);
  } catch (error) {
    expect(error instanceof StreamError, `${error?.name} is not a StreamError`);
    expect(error.status === 400, `status ${error.status}`);
    return [`${error.kind}, status ${error.status}, code ${error.code}: ${error.message}`];
  }
  throw new Error("the sandbox accepted the user ID 'not a valid id!'");
});

await step("a token expiring in the past is rejected before signing", async () => {
  const oneHourAgo = Math.floor(Date.now() / 1000) - 3600;
  try {
    client.generateUserToken({ user_id: alice, exp: oneHourAgo });
  } catch (error) {
    expect(error instanceof StreamError, `${error?.name} is not a StreamError`);
    expect(error.kind === "invalid_argument", `kind ${error.kind}`);
    return [`${error.kind}: ${error.message}`];
  }
  throw new Error("generateUserToken signed a token that had already expired");
});

console.log(`\nAll ${stepCount} steps succeeded against ${baseUrl}.`);
