// Input checks of the built package that run before any request: each error names the
// field and the value, and the sandbox's request log stays empty. The file also covers the
// checks of the constructor's retry options and of the `{ signal }` argument, and the
// errors for broken response bodies from a local HTTP server.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { inspect } from "node:util";
import { after, before, beforeEach, describe, test } from "node:test";

import { StreamClient, StreamError } from "stream-edge";

import { assertStreamError, rejectionOf, thrownBy } from "./support/assertions.mjs";
import { startSandbox } from "./support/sandbox.mjs";

/** Returns an object that contains itself under `custom.self`. */
function cyclicUser() {
  const user = { id: "cycle", custom: {} };
  user.custom.self = user;
  return user;
}

describe("input validation", () => {
  let sandbox;
  let client;

  before(async () => {
    sandbox = await startSandbox();
    client = new StreamClient(sandbox.apiKey, sandbox.apiSecret, { basePath: sandbox.baseUrl });
  });

  after(() => sandbox?.stop());

  beforeEach(() => sandbox.reset());

  const cases = [
    [
      "user_ids not an array",
      "deleteUsers",
      () => client.deleteUsers({ user_ids: "alice" }),
      /^deleteUsers: user_ids must be an array of user IDs, got "alice"$/,
    ],
    [
      "empty user_ids",
      "deactivateUsers",
      () => client.deactivateUsers({ user_ids: [] }),
      /^deactivateUsers: user_ids must contain at least one user ID$/,
    ],
    [
      "non-string id in user_ids",
      "restoreUsers",
      () => client.restoreUsers({ user_ids: ["alice", 42] }),
      /^restoreUsers: user_ids\[1\] must be a string, got 42$/,
    ],
    [
      "user without id",
      "upsertUsers",
      () => client.upsertUsers([{ id: "alice" }, { name: "Nobody" }]),
      /^upsertUsers: users\[1\]\.id is missing/,
    ],
    [
      "numeric user id",
      "upsertUsers",
      () => client.upsertUsers([{ id: 7 }]),
      /^upsertUsers: users\[0\]\.id must be a non-empty string, got 7$/,
    ],
    [
      "duplicate ids in one upsert",
      "upsertUsers",
      () => client.upsertUsers([{ id: "alice" }, { id: "bob" }, { id: "alice", name: "A" }]),
      /^upsertUsers: users\[2\]\.id "alice" repeats the id of users\[0\]/,
    ],
    [
      "set changing the id",
      "updateUsersPartial",
      () => client.updateUsersPartial({ users: [{ id: "alice", set: { id: "bob" } }] }),
      /^updateUsersPartial: users\[0\]\.set\.id cannot be set/,
    ],
    [
      "unset removing the id",
      "updateUsersPartial",
      () => client.updateUsersPartial({ users: [{ id: "alice", unset: ["id"] }] }),
      /^updateUsersPartial: users\[0\]\.unset\[0\] is "id", which cannot be removed/,
    ],
    [
      "one key in set and unset",
      "updateUsersPartial",
      () =>
        client.updateUsersPartial({
          users: [{ id: "alice", set: { name: "A" }, unset: ["name"] }],
        }),
      /^updateUsersPartial: users\[0\]\.unset\[0\] is "name", which set also changes/,
    ],
    [
      "unknown delete mode",
      "deleteUsers",
      () => client.deleteUsers({ user_ids: ["alice"], messages: "shred" }),
      /^deleteUsers: messages must be one of "soft", "pruning", "hard", got "shred"$/,
    ],
    [
      "cyclic custom data",
      "upsertUsers",
      () => client.upsertUsers([cyclicUser()]),
      /^upsertUsers: users\[0\]\.custom\.self refers back to an object that contains it/,
    ],
    [
      "BigInt in custom data",
      "upsertUsers",
      () => client.upsertUsers([{ id: "big", custom: { balance: 12345678901234567890n } }]),
      /^upsertUsers: users\[0\]\.custom\.balance is the BigInt 12345678901234567890n/,
    ],
    [
      "function in custom data",
      "updateUsersPartial",
      () =>
        client.updateUsersPartial({
          users: [{ id: "alice", set: { "custom.greet": function greet() {} } }],
        }),
      /^updateUsersPartial: users\[0\]\.set\.custom\.greet is function greet, which JSON cannot/,
    ],
    [
      "symbol in custom data",
      "createGuest",
      () => client.createGuest({ user: { id: "guest", custom: { tag: Symbol("x") } } }),
      /^createGuest: user\.custom\.tag is a Symbol/,
    ],
    [
      "NaN in custom data",
      "upsertUsers",
      () => client.upsertUsers({ users: { nan: { id: "nan", custom: { score: NaN } } } }),
      /^upsertUsers: users\.nan\.custom\.score must be a finite number, got NaN$/,
    ],
    [
      "keyed user under another id",
      "upsertUsers",
      () => client.upsertUsers({ users: { carol: { id: "dave" } } }),
      /^upsertUsers: users\.carol\.id must equal its key "carol", got "dave"$/,
    ],
    [
      "queryUsers limit above 100",
      "queryUsers",
      () => client.queryUsers({ payload: { filter_conditions: {}, limit: 101 } }),
      /^queryUsers: payload\.limit must be a whole number from 0 to 100, got 101$/,
    ],
    [
      "queryUsers negative offset",
      "queryUsers",
      () => client.queryUsers({ payload: { filter_conditions: {}, offset: -1 } }),
      /^queryUsers: payload\.offset must be a whole number from 0 to 1000, got -1$/,
    ],
    [
      "queryUsers fractional limit",
      "queryUsers",
      () => client.queryUsers({ payload: { filter_conditions: {}, limit: 2.5 } }),
      /^queryUsers: payload\.limit must be a whole number from 0 to 100, got 2\.5$/,
    ],
    [
      "signal that is not an AbortSignal",
      "getTask",
      () => client.getTask({ id: "t" }, { signal: {} }),
      /^getTask: signal must be an AbortSignal/,
    ],
    [
      "array with a huge length",
      "deactivateUsers",
      () => {
        const user_ids = [];
        user_ids.length = 2 ** 32 - 1;
        return client.deactivateUsers({ user_ids });
      },
      /^deactivateUsers: user_ids has a length of 4294967295, more than the 1000000 elements/,
    ],
    [
      "Proxy whose length getter throws",
      "upsertUsers",
      () => {
        const users = new Proxy([{ id: "p" }], {
          get(target, key) {
            if (key === "length") throw new Error("length is broken");
            return Reflect.get(target, key);
          },
        });
        return client.upsertUsers(users);
      },
      /^upsertUsers: users cannot be read \(Error: length is broken\)$/,
    ],
    [
      "Proxy whose ownKeys trap throws",
      "upsertUsers",
      () => {
        const user = new Proxy(
          { id: "p" },
          {
            ownKeys() {
              throw new Error("keys are broken");
            },
          },
        );
        return client.upsertUsers([user]);
      },
      /^upsertUsers: users\[0\] cannot be read \(Error: keys are broken\)$/,
    ],
    [
      "infinite concurrency",
      "upsertUsers",
      () => client.upsertUsers([{ id: "a" }], { concurrency: Infinity }),
      /concurrency must be a finite number, got Infinity$/,
    ],
    [
      "call options that are not an object",
      "exportUser",
      () => client.exportUser({ user_id: "alice" }, "fast"),
      /^exportUser: options must be an object \{ signal \}, got a value of type string$/,
    ],
  ];

  for (const [name, operation, call, message] of cases) {
    test(`${name} is rejected before sending`, async () => {
      const error = await rejectionOf(Promise.resolve().then(call));

      assertStreamError(error, StreamError, { kind: "invalid_argument", operation, message });
      assert.deepEqual(await sandbox.requests(), [], "nothing may be sent");
    });
  }

  test("Date and undefined custom values are sent", async () => {
    const when = new Date("2024-05-01T10:00:00.000Z");

    const { users } = await client.upsertUsers([
      { id: "dated", custom: { when, note: undefined } },
    ]);

    assert.deepEqual(users.dated.custom, { when: "2024-05-01T10:00:00.000Z" });
  });

  test("shared objects are not cycles", async () => {
    const shared = { color: "red" };

    const { users } = await client.upsertUsers([
      { id: "one", custom: { a: shared, b: shared } },
    ]);

    assert.deepEqual(users.one.custom, { a: { color: "red" }, b: { color: "red" } });
  });

  const constructorCases = [
    [{ timeout: -Infinity }, /^StreamClient: options\.timeout must be a finite number, got -Infinity$/],
    [{ maxRetries: 11 }, /^StreamClient: options\.maxRetries must be a whole number .* got 11$/],
    [{ maxRetries: 1.5 }, /options\.maxRetries must be a whole number from 0 to 10, got 1\.5$/],
    [{ retryBaseDelayMs: -1 }, /options\.retryBaseDelayMs must be a non-negative number/],
    [{ logger: {} }, /options\.logger must be an object with a warn\(message, event\) method/],
    [{ logger: "console" }, /options\.logger .* got a value of type string$/],
  ];

  for (const [options, message] of constructorCases) {
    test(`constructor rejects ${inspect(options)}`, () => {
      const error = thrownBy(() => new StreamClient("key", "secret", options));

      assertStreamError(error, StreamError, {
        kind: "invalid_argument",
        operation: "StreamClient",
        message,
      });
    });
  }

  test("constructor accepts console as logger", () => {
    const logged = new StreamClient("key", "secret", { logger: console, maxRetries: 0 });

    assert.ok(logged instanceof StreamClient);
  });
});

