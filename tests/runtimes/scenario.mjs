// The conformance scenario that every runtime runs against the real stream-sandbox.
//
// The module imports nothing: each runtime's entry loads the package its own way
// (`import "stream-edge"`, `require("stream-edge")`, a bundle, a worker) and passes the
// exports to `runScenario`. Besides the package it uses only `fetch`, `crypto.randomUUID`
// and `setTimeout`, which every runtime under test provides.
//
// User IDs start with `config.runId` and the runtime name, so several runtimes can share
// one sandbox at the same time. The scenario never resets the sandbox.

/**
 * Runs every step and returns `{ runtime, steps: [{ name, ok, detail }] }`. A step that
 * throws is recorded as failed with the error as its detail, and the later steps still run.
 *
 * @param {{ StreamClient: Function, StreamError: Function }} sdk the package's exports
 * @param {object} config `runtime` (a name), `baseUrl`, `apiKey`, `apiSecret`, `runId`,
 *   `timeoutMs` (the client timeout of the stalled request) and `stallMs` (how long the
 *   sandbox stalls it; must be well above `timeoutMs`)
 */
export async function runScenario(sdk, config) {
  const { StreamClient, StreamError } = sdk;
  const prefix = `${config.runId}-${config.runtime}`.replace(/[^A-Za-z0-9_-]/g, "_");
  const ids = {
    ada: `${prefix}-ada`,
    ben: `${prefix}-ben`,
    cy: `${prefix}-cy`,
    stall: `${prefix}-stall`,
  };
  const scenarioIds = [ids.ada, ids.ben, ids.cy];
  // A generous timeout for the ordinary steps, so a slow machine does not fail them.
  const client = new StreamClient(config.apiKey, config.apiSecret, {
    basePath: config.baseUrl,
    timeout: 15000,
  });
  const steps = [];

  async function step(name, body) {
    try {
      const detail = await body();
      steps.push({ name, ok: true, detail: detail ?? "" });
    } catch (error) {
      steps.push({ name, ok: false, detail: describeError(error) });
    }
  }

  async function queryUsers(payload) {
    const response = await client.queryUsers({ payload });
    return response.users;
  }

  async function activeIds() {
    const users = await queryUsers({
      filter_conditions: { id: { $in: scenarioIds } },
      sort: [{ field: "id", direction: 1 }],
    });
    return users.map((user) => user.id);
  }

  await step("upsertUsers", async () => {
    const response = await client.upsertUsers([
      { id: ids.ada, name: "Ada", role: "user", image: "https://example.com/ada.png" },
      { id: ids.ben, name: "Ben" },
      { id: ids.cy, name: "Cy", custom: { team: "red" } },
      { id: ids.stall, name: "Stall" },
    ]);
    expectEqual(Object.keys(response.users).sort(), [...scenarioIds, ids.stall].sort(), "user IDs");
    const ada = response.users[ids.ada];
    expectEqual(ada.name, "Ada", "name of Ada");
    expectEqual(response.users[ids.cy].custom?.team, "red", "custom.team of Cy");
    expectDate(ada.created_at, "created_at");
    expectMetadata(response.metadata, 201);
    return `4 users, request ${response.metadata.clientRequestId}`;
  });

  await step("updateUsersPartial", async () => {
    const response = await client.updateUsersPartial({
      users: [{ id: ids.ada, set: { name: "Ada Lovelace", level: 7 }, unset: ["image"] }],
    });
    const ada = response.users[ids.ada];
    expectEqual(ada.name, "Ada Lovelace", "name after set");
    expectEqual(ada.custom?.level, 7, "custom.level after set");
    expectEqual(ada.image, undefined, "image after unset");
    expectDate(ada.updated_at, "updated_at");
    expectMetadata(response.metadata, 200);
    return "set name and level, unset image";
  });

  await step("queryUsers", async () => {
    const users = await queryUsers({
      filter_conditions: { id: { $in: scenarioIds } },
      sort: [{ field: "id", direction: -1 }],
    });
    expectEqual(users.map((user) => user.id), [...scenarioIds].sort().reverse(), "sorted IDs");
    const ada = users.find((user) => user.id === ids.ada);
    expectEqual(ada?.name, "Ada Lovelace", "name of Ada as queried");
    expectDate(ada?.created_at, "created_at");
    return `${users.length} users, newest ID first`;
  });

  await step("deactivateUser", async () => {
    const response = await client.deactivateUser({ user_id: ids.ada, created_by_id: ids.ben });
    expectEqual(response.user.id, ids.ada, "deactivated user");
    expectDate(response.user.deactivated_at, "deactivated_at");
    expectMetadata(response.metadata, 201);
    expectEqual(await activeIds(), [ids.ben, ids.cy], "active users");
    return `${ids.ada} deactivated`;
  });

  await step("deactivateUsers + waitForTask", async () => {
    const started = await client.deactivateUsers({ user_ids: [ids.ben, ids.cy] });
    expectString(started.task_id, "task_id");
    const task = await client.waitForTask(started.task_id, { intervalMs: 50, timeoutMs: 20000 });
    expectEqual(task.status, "completed", "task status");
    expectEqual(task.task_id, started.task_id, "task_id of the finished task");
    expectDate(task.updated_at, "task updated_at");
    expectEqual(await activeIds(), [], "active users");
    return `task ${task.task_id} completed`;
  });

  await step("reactivateUser + reactivateUsers", async () => {
    const one = await client.reactivateUser({ user_id: ids.ada, restore_messages: true });
    expectEqual(one.user.id, ids.ada, "reactivated user");
    expectEqual(one.user.deactivated_at, undefined, "deactivated_at after reactivation");
    const started = await client.reactivateUsers({ user_ids: [ids.ben, ids.cy] });
    const task = await client.waitForTask(started.task_id, { intervalMs: 50, timeoutMs: 20000 });
    expectEqual(task.status, "completed", "task status");
    expectEqual(await activeIds(), scenarioIds, "active users");
    return "all three users active again";
  });

  await step("deleteUsers soft + waitForTask", async () => {
    const started = await client.deleteUsers({
      user_ids: [ids.cy],
      user: "soft",
      messages: "soft",
      new_channel_owner_id: ids.ada,
    });
    expectString(started.task_id, "task_id");
    const task = await client.waitForTask(started.task_id, { intervalMs: 50, timeoutMs: 20000 });
    expectEqual(task.status, "completed", "task status");
    expectEqual(await activeIds(), [ids.ada, ids.ben], "users left after deletion");
    return `task ${task.task_id} completed`;
  });

  await step("restoreUsers", async () => {
    const response = await client.restoreUsers({ user_ids: [ids.cy] });
    expectMetadata(response.metadata, 201);
    const [cy] = await queryUsers({ filter_conditions: { id: { $eq: ids.cy } } });
    expectEqual(cy?.name, "Cy", "name of the restored user");
    expectEqual(cy?.deleted_at, undefined, "deleted_at after restore");
    return `${ids.cy} restored`;
  });

  await step("upsertUsers of 250 users + deleteUsers", async () => {
    const users = Array.from({ length: 250 }, (_, i) => ({ id: `${prefix}-bulk-${i}` }));
    const events = [];
    const onProgress = (event) => events.push(event.done);
    const upserted = await client.upsertUsers(users, { concurrency: 2, onProgress });
    expectEqual(Object.keys(upserted.users).length, 250, "users in the merged response");
    expectEqual(events.length, 3, "progress events, one per request of 100");
    expectEqual(events.at(-1), 250, "done in the last progress event");
    expectMetadata(upserted.metadata, 201);
    const deleted = await client.deleteUsers({ user_ids: users.map((user) => user.id), user: "hard" });
    expectEqual(deleted.task_ids?.length, 3, "tasks started");
    for (const taskId of deleted.task_ids) {
      const task = await client.waitForTask(taskId, { intervalMs: 100 });
      expectEqual(task.status, "completed", `status of task ${taskId}`);
    }
    return `250 users in 3 requests, ${deleted.task_ids.length} deletion tasks completed`;
  });

  await step("user token accepted", async () => {
    const token = client.generateUserToken({ user_id: ids.ada, validity_in_seconds: 600 });
    const users = await queryWithToken(config, token, ids.ada);
    expectEqual(users.map((user) => user.id), [ids.ada], "users visible to the user token");
    return "sandbox answered queryUsers for the user token";
  });

  await step("call token accepted", async () => {
    const token = client.generateCallToken({
      user_id: ids.ada,
      call_cids: [`default:${prefix}`],
      role: "user",
    });
    const claims = client.verifyToken(token);
    expectEqual(claims.call_cids, [`default:${prefix}`], "call_cids claim");
    const users = await queryWithToken(config, token, ids.ada);
    expectEqual(users.map((user) => user.id), [ids.ada], "users visible to the call token");
    return "sandbox answered queryUsers for the call token";
  });

  await step("wrong-secret token rejected", async () => {
    const other = new StreamClient(config.apiKey, `${config.apiSecret}-wrong`);
    const token = other.generateUserToken({ user_id: ids.ada });
    const response = await fetch(queryUrl(config, ids.ada), { headers: tokenHeaders(token) });
    const body = await response.json();
    expectEqual(response.status, 401, "HTTP status");
    expectEqual(body.code, 43, "Stream error code");
    return "401, code 43";
  });

  await step("4xx as StreamError", async () => {
    const missingTask = crypto.randomUUID();
    const error = await rejectionOf(client.getTask({ id: missingTask }));
    expectStreamError(error, StreamError);
    expectEqual(error.kind, "api", "kind");
    expectEqual(error.status, 404, "status");
    expectEqual(error.code, 16, "code");
    expectEqual(error.metadata?.responseCode, 404, "metadata.responseCode");
    expectString(error.metadata?.clientRequestId, "metadata.clientRequestId");
    if (!error.message.includes(missingTask)) {
      throw new Error(`the message does not name task ${missingTask}: ${error.message}`);
    }
    const { requests } = await controlRequest(config, "GET", "requests");
    const logged = requests.find((request) => request.request_id === error.metadata.clientRequestId);
    expectEqual(logged?.status, 404, "status of the request in the sandbox log");
    return `status ${error.status}, code ${error.code}, request ${logged.request_id}`;
  });

  await step("stalled POST times out", async () => {
    const path = `/api/v2/users/${ids.stall}/deactivate`;
    await controlRequest(config, "POST", "faults", {
      method: "POST",
      path,
      count: 1,
      delay_ms: config.stallMs,
    });
    const impatient = new StreamClient(config.apiKey, config.apiSecret, {
      basePath: config.baseUrl,
      timeout: config.timeoutMs,
    });
    const started = Date.now();
    const error = await rejectionOf(impatient.deactivateUser({ user_id: ids.stall }));
    // Reported for the reader only: the checks below do not depend on timing.
    const elapsedMs = Date.now() - started;
    expectStreamError(error, StreamError);
    expectEqual(error.kind, "timeout", "kind");
    const expected = `timed out after ${config.timeoutMs} ms`;
    if (!error.message.includes(expected)) {
      throw new Error(`the message does not say "${expected}": ${error.message}`);
    }
    // The fault is gone once the sandbox has applied it, which shows that the request
    // reached the sandbox and was stalled there.
    const { faults } = await controlRequest(config, "GET", "faults");
    const pending = faults.filter((fault) => fault.path === path);
    expectEqual(pending, [], "pending faults for the stalled path");

    // The client must still work after one of its requests timed out.
    const users = await impatient.queryUsers({
      payload: { filter_conditions: { id: { $eq: ids.ada } } },
    });
    expectEqual(users.users.map((user) => user.id), [ids.ada], "query after the timeout");
    return `POST ${path} stalled ${config.stallMs} ms, rejected after ${elapsedMs} ms: "${error.message}"`;
  });

  return { runtime: config.runtime, steps };
}

