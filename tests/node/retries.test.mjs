// Retries, timeouts and abort signals of the built package, driven by the real sandbox's
// fault injection. The checks read the sandbox's request log, never the wall clock. The
// last test scans every error, logger line and client rendering of the suite for the secret.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, beforeEach, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import { StreamClient, StreamError } from "stream-edge";

import { assertStreamError, rejectionOf } from "./support/assertions.mjs";
import { startSandbox } from "./support/sandbox.mjs";
import { SecretScan } from "./support/secret-scan.mjs";

const SECRET = "retry-suite-secret-7c1e9a4b0d";
const USERS_PATH = "/api/v2/users";

/**
 * Maximum total backoff of a client with `maxRetries: 3` and `retryBaseDelayMs: 50`:
 * 50 + 100 + 200 ms. After waiting longer, a retry that was wrongly sent after an abort
 * would have reached the sandbox.
 */
const MAX_TOTAL_BACKOFF_MS = 350;

/** Converts a request-log timestamp (RFC 3339 with up to nine fraction digits) to ns. */
function unixNanos(at) {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(at);
  assert.ok(match, `unexpected timestamp ${at}`);
  const wholeSeconds = Date.parse(`${match[1]}Z`);
  const fraction = (match[2] ?? "").padEnd(9, "0");
  return BigInt(wholeSeconds) * 1_000_000n + BigInt(fraction);
}