describe("broken response bodies", () => {
  let server;
  let baseUrl;
  /** Responses to send, in order: `[status, contentType, body]`. */
  let answers = [];
  let received = 0;

  before(async () => {
    server = createServer((request, response) => {
      received += 1;
      const [status, contentType, body] = answers.shift() ?? [500, "text/plain", "no answer left"];
      response.writeHead(status, { "content-type": contentType });
      response.end(body);
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${server.address().port}`;
  });

  after(() => new Promise((resolve) => server.close(resolve)));

  beforeEach(() => {
    answers = [];
    received = 0;
  });

  function client() {
    return new StreamClient("key", "secret", { basePath: baseUrl, retryBaseDelayMs: 5 });
  }

  test("truncated JSON is an unexpected response", async () => {
    answers = [[200, "application/json", '{"users":[{"id":"al']];

    const error = await rejectionOf(client().queryUsers({ payload: { filter_conditions: {} } }));

    assertStreamError(error, StreamError, {
      kind: "unexpected_response",
      operation: "queryUsers",
      status: 200,
      message: /not valid JSON .*; the body starts with "\{\\"users\\":\[\{\\"id\\":\\"al"$/,
    });
    assert.equal(received, 1);
  });

  test("body without task_id is an unexpected response", async () => {
    answers = [[201, "application/json", '{"duration":"0.5ms"}']];

    const error = await rejectionOf(client().deleteUsers({ user_ids: ["alice"] }));

    assertStreamError(error, StreamError, {
      kind: "unexpected_response",
      status: 201,
      message: /^deleteUsers failed: unexpected response with HTTP 201: field `task_id` is missing/,
    });
  });

  test("HTML 502 from a proxy is retried", async () => {
    answers = [
      [502, "text/html", "<html><body>Bad Gateway</body></html>"],
      [201, "application/json", '{"task_id":"t-1","duration":"0.5ms"}'],
    ];

    const response = await client().deleteUsers({ user_ids: ["alice"] });

    assert.equal(response.task_id, "t-1");
    assert.equal(received, 2);
  });

  test("HTML 404 is not retried", async () => {
    answers = [[404, "text/html", "<h1>Not Found</h1>"]];

    const error = await rejectionOf(client().getTask({ id: "t" }));

    assertStreamError(error, StreamError, {
      kind: "unexpected_response",
      status: 404,
      message: /the body starts with "<h1>Not Found<\/h1>"$/,
    });
    assert.equal(received, 1);
  });
});