/** Sends a request to the sandbox control API (`/_sandbox/...`) and returns its JSON. */
async function controlRequest(config, method, path, body) {
  const response = await fetch(`${config.baseUrl}/_sandbox/${path}`, {
    method,
    headers: { Authorization: `Bearer ${config.apiSecret}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`sandbox control ${method} /_sandbox/${path} failed: ${response.status} ${text}`);
  }
  return JSON.parse(text);
}

function queryUrl(config, userId) {
  const payload = JSON.stringify({ filter_conditions: { id: { $eq: userId } } });
  const query = new URLSearchParams({ api_key: config.apiKey, payload });
  return `${config.baseUrl}/api/v2/users?${query}`;
}

function tokenHeaders(token) {
  return { Authorization: token, "stream-auth-type": "jwt" };
}

/** Queries one user with `token` as the caller's credential and returns the users. */
async function queryWithToken(config, token, userId) {
  const response = await fetch(queryUrl(config, userId), { headers: tokenHeaders(token) });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`the sandbox rejected the token: ${response.status} ${text}`);
  }
  return JSON.parse(text).users;
}

async function rejectionOf(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to reject, but it resolved");
}

function describeError(error) {
  if (!(error instanceof Error)) return `non-Error thrown: ${String(error)}`;
  const fields = ["kind", "code", "status"]
    .filter((field) => error[field] !== undefined)
    .map((field) => `${field}=${error[field]}`);
  const suffix = fields.length > 0 ? ` (${fields.join(", ")})` : "";
  return `${error.name}: ${error.message}${suffix}`;
}

function expectEqual(actual, expected, what) {
  const actualText = JSON.stringify(actual);
  const expectedText = JSON.stringify(expected);
  if (actualText !== expectedText) {
    throw new Error(`${what}: expected ${expectedText}, got ${actualText}`);
  }
}

function expectString(value, what) {
  if (typeof value !== "string" || value === "") {
    throw new Error(`${what}: expected a non-empty string, got ${JSON.stringify(value)}`);
  }
}

function expectDate(value, what) {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new Error(`${what}: expected a valid Date, got ${Object.prototype.toString.call(value)}`);
  }
}

function expectMetadata(metadata, responseCode) {
  expectEqual(metadata?.responseCode, responseCode, "metadata.responseCode");
  expectString(metadata.clientRequestId, "metadata.clientRequestId");
  if (typeof metadata.responseHeaders?.get !== "function") {
    throw new Error("metadata.responseHeaders: expected a fetch Headers object");
  }
  expectDate(metadata.rateLimit?.rateLimitReset, "metadata.rateLimit.rateLimitReset");
}

function expectStreamError(error, StreamError) {
  if (!(error instanceof StreamError)) {
    throw new Error(`expected a StreamError, got ${describeError(error)}`);
  }
  expectEqual(error.name, "StreamError", "error name");
}