/** Returns a localhost port on which nothing listens. */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("retries, timeouts and signals", () => {
  const scan = new SecretScan(SECRET);
  let sandbox;

  /** Creates a client for the sandbox whose retries land in `events`. */
  function clientWith(options = {}, events = []) {
    const client = new StreamClient(sandbox.apiKey, SECRET, {
      basePath: sandbox.baseUrl,
      retryBaseDelayMs: 20,
      logger: scan.logger(events),
      ...options,
    });
    scan.record("client", client);
    return client;
  }

  /** Awaits a call that must fail and records its error. */
  async function failure(promise) {
    const error = await rejectionOf(promise);
    scan.record(`error ${error?.kind}`, error);
    return error;
  }

  async function loggedStatuses(path) {
    const requests = await sandbox.requests();
    return requests.filter((request) => request.path === path).map((request) => request.status);
  }

  before(async () => {
    sandbox = await startSandbox({ apiSecret: SECRET });
  });

  after(() => sandbox?.stop());

  beforeEach(() => sandbox.reset());

  test("503 burst is retried until success", async () => {
    const events = [];
    const client = clientWith({}, events);
    await sandbox.addFault({ method: "POST", path: USERS_PATH, count: 2, status: 503 });

    const response = await client.upsertUsers([{ id: "alice", name: "Alice" }]);

    assert.equal(response.users.alice.name, "Alice");
    assert.deepEqual(await loggedStatuses(USERS_PATH), [503, 503, 201]);
    const requests = await sandbox.requests();
    for (const request of requests) {
      assert.equal(request.request_id, response.metadata.clientRequestId, "one ID per call");
    }
    assert.deepEqual(
      events.map(({ event }) => event.attempt),
      [1, 2],
    );
    for (const { message, event } of events) {
      assert.equal(event.operation, "upsertUsers");
      assert.equal(event.maxRetries, 3);
      assert.equal(event.status, 503);
      assert.equal(event.reason, "HTTP 503, Stream error code -1");
      assert.equal(event.delaySource, "backoff");
      assert.ok(event.delayMs >= 0, `delayMs ${event.delayMs}`);
      assert.ok(event.delayMs <= 20 * 2 ** (event.attempt - 1), `delayMs ${event.delayMs}`);
      assert.equal(event.clientRequestId, response.metadata.clientRequestId);
      assertStreamError(event.error, StreamError, { kind: "api", status: 503, code: -1 });
      const retry = `retry ${event.attempt} of 3 in \\d+ ms$`;
      assert.match(message, new RegExp(`^upsertUsers failed with HTTP 503: .*; ${retry}`));
    }
  });

  test("429 waits for X-RateLimit-Reset", async () => {
    const events = [];
    const client = clientWith({ timeout: 10_000 }, events);
    await sandbox.addFault({
      method: "POST",
      path: USERS_PATH,
      count: 1,
      status: 429,
      reset_in_secs: 2,
    });

    const response = await client.upsertUsers([{ id: "bob" }]);

    assert.equal(response.users.bob.id, "bob");
    const requests = (await sandbox.requests()).filter((request) => request.path === USERS_PATH);
    assert.deepEqual(
      requests.map((request) => request.status),
      [429, 201],
    );
    assert.equal(events.length, 1);
    const { event, message } = events[0];
    assert.equal(event.status, 429);
    assert.equal(event.delaySource, "x-ratelimit-reset");
    assert.match(message, /retry 1 of 3 in \d+ ms, at X-RateLimit-Reset$/);
    const reset = event.error.metadata.rateLimit.rateLimitReset;
    assert.ok(reset instanceof Date, "the 429 carries X-RateLimit-Reset");
    assert.ok(
      unixNanos(requests[0].at) < BigInt(reset.getTime()) * 1_000_000n,
      "the reset lies after the 429",
    );
    assert.ok(
      unixNanos(requests[1].at) >= BigInt(reset.getTime()) * 1_000_000n,
      `the retry arrived at ${requests[1].at}, before the reset ${reset.toISOString()}`,
    );
  });

  test("429 with a reset past the timeout fails at once", async () => {
    const events = [];
    const client = clientWith({ timeout: 3000 }, events);
    await sandbox.addFault({
      method: "POST",
      path: USERS_PATH,
      count: 1,
      status: 429,
      reset_in_secs: 60,
    });

    const error = await failure(client.upsertUsers([{ id: "carol" }]));

    assertStreamError(error, StreamError, { kind: "api", status: 429, code: 9 });
    assert.ok(error.metadata.rateLimit.rateLimitReset instanceof Date);
    assert.equal(events.length, 0, "no retry is logged");
    assert.deepEqual(await loggedStatuses(USERS_PATH), [429]);
  });

  test("other 4xx and 500 are not retried", async () => {
    const events = [];
    const client = clientWith({}, events);
    await sandbox.addFault({ method: "GET", path: USERS_PATH, count: 1, status: 500 });

    const invalid = await failure(client.upsertUsers([{ id: "dave", role: "emperor" }]));
    const internal = await failure(client.queryUsers({ payload: { filter_conditions: {} } }));

    assertStreamError(invalid, StreamError, { kind: "api", status: 400, code: 4 });
    assertStreamError(internal, StreamError, { kind: "api", status: 500 });
    assert.equal(events.length, 0);
    const requests = await sandbox.requests();
    assert.deepEqual(
      requests.map((request) => `${request.method} ${request.status}`),
      ["POST 400", "GET 500"],
    );
  });

  test("retries stop after maxRetries", async () => {
    const events = [];
    const client = clientWith({ maxRetries: 2 }, events);
    await sandbox.addFault({ method: "POST", path: USERS_PATH, count: 10, status: 502 });

    const error = await failure(client.upsertUsers([{ id: "erin" }]));

    assertStreamError(error, StreamError, { kind: "api", status: 502, operation: "upsertUsers" });
    assert.equal(events.length, 2);
    assert.deepEqual(await loggedStatuses(USERS_PATH), [502, 502, 502]);
  });

  test("maxRetries 0 sends once", async () => {
    const events = [];
    const client = clientWith({ maxRetries: 0 }, events);
    await sandbox.addFault({ method: "POST", path: USERS_PATH, count: 1, status: 504 });

    const error = await failure(client.upsertUsers([{ id: "finn" }]));

    assertStreamError(error, StreamError, { kind: "api", status: 504 });
    assert.equal(events.length, 0);
    assert.deepEqual(await loggedStatuses(USERS_PATH), [504]);
  });

  test("stalled response times out", async () => {
    const events = [];
    const client = clientWith({ timeout: 300 }, events);
    await sandbox.addFault({ method: "GET", path: USERS_PATH, count: 1, delay_ms: 10_000 });

    const error = await failure(client.queryUsers({ payload: { filter_conditions: {} } }));

    assertStreamError(error, StreamError, {
      kind: "timeout",
      operation: "queryUsers",
      message: /^queryUsers timed out after 300 ms; raise `timeout`/,
    });
    assert.equal(events.length, 0);
    const { faults } = await sandbox.control("GET", "faults");
    assert.deepEqual(faults, [], "the sandbox applied the stall");
  });

  test("timeout covers the retries", async () => {
    const events = [];
    const client = clientWith({ timeout: 1000 }, events);
    await sandbox.addFault({ method: "GET", path: USERS_PATH, count: 1, status: 503 });
    await sandbox.addFault({ method: "GET", path: USERS_PATH, count: 1, delay_ms: 10_000 });

    const error = await failure(client.queryUsers({ payload: { filter_conditions: {} } }));

    assertStreamError(error, StreamError, {
      kind: "timeout",
      message: /^queryUsers timed out after 1000 ms \(2 attempts\)/,
    });
    assert.equal(events.length, 1);
    assert.deepEqual(await loggedStatuses(USERS_PATH), [503], "the stalled retry never answered");
  });

  test("abort during the backoff stops the retries", async () => {
    const controller = new AbortController();
    const events = [];
    const recording = scan.logger(events);
    // The logger runs just before the client starts waiting, so the abort lands in the wait.
    const client = clientWith({
      retryBaseDelayMs: 50,
      maxRetries: 3,
      logger: {
        warn(message, event) {
          recording.warn(message, event);
          controller.abort();
        },
      },
    });
    await sandbox.addFault({ method: "POST", path: USERS_PATH, count: 10, status: 503 });

    const error = await failure(
      client.upsertUsers([{ id: "gina" }], { signal: controller.signal }),
    );

    assertStreamError(error, StreamError, {
      kind: "abort",
      operation: "upsertUsers",
      message: /^upsertUsers was aborted by its signal after \d+ ms$/,
    });
    assert.equal(error.cause, controller.signal.reason);
    assert.equal(events.length, 1);
    await sleep(MAX_TOTAL_BACKOFF_MS + 250);
    assert.deepEqual(await loggedStatuses(USERS_PATH), [503], "no request after the abort");
    const { faults } = await sandbox.control("GET", "faults");
    assert.equal(faults[0].count, 9, "nine of the ten 503s are left");
  });

  test("abort during a request rejects with abort", async () => {
    const client = clientWith({ timeout: 20_000 });
    await sandbox.addFault({ method: "GET", path: USERS_PATH, count: 1, delay_ms: 10_000 });
    const signal = AbortSignal.timeout(200);
    const query = { payload: { filter_conditions: {} } };

    const error = await failure(client.queryUsers(query, { signal }));

    assertStreamError(error, StreamError, {
      kind: "abort",
      message: /^queryUsers was aborted by its signal after \d+ ms$/,
    });
    assert.match(error.metadata.clientRequestId, /^[0-9a-f-]{36}$/);
    assert.equal(error.cause?.name, "TimeoutError");
  });

  test("aborted signal sends nothing", async () => {
    const client = clientWith();

    const error = await failure(
      client.upsertUsers([{ id: "hank" }], { signal: AbortSignal.abort() }),
    );

    assertStreamError(error, StreamError, { kind: "abort", operation: "upsertUsers" });
    assert.deepEqual(error.metadata, {});
    assert.deepEqual(await sandbox.requests(), []);
  });

  test("network errors are retried", async () => {
    const events = [];
    const port = await closedPort();
    const offline = new StreamClient(sandbox.apiKey, SECRET, {
      basePath: `http://127.0.0.1:${port}`,
      maxRetries: 2,
      retryBaseDelayMs: 10,
      logger: scan.logger(events),
    });
    scan.record("client", offline);

    const error = await failure(offline.exportUser({ user_id: "ivy" }));

    assertStreamError(error, StreamError, { kind: "network", operation: "exportUser" });
    assert.equal(events.length, 2);
    for (const { event } of events) {
      assert.match(event.reason, /^network error: /);
      assert.equal(event.status, undefined);
      assert.equal(event.error.kind, "network");
    }
  });

  test("waitForTask retries its getTask requests", async () => {
    const events = [];
    const client = clientWith({}, events);
    await client.upsertUsers([{ id: "jack" }]);
    const { task_id } = await client.deactivateUsers({ user_ids: ["jack"] });
    const taskPath = `/api/v2/tasks/${task_id}`;
    await sandbox.addFault({ method: "GET", path: taskPath, count: 1, status: 503 });

    const task = await client.waitForTask(task_id, { intervalMs: 20 });

    assert.equal(task.status, "completed");
    assert.equal(events[0].event.operation, "waitForTask");
    assert.equal((await loggedStatuses(taskPath))[0], 503);
  });

  test("nothing shows the secret", () => {
    for (const label of ["logger message", "error", "client"]) {
      const count = scan.count(label);
      assert.ok(count >= 10, `only ${count} records of ${label}: the suite must produce them`);
    }

    scan.assertClean();
  });
});
