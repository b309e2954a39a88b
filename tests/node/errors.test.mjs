// Error paths of the built package against the real sandbox: authentication, validation,
// not found, injected faults, timeouts, network failures and rejected arguments.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, beforeEach, describe, test } from "node:test";

import { StreamClient, StreamError } from "stream-edge";

import { assertMetadata, assertStreamError, rejectionOf } from "./support/assertions.mjs";
import { startSandbox } from "./support/sandbox.mjs";

/** Returns a localhost port on which nothing listens. */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("errors end to end", () => {
  let sandbox;
  let client;

  before(async () => {
    sandbox = await startSandbox();
    client = new StreamClient(sandbox.apiKey, sandbox.apiSecret, { basePath: sandbox.baseUrl });
  });

  after(() => sandbox?.stop());

  beforeEach(() => sandbox.reset());

  test("unknown api key is an auth failure", async () => {
    const stranger = new StreamClient("no-such-key", sandbox.apiSecret, {
      basePath: sandbox.baseUrl,
    });

    const error = await rejectionOf(stranger.upsertUsers([{ id: "alice" }]));

    assertStreamError(error, StreamError, {
      kind: "api",
      operation: "upsertUsers",
      status: 401,
      code: 2,
      message: /upsertUsers.*api[_ ]key/i,
    });
    assertMetadata(error.metadata, 401);
  });

  test("token signed with another secret is an auth failure", async () => {
    const forger = new StreamClient(sandbox.apiKey, "some-other-secret", {
      basePath: sandbox.baseUrl,
    });

    const error = await rejectionOf(forger.queryUsers({ payload: { filter_conditions: {} } }));

    assertStreamError(error, StreamError, {
      kind: "api",
      operation: "queryUsers",
      status: 401,
      code: 43,
      message: /queryUsers.*signature/i,
    });
    assert.ok(!error.message.includes("some-other-secret"), "message leaks the secret");
  });

  test("invalid role is a 400 with code 4", async () => {
    const error = await rejectionOf(client.upsertUsers([{ id: "alice", role: "emperor" }]));

    assertStreamError(error, StreamError, {
      kind: "api",
      operation: "upsertUsers",
      status: 400,
      code: 4,
      message: /upsertUsers.*role.*emperor/i,
    });
    assertMetadata(error.metadata, 400);
    assert.equal(typeof error.unrecoverable, "boolean");
  });

  test("unknown task id is a 404", async () => {
    const error = await rejectionOf(client.getTask({ id: "00000000-0000-0000-0000-000000000000" }));

    assertStreamError(error, StreamError, {
      kind: "api",
      operation: "getTask",
      status: 404,
      message: /getTask.*task/i,
    });
    assert.equal(typeof error.code, "number");
    assertMetadata(error.metadata, 404);
  });

  test("injected 429 carries rate-limit metadata", async () => {
    // Without retries the first 429 surfaces as it arrived.
    const once = new StreamClient(sandbox.apiKey, sandbox.apiSecret, {
      basePath: sandbox.baseUrl,
      maxRetries: 0,
    });
    await sandbox.addFault({
      method: "POST",
      path: "/api/v2/users",
      count: 1,
      status: 429,
      reset_in_secs: 2,
    });
    const before = Math.floor(Date.now() / 1000);

    const error = await rejectionOf(once.upsertUsers([{ id: "alice" }]));

    assertStreamError(error, StreamError, {
      kind: "api",
      operation: "upsertUsers",
      status: 429,
      code: 9,
      message: /upsertUsers/,
    });
    assertMetadata(error.metadata, 429);
    assert.equal(error.metadata.rateLimit.rateLimitRemaining, 0);
    assert.equal(error.metadata.responseHeaders.get("retry-after"), "2");
    const resetSecs = error.metadata.rateLimit.rateLimitReset.getTime() / 1000;
    assert.ok(resetSecs >= before + 2, `reset ${resetSecs} is not 2 s after ${before}`);
  });

  test("injected 500 is an api error", async () => {
    await sandbox.addFault({ path: "/api/v2/users/deactivate", count: 1, status: 500 });

    const error = await rejectionOf(client.deactivateUsers({ user_ids: ["alice"] }));

    assertStreamError(error, StreamError, {
      kind: "api",
      operation: "deactivateUsers",
      status: 500,
      code: -1,
      message: /deactivateUsers/,
    });
  });

  test("stalled request times out at the configured timeout", async () => {
    const impatient = new StreamClient(sandbox.apiKey, sandbox.apiSecret, {
      basePath: sandbox.baseUrl,
      timeout: 250,
    });
    await sandbox.addFault({ method: "GET", path: "/api/v2/users", count: 1, delay_ms: 10_000 });

    const error = await rejectionOf(impatient.queryUsers({ payload: { filter_conditions: {} } }));

    assertStreamError(error, StreamError, {
      kind: "timeout",
      operation: "queryUsers",
      message: /queryUsers.*250 ?ms/,
    });
    assert.equal(error.status, undefined);
    assert.match(error.metadata.clientRequestId, /^[0-9a-f-]{36}$/);
  });

  test("unreachable server is a network error", async () => {
    const port = await closedPort();
    const offline = new StreamClient(sandbox.apiKey, sandbox.apiSecret, {
      basePath: `http://127.0.0.1:${port}`,
      maxRetries: 0,
    });

    const error = await rejectionOf(offline.exportUser({ user_id: "alice" }));

    assertStreamError(error, StreamError, {
      kind: "network",
      operation: "exportUser",
      message: /exportUser/,
    });
  });

  test("waitForTask gives up after timeoutMs", async () => {
    const slow = await startSandbox({ taskDelayMs: 600_000 });
    try {
      const slowClient = new StreamClient(slow.apiKey, slow.apiSecret, { basePath: slow.baseUrl });
      await slowClient.upsertUsers([{ id: "alice" }]);
      const { task_id } = await slowClient.deactivateUsers({ user_ids: ["alice"] });

      const error = await rejectionOf(
        slowClient.waitForTask(task_id, { intervalMs: 20, timeoutMs: 200 }),
      );

      assertStreamError(error, StreamError, {
        kind: "task_timeout",
        operation: "waitForTask",
        message: new RegExp(`waitForTask.*${task_id}.*200 ?ms`),
      });
    } finally {
      await slow.stop();
    }
  });

  test("waitForTask stops when the signal aborts", async () => {
    await client.upsertUsers([{ id: "alice" }]);
    const { task_id } = await client.deactivateUsers({ user_ids: ["alice"] });

    const error = await rejectionOf(
      client.waitForTask(task_id, { intervalMs: 20, signal: AbortSignal.abort() }),
    );

    assertStreamError(error, StreamError, {
      kind: "abort",
      operation: "waitForTask",
      message: /waitForTask.*abort/i,
    });
  });

  test("waitForTask on an unknown task rejects with the 404", async () => {
    const error = await rejectionOf(client.waitForTask("no-such-task", { intervalMs: 20 }));

    assertStreamError(error, StreamError, { kind: "api", status: 404 });
  });
});
