// Bulk calls of the built package against the real sandbox: lists of more than 100 users or
// IDs are split into requests of at most 100, sent a few at a time. The checks count the
// requests in the sandbox's request log and read the stored users back.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";

import { StreamClient, StreamError } from "stream-edge";

import { assertMetadata, assertStreamError, rejectionOf } from "./support/assertions.mjs";
import { startRecordingProxy } from "./support/recording-proxy.mjs";
import { startSandbox } from "./support/sandbox.mjs";

const USERS_PATH = "/api/v2/users";

function makeUsers(prefix, count) {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i}`,
    name: `User ${i}`,
    custom: { index: i },
  }));
}

function idsOf(users) {
  return users.map((user) => user.id);
}

/** Converts a request-log timestamp (RFC 3339, up to nine fraction digits) to Unix ms. */
function unixMillis(at) {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(at);
  assert.ok(match, `unexpected timestamp ${at}`);
  const fraction = (match[2] ?? "").padEnd(3, "0").slice(0, 3);
  return Date.parse(`${match[1]}Z`) + Number(fraction);
}

/** Splits `items` into lists of at most `size`. */
function slices(items, size) {
  const parts = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

/** Asserts that `events` are the progress events of a call that ended after `total`. */
function assertProgress(events, { operation, total, chunks }) {
  assert.equal(events.length, chunks, "one event per request");
  for (const [i, event] of events.entries()) {
    assert.equal(event.operation, operation);
    assert.equal(event.total, total);
    assert.equal(event.chunks_total, chunks);
    assert.equal(event.chunks_done, i + 1);
    if (i > 0) assert.ok(event.done > events[i - 1].done, `done grows at event ${i}`);
  }
  assert.equal(events.at(-1).done, total);
}

describe("bulk calls", () => {
  let sandbox;
  let client;

  before(async () => {
    sandbox = await startSandbox();
    client = new StreamClient(sandbox.apiKey, sandbox.apiSecret, {
      basePath: sandbox.baseUrl,
      timeout: 30_000,
    });
  });

  after(() => sandbox?.stop());

  beforeEach(() => sandbox.reset());

  /** Runs `body(client, proxy)` with a client whose requests pass through a recording proxy. */
  async function withProxy(body) {
    const proxy = await startRecordingProxy(sandbox.baseUrl);
    try {
      const viaProxy = new StreamClient(sandbox.apiKey, sandbox.apiSecret, {
        basePath: proxy.baseUrl,
        timeout: 30_000,
      });
      await body(viaProxy, proxy);
    } finally {
      await proxy.close();
    }
  }

  /** Returns the logged API requests with `method` and `path`. */
  async function requestsTo(method, path) {
    const requests = await sandbox.requests();
    return requests.filter((request) => request.method === method && request.path === path);
  }

  /** Returns the stored users among `ids`, deactivated ones included, by ID. */
  async function storedUsers(ids) {
    const stored = new Map();
    for (const part of slices(ids, 100)) {
      const { users } = await client.queryUsers({
        payload: {
          filter_conditions: { id: { $in: part } },
          include_deactivated_users: true,
          limit: 100,
        },
      });
      for (const user of users) stored.set(user.id, user);
    }
    return stored;
  }

  test("upsertUsers of 1,050 users sends 11 requests", async () => {
    const users = makeUsers("big", 1050);
    const events = [];

    const response = await client.upsertUsers(users, { onProgress: (e) => events.push(e) });

    assert.deepEqual(Object.keys(response.users), idsOf(users));
    assert.equal(response.users["big-1049"].name, "User 1049");
    assert.ok(response.users["big-0"].created_at instanceof Date, "timestamps are Dates");
    assert.equal(typeof response.duration, "string");
    assert.deepEqual(response.membership_deletion_task_ids, []);
    assertMetadata(response.metadata, 201);
    const posts = await requestsTo("POST", USERS_PATH);
    assert.equal(posts.length, 11);
    assert.ok(posts.every((request) => request.status === 201), "every request succeeded");
    const stored = await storedUsers(idsOf(users));
    assert.equal(stored.size, 1050);
    assert.equal(stored.get("big-512").custom.index, 512);
    assertProgress(events, { operation: "upsertUsers", total: 1050, chunks: 11 });
  });

  test("upsertUsers of 100 users is one request", async () => {
    const events = [];

    const response = await client.upsertUsers(makeUsers("one", 100), {
      onProgress: (e) => events.push(e),
    });

    assert.equal(Object.keys(response.users).length, 100);
    assert.equal(response.membership_deletion_task_ids, undefined);
    assert.equal((await requestsTo("POST", USERS_PATH)).length, 1);
    assertProgress(events, { operation: "upsertUsers", total: 100, chunks: 1 });
  });

  test("upsertUsers splits the users-by-id form", async () => {
    const users = makeUsers("keyed", 150);
    const byId = Object.fromEntries(users.map((user) => [user.id, user]));

    const response = await client.upsertUsers({ users: byId });

    assert.deepEqual(Object.keys(response.users), idsOf(users));
    assert.equal((await requestsTo("POST", USERS_PATH)).length, 2);
  });

  test("updateUsersPartial of 230 updates", async () => {
    const users = makeUsers("part", 230);
    await client.upsertUsers(users);
    const updates = users.map((user, i) => ({
      id: user.id,
      set: { name: `Renamed ${i}` },
      unset: ["index"],
    }));
    const events = [];

    const response = await client.updateUsersPartial(
      { users: updates },
      { onProgress: (e) => events.push(e) },
    );

    assert.deepEqual(Object.keys(response.users), idsOf(users));
    assert.equal(response.users["part-229"].name, "Renamed 229");
    assert.equal((await requestsTo("PATCH", USERS_PATH)).length, 3);
    const stored = await storedUsers(idsOf(users));
    assert.equal(stored.size, 230);
    for (const [i, id] of idsOf(users).entries()) {
      assert.equal(stored.get(id).name, `Renamed ${i}`);
      assert.equal(stored.get(id).custom.index, undefined);
    }
    assertProgress(events, { operation: "updateUsersPartial", total: 230, chunks: 3 });
  });

  test("task methods over 150 IDs return every task", async () => {
    const users = makeUsers("task", 150);
    const ids = idsOf(users);
    await client.upsertUsers(users);
    const waitAll = (taskIds) =>
      Promise.all(taskIds.map((id) => client.waitForTask(id, { intervalMs: 20 })));

    const deactivated = await client.deactivateUsers({ user_ids: ids });
    assert.equal(deactivated.task_ids.length, 2);
    assert.equal(deactivated.task_id, deactivated.task_ids[0]);
    assert.equal(new Set(deactivated.task_ids).size, 2, "two distinct tasks");
    const deactivationTasks = await waitAll(deactivated.task_ids);
    assert.ok(deactivationTasks.every((task) => task.status === "completed"));
    let stored = await storedUsers(ids);
    assert.equal(stored.size, 150);
    assert.ok([...stored.values()].every((user) => user.deactivated_at instanceof Date));

    const reactivated = await client.reactivateUsers({ user_ids: ids, restore_messages: true });
    assert.equal(reactivated.task_ids.length, 2);
    await waitAll(reactivated.task_ids);
    stored = await storedUsers(ids);
    assert.ok([...stored.values()].every((user) => user.deactivated_at == null));

    const deleted = await client.deleteUsers({ user_ids: ids, user: "soft" });
    assert.equal(deleted.task_ids.length, 2);
    assert.equal(deleted.task_id, deleted.task_ids[0]);
    await waitAll(deleted.task_ids);
    assert.equal((await storedUsers(ids)).size, 0);

    const restored = await client.restoreUsers({ user_ids: ids });
    assert.equal(typeof restored.duration, "string");
    assert.equal(restored.task_ids, undefined);
    assertMetadata(restored.metadata, 201);
    assert.equal((await storedUsers(ids)).size, 150);

    for (const action of ["deactivate", "reactivate", "delete", "restore"]) {
      const logged = await requestsTo("POST", `${USERS_PATH}/${action}`);
      assert.equal(logged.length, 2, `${action} requests`);
    }
  });

  test("concurrency bounds requests in flight", async () => {
    const users = makeUsers("c3", 600);
    // Every request stalls, so the requests the client starts together overlap.
    await sandbox.addFault({ method: "POST", path: USERS_PATH, count: 6, delay_ms: 150 });

    await withProxy(async (viaProxy, proxy) => {
      await viaProxy.upsertUsers(users, { concurrency: 3 });

      assert.equal(proxy.maxInFlight(), 3);
      assert.equal(proxy.recorded.length, 6);
    });
    assert.equal((await storedUsers(idsOf(users))).size, 600);
  });

  test("default concurrency is 4", async () => {
    await sandbox.addFault({ method: "POST", path: USERS_PATH, count: 8, delay_ms: 100 });

    await withProxy(async (viaProxy, proxy) => {
      await viaProxy.upsertUsers(makeUsers("c4", 800));

      assert.equal(proxy.maxInFlight(), 4);
      assert.equal(proxy.recorded.length, 8);
    });
  });

  test("failed chunk rejects with the partial result", async () => {
    const users = makeUsers("fail", 350);
    // The SDK does not check roles, so the sandbox rejects the third request with a 400.
    users[250].role = "no-such-role";

    const error = await rejectionOf(client.upsertUsers(users, { concurrency: 1 }));

    assertStreamError(error, StreamError, {
      operation: "upsertUsers",
      kind: "api",
      status: 400,
      code: 4,
      message: /^upsertUsers: request 3 of 4 \(IDs "fail-200" to "fail-299"\) failed; 200 of 350 user IDs were done/,
    });
    assert.match(error.message, /no-such-role/);
    const ids = idsOf(users);
    assert.deepEqual(Object.keys(error.partial.users), ids.slice(0, 200));
    assert.deepEqual(error.partial.done_ids, ids.slice(0, 200));
    assert.deepEqual(error.partial.failed_ids, ids.slice(200, 300));
    assert.deepEqual(error.partial.unsent_ids, ids.slice(300));
    assert.equal((await requestsTo("POST", USERS_PATH)).length, 3);
    assert.equal((await storedUsers(ids)).size, 200);
  });

  test("server error of a task chunk keeps started tasks", async () => {
    const ids = idsOf(makeUsers("del", 250));
    await client.upsertUsers(makeUsers("del", 250));
    const deletePath = `${USERS_PATH}/delete`;
    // The first request passes after a short stall; the second gets a 500, which is not retried.
    await sandbox.addFault({ method: "POST", path: deletePath, count: 1, delay_ms: 1 });
    await sandbox.addFault({ method: "POST", path: deletePath, count: 1, status: 500 });

    const error = await rejectionOf(
      client.deleteUsers({ user_ids: ids, user: "hard" }, { concurrency: 1 }),
    );

    assertStreamError(error, StreamError, {
      operation: "deleteUsers",
      kind: "api",
      status: 500,
      message: /request 2 of 3 \(IDs "del-100" to "del-199"\) failed; 100 of 250 user IDs/,
    });
    assert.equal(error.partial.task_ids.length, 1);
    assert.equal(error.partial.task_id, error.partial.task_ids[0]);
    assert.deepEqual(error.partial.failed_ids, ids.slice(100, 200));
    assert.deepEqual(error.partial.unsent_ids, ids.slice(200));
    await client.waitForTask(error.partial.task_id, { intervalMs: 20 });
    const stored = await storedUsers(ids);
    assert.deepEqual([...stored.keys()].sort(), ids.slice(100).sort());
    assert.equal((await requestsTo("POST", deletePath)).length, 2);
  });

  test("duplicate IDs across chunks send nothing", async () => {
    const users = makeUsers("dup", 150);
    users[149] = { id: "dup-2" };
    const ids = idsOf(makeUsers("dup", 150));
    ids[120] = "dup-7";

    const upsert = await rejectionOf(client.upsertUsers(users));
    const deactivate = await rejectionOf(client.deactivateUsers({ user_ids: ids }));

    assertStreamError(upsert, StreamError, {
      kind: "invalid_argument",
      message: /^upsertUsers: users\[149\]\.id "dup-2" repeats the id of users\[2\]/,
    });
    assertStreamError(deactivate, StreamError, {
      kind: "invalid_argument",
      message: /^deactivateUsers: user_ids\[120\] "dup-7" repeats the id of user_ids\[7\]/,
    });
    assert.equal((await sandbox.requests()).length, 0);
  });

  test("invalid call options are rejected", async () => {
    const cases = [
      [{ concurrency: 0 }, /options\.concurrency must be a whole number from 1 to 16, got 0$/],
      [{ concurrency: 17 }, /options\.concurrency must be a whole number from 1 to 16, got 17$/],
      [{ concurrency: 2.5 }, /options\.concurrency must be a whole number from 1 to 16, got 2\.5$/],
      [{ concurrency: "4" }, /options\.concurrency must be a whole number from 1 to 16, got "4"$/],
      [{ concurrency: Number.NaN }, /options\.concurrency must be a finite number, got NaN$/],
      [{ onProgress: "log" }, /options\.onProgress must be a function, got a value of type string$/],
      [5, /options must be an object \{ signal, concurrency, onProgress \}/],
    ];

    for (const [options, message] of cases) {
      const error = await rejectionOf(client.restoreUsers({ user_ids: ["a"] }, options));
      assertStreamError(error, StreamError, {
        operation: "restoreUsers",
        kind: "invalid_argument",
        message,
      });
    }
    assert.equal((await sandbox.requests()).length, 0);
  });

  test("onProgress errors go to the logger", async () => {
    const warnings = [];
    const logged = new StreamClient(sandbox.apiKey, sandbox.apiSecret, {
      basePath: sandbox.baseUrl,
      timeout: 30_000,
      logger: { warn: (message, event) => warnings.push({ message, event }) },
    });
    let calls = 0;
    const onProgress = async () => {
      calls += 1;
      if (calls === 1) throw new TypeError("progress bar gone");
    };
    const syncThrow = () => {
      throw new RangeError("too far");
    };

    const first = await logged.upsertUsers(makeUsers("p1", 300), { onProgress });
    const second = await logged.upsertUsers(makeUsers("p2", 200), { onProgress: syncThrow });
    // The rejection of the async callback is handled on a later turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));

    assert.equal(Object.keys(first.users).length, 300);
    assert.equal(Object.keys(second.users).length, 200);
    assert.equal(calls, 3);
    assert.equal(warnings.length, 3);
    const rejected = warnings.filter(({ event }) => event.error instanceof TypeError);
    assert.equal(rejected.length, 1);
    assert.match(rejected[0].message, /^upsertUsers: onProgress threw TypeError: progress bar gone/);
    const thrown = warnings.filter(({ event }) => event.error instanceof RangeError);
    assert.equal(thrown.length, 2);
    assert.equal(thrown[0].event.operation, "upsertUsers");
    assert.equal(thrown[0].event.reason, "onProgress threw");
    const allIds = [...idsOf(makeUsers("p1", 300)), ...idsOf(makeUsers("p2", 200))];
    assert.equal((await storedUsers(allIds)).size, 500);
  });

  test("abort stops new chunks", async () => {
    const users = makeUsers("abort", 400);
    const controller = new AbortController();
    const reason = new Error("user left");
    const onProgress = () => controller.abort(reason);

    const error = await rejectionOf(
      client.upsertUsers(users, { signal: controller.signal, concurrency: 1, onProgress }),
    );

    assertStreamError(error, StreamError, {
      operation: "upsertUsers",
      kind: "abort",
      message: /^upsertUsers: stopped before all 4 requests were done; 100 of 400 user IDs were done/,
    });
    assert.equal(error.cause, reason);
    const ids = idsOf(users);
    assert.deepEqual(error.partial.done_ids, ids.slice(0, 100));
    assert.deepEqual(error.partial.failed_ids, []);
    assert.deepEqual(error.partial.unsent_ids, ids.slice(100));
    assert.equal((await requestsTo("POST", USERS_PATH)).length, 1);
  });

  test("abort interrupts chunks in flight", async () => {
    const users = makeUsers("inflight", 300);
    const controller = new AbortController();
    await sandbox.addFault({ method: "POST", path: USERS_PATH, count: 2, delay_ms: 2_000 });

    await withProxy(async (viaProxy, proxy) => {
      const pending = viaProxy.upsertUsers(users, { signal: controller.signal, concurrency: 2 });
      // The proxy records a request once it has read its body, so both are then in flight.
      while (proxy.recorded.length < 2) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }

      controller.abort();
      const error = await rejectionOf(pending);

      assertStreamError(error, StreamError, { operation: "upsertUsers", kind: "abort" });
      const ids = idsOf(users);
      assert.deepEqual(error.partial.done_ids, []);
      assert.deepEqual(error.partial.failed_ids, ids.slice(0, 200));
      assert.deepEqual(error.partial.unsent_ids, ids.slice(200));
      assert.deepEqual(error.partial.users, {});
      assert.match(error.metadata.clientRequestId, /^[0-9a-f-]{36}$/);
      assert.equal(proxy.recorded.length, 2);
    });
  });
});

describe("bulk calls under a rate limit", () => {
  let sandbox;

  before(async () => {
    // Three requests per endpoint in two-second windows.
    sandbox = await startSandbox({ extraArgs: ["--rate-limit", "3", "--rate-limit-window-secs", "2"] });
  });

  after(() => sandbox?.stop());

  test("upsertUsers waits for the window to end", async () => {
    const retries = [];
    const client = new StreamClient(sandbox.apiKey, sandbox.apiSecret, {
      basePath: sandbox.baseUrl,
      timeout: 30_000,
      logger: { warn: (message) => retries.push(message) },
    });
    await sandbox.reset();
    const users = makeUsers("limited", 700);

    const response = await client.upsertUsers(users, { concurrency: 2 });

    assert.equal(Object.keys(response.users).length, 700);
    const posts = (await sandbox.requests()).filter((request) => request.path === USERS_PATH);
    assert.equal(posts.length, 7);
    assert.deepEqual(
      posts.map((request) => request.status),
      Array(7).fill(201),
      "no request was rate limited",
    );
    assert.deepEqual(retries, []);
    const perWindow = new Map();
    for (const request of posts) {
      const window = Math.floor(unixMillis(request.at) / 2000);
      perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
    }
    assert.ok(perWindow.size >= 3, "seven requests need at least three windows of three");
    for (const count of perWindow.values()) assert.ok(count <= 3, `${count} requests in one window`);
  });
});
