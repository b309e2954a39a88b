// Mistakes a new user makes on the first calls: a query without a filter, misspelt or empty
// constructor arguments, a zero polling interval, an empty upsert and an Authorization
// header passed to verifyToken, and calls on a client after free(). Each is rejected before
// anything is sent, with a message that names the argument and what to pass.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";

import { StreamClient, StreamError } from "stream-edge";

import { assertStreamError, rejectionOf, thrownBy } from "./support/assertions.mjs";
import { startSandbox } from "./support/sandbox.mjs";

const VALID_OPTIONS = /the options are basePath, timeout, maxRetries, retryBaseDelayMs, logger$/;

describe("first calls of a new user", () => {
  let sandbox;
  let client;

  before(async () => {
    sandbox = await startSandbox();
    client = new StreamClient(sandbox.apiKey, sandbox.apiSecret, { basePath: sandbox.baseUrl });
  });

  after(() => sandbox?.stop());

  beforeEach(() => sandbox.reset());

  const rejectedCalls = [
    [
      "queryUsers()",
      "queryUsers",
      () => client.queryUsers(),
      /^queryUsers: payload is missing; pass \{ payload: \{ filter_conditions: /,
    ],
    ["queryUsers({})", "queryUsers", () => client.queryUsers({}), /^queryUsers: payload is missing/],
    [
      "queryUsers without filter_conditions",
      "queryUsers",
      () => client.queryUsers({ payload: { limit: 10 } }),
      /^queryUsers: payload\.filter_conditions is missing; .*or \{\} to match every user$/,
    ],
    [
      "upsertUsers([])",
      "upsertUsers",
      () => client.upsertUsers([]),
      /^upsertUsers: users is empty; pass at least one user/,
    ],
    [
      "waitForTask with intervalMs 0",
      "waitForTask",
      () => client.waitForTask("some-task", { intervalMs: 0 }),
      /^waitForTask: intervalMs must be at least 20 ms, .* got 0$/,
    ],
  ];

  for (const [name, operation, call, message] of rejectedCalls) {
    test(`${name} is rejected before sending`, async () => {
      const error = await rejectionOf(Promise.resolve().then(call));

      assertStreamError(error, StreamError, { kind: "invalid_argument", operation, message });
      assert.deepEqual(await sandbox.requests(), [], "nothing may be sent");
    });
  }

  test("queryUsers with an empty filter matches every user", async () => {
    await client.upsertUsers([{ id: "first-a" }, { id: "first-b" }]);

    const { users } = await client.queryUsers({ payload: { filter_conditions: {} } });

    assert.deepEqual(users.map((user) => user.id).sort(), ["first-a", "first-b"]);
  });

  test("waitForTask accepts the shortest interval", async () => {
    await client.upsertUsers([{ id: "brief" }]);
    const { task_id } = await client.deactivateUsers({ user_ids: ["brief"] });

    const task = await client.waitForTask(task_id, { intervalMs: 20 });

    assert.equal(task.status, "completed");
  });

  test("verifyToken hints to strip the Bearer prefix", () => {
    const token = client.generateUserToken({ user_id: "alice" });

    const error = thrownBy(() => client.verifyToken(`Bearer ${token}`));

    assertStreamError(error, StreamError, {
      kind: "invalid_argument",
      operation: "verifyToken",
      message: /^verifyToken: token starts with "Bearer "; strip that prefix/,
    });
    assert.ok(!error.message.includes(token), "the message repeats the token");
    assert.equal(client.verifyToken(token).user_id, "alice");
  });

  test("verifyWebhook reads an ArrayBuffer body", async () => {
    const body = JSON.stringify({ type: "user.updated" });
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(sandbox.apiSecret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body));
    const signature = Buffer.from(mac).toString("hex");
    const buffer = new TextEncoder().encode(body).buffer;
    const wrong = `${signature[0] === "0" ? "1" : "0"}${signature.slice(1)}`;

    assert.equal(client.verifyWebhook(buffer, signature), true);
    assert.equal(client.verifyWebhook(buffer, wrong), false);
  });
});

describe("constructor arguments", () => {
  for (const name of ["basepath", "baseURL"]) {
    test(`unknown option ${name} is named with the valid ones`, () => {
      const error = thrownBy(
        () => new StreamClient("key", "secret", { [name]: "http://127.0.0.1:9" }),
      );

      assertStreamError(error, StreamError, {
        kind: "invalid_argument",
        operation: "StreamClient",
        message: new RegExp(
          `^StreamClient: options has an unknown option "${name}" \\(did you mean basePath\\?\\);`,
        ),
      });
      assert.match(error.message, VALID_OPTIONS);
    });
  }

  test("empty apiKey is rejected", () => {
    const error = thrownBy(() => new StreamClient("", "top-secret-value"));

    assertStreamError(error, StreamError, {
      kind: "invalid_argument",
      message: /^StreamClient: apiKey is empty; pass your app's API key/,
    });
    assert.ok(!error.message.includes("top-secret-value"), "the message leaks the secret");
  });

  test("empty secret is rejected", () => {
    const error = thrownBy(() => new StreamClient("key", ""));

    assertStreamError(error, StreamError, {
      kind: "invalid_argument",
      message: /^StreamClient: secret is empty; pass your app's API secret/,
    });
  });

  test("every documented option is accepted", () => {
    const options = {
      basePath: "http://127.0.0.1:9",
      timeout: 100,
      maxRetries: 0,
      retryBaseDelayMs: 0,
      logger: console,
    };

    assert.ok(new StreamClient("key", "secret", options) instanceof StreamClient);
  });
});

describe("a freed client", () => {
  let sandbox;

  before(async () => {
    sandbox = await startSandbox();
  });

  after(() => sandbox?.stop());

  const FREED = /this StreamClient was freed with free\(\); create a new StreamClient/;

  test("token methods throw StreamError", () => {
    const client = new StreamClient(sandbox.apiKey, sandbox.apiSecret);
    client.free();

    const error = thrownBy(() => client.generateUserToken({ user_id: "alice" }));

    assertStreamError(error, StreamError, {
      kind: "invalid_argument",
      operation: "generateUserToken",
      message: FREED,
    });
  });

  test("network methods reject and send nothing", async () => {
    await sandbox.reset();
    const client = new StreamClient(sandbox.apiKey, sandbox.apiSecret, {
      basePath: sandbox.baseUrl,
    });
    client.free();

    const pending = client.upsertUsers([{ id: "alice" }]);
    assert.ok(pending instanceof Promise, "upsertUsers must return a promise");
    const error = await rejectionOf(pending);

    assertStreamError(error, StreamError, {
      kind: "invalid_argument",
      operation: "upsertUsers",
      message: FREED,
    });
    assert.deepEqual(await sandbox.requests(), [], "nothing may be sent");
  });

  test("free twice and new clients still work", async () => {
    const client = new StreamClient(sandbox.apiKey, sandbox.apiSecret);
    client.free();
    client.free();

    const fresh = new StreamClient(sandbox.apiKey, sandbox.apiSecret, {
      basePath: sandbox.baseUrl,
    });
    const { users } = await fresh.upsertUsers([{ id: "after-free" }]);

    assert.equal(users["after-free"].id, "after-free");
  });
});
