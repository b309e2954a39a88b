// Runs the official @stream-io/node-sdk, unchanged, against the real sandbox binary. Each test
// checks that the data changed as Stream changes it, and the recording fetch validates every raw
// response body against the OpenAPI response schema of its operation and status.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { StreamClient } from "@stream-io/node-sdk";
import jwt from "jsonwebtoken";

import { captureFetch } from "./support/capture-fetch.mjs";
import { startSandbox } from "./support/sandbox.mjs";
import { sdkCalls } from "./support/sdk-calls.mjs";

const API_KEY = "conformance-key";
const API_SECRET = "conformance-secret";
// Stream error codes: 2 = invalid API key, 4 = invalid input, 16 = resource does not exist,
// 43 = token signature invalid.
const CODE_API_KEY = 2;
const CODE_INPUT = 4;
const CODE_NOT_FOUND = 16;
const CODE_SIGNATURE = 43;

describe("official Node SDK on the sandbox", { timeout: 120_000 }, () => {
  let sandbox;
  let capture;
  let client;
  let calls;

  before(async () => {
    sandbox = await startSandbox({ apiKey: API_KEY, apiSecret: API_SECRET });
    capture = captureFetch(sandbox.baseUrl);
    calls = sdkCalls(capture);
    client = new StreamClient(API_KEY, API_SECRET, { basePath: sandbox.baseUrl, timeout: 10_000 });
  });

  after(async () => {
    capture?.restore();
    await sandbox?.stop();
  });

  function newClient(apiKey, apiSecret) {
    return new StreamClient(apiKey, apiSecret, { basePath: sandbox.baseUrl, timeout: 10_000 });
  }

  /** Queries users through the SDK and returns the raw users of the response. */
  async function queryRaw(payload) {
    const { raw } = await calls.succeed(200, () => client.queryUsers({ payload }));
    return raw.users;
  }

  async function queryIds(payload) {
    const users = await queryRaw(payload);
    return users.map((user) => user.id);
  }

  async function findUser(id, includeDeactivated = true) {
    const users = await queryRaw({
      filter_conditions: { id: { $eq: id } },
      include_deactivated_users: includeDeactivated,
    });
    assert.ok(users.length <= 1, `query by id ${id} returned ${users.length} users`);
    return users[0];
  }

  it("upsertUsers creates users and replaces them", async () => {
    const { result, raw, exchange } = await calls.succeed(201, () =>
      client.upsertUsers([
        {
          id: "up-ada",
          name: "Ada",
          image: "https://example.com/ada.png",
          role: "admin",
          teams: ["red"],
          custom: { color: "red" },
        },
        { id: "up-bo", name: "Bo", favorite: "tea" },
      ]),
    );

    assert.deepEqual(Object.keys(raw.users).sort(), ["up-ada", "up-bo"]);
    const ada = raw.users["up-ada"];
    assert.equal(ada.id, "up-ada");
    assert.equal(ada.name, "Ada");
    assert.equal(ada.image, "https://example.com/ada.png");
    assert.equal(ada.role, "admin");
    assert.deepEqual(ada.teams, ["red"]);
    assert.deepEqual(ada.custom, { color: "red" });
    assert.equal(ada.banned, false);
    assert.equal(ada.deactivated_at, undefined);
    assert.equal(ada.deleted_at, undefined);

    // Without a role a new user gets "user"; a field outside the user model becomes custom data.
    const bo = raw.users["up-bo"];
    assert.equal(bo.role, "user");
    assert.equal(bo.custom.favorite, "tea");
    assert.equal(bo.favorite, undefined);

    // The SDK decodes the RFC 3339 strings into dates and reads the rate-limit headers.
    assert.ok(result.users["up-ada"].created_at instanceof Date);
    assert.ok(!Number.isNaN(result.users["up-ada"].created_at.getTime()));
    assert.equal(typeof result.metadata.rateLimit.rateLimit, "number");
    assert.equal(typeof result.metadata.rateLimit.rateLimitRemaining, "number");
    assert.ok(result.metadata.rateLimit.rateLimitReset instanceof Date);
    assert.ok(exchange.headers.get("x-ratelimit-limit"));

    // An upsert replaces the whole user: omitted fields are gone, created_at is kept.
    // NOTE: role and teams are left out of the checks because whether Stream keeps or resets
    // them when an upsert omits them is not documented.
    const { raw: replaced } = await calls.succeed(201, () =>
      client.upsertUsers([{ id: "up-ada", name: "Ada Two" }]),
    );
    const again = replaced.users["up-ada"];
    assert.equal(again.name, "Ada Two");
    assert.equal(again.image, undefined);
    assert.deepEqual(again.custom, {});
    assert.equal(again.created_at, ada.created_at);
    assert.ok(Date.parse(again.updated_at) >= Date.parse(ada.updated_at));

    const stored = await findUser("up-ada");
    assert.equal(stored.name, "Ada Two");
    assert.deepEqual(stored.custom, {});
  });

  it("upsertUsers rejects an invalid user id", async () => {
    const { raw } = await calls.fail(400, CODE_INPUT, () =>
      client.upsertUsers([{ id: "bad id!", name: "Bad" }]),
    );
    assert.match(raw.message, /bad id!/);
    assert.equal(await findUser("bad id!"), undefined);
  });

  it("updateUsersPartial sets and unsets fields", async () => {
    await calls.succeed(201, () =>
      client.upsertUsers([
        {
          id: "part-cy",
          name: "Cy",
          image: "https://example.com/cy.png",
          role: "moderator",
          custom: { color: "red", level: 2 },
        },
      ]),
    );

    const { raw } = await calls.succeed(200, () =>
      client.updateUsersPartial({
        users: [
          {
            id: "part-cy",
            set: { name: "Cyrus", teams: ["blue"], color: "blue", nickname: "cy" },
            unset: ["image", "level"],
          },
        ],
      }),
    );
    const cy = raw.users["part-cy"];
    assert.equal(cy.name, "Cyrus");
    assert.deepEqual(cy.teams, ["blue"]);
    assert.equal(cy.image, undefined);
    assert.equal(cy.role, "moderator");
    assert.deepEqual(cy.custom, { color: "blue", nickname: "cy" });

    const stored = await findUser("part-cy");
    assert.equal(stored.name, "Cyrus");
    assert.deepEqual(stored.custom, { color: "blue", nickname: "cy" });
  });

  it("updateUsersPartial rejects setting the id", async () => {
    await calls.succeed(201, () => client.upsertUsers([{ id: "part-dee", name: "Dee" }]));

    const { raw } = await calls.fail(400, CODE_INPUT, () =>
      client.updateUsersPartial({ users: [{ id: "part-dee", set: { id: "part-other" } }] }),
    );
    assert.match(raw.message, /id/);
    assert.equal((await findUser("part-dee")).name, "Dee");
    assert.equal(await findUser("part-other"), undefined);
  });

  it("queryUsers filters, sorts and pages", async () => {
    await calls.succeed(201, () =>
      client.upsertUsers([
        { id: "q-ann", name: "Annabel Query", teams: ["red"], custom: { level: 3 } },
        { id: "q-ben", name: "Ben Query", role: "admin", teams: ["blue"], custom: { level: 5 } },
        { id: "q-cat", name: "Anna Query" },
      ]),
    );
    const all = { id: { $in: ["q-ann", "q-ben", "q-cat"] } };
    const byId = [{ field: "id", direction: 1 }];

    assert.deepEqual(await queryIds({ filter_conditions: all, sort: byId }), [
      "q-ann",
      "q-ben",
      "q-cat",
    ]);
    assert.deepEqual(
      await queryIds({ filter_conditions: all, sort: [{ field: "id", direction: -1 }] }),
      ["q-cat", "q-ben", "q-ann"],
    );
    assert.deepEqual(
      await queryIds({ filter_conditions: { ...all, name: { $autocomplete: "Ann" } }, sort: byId }),
      ["q-ann", "q-cat"],
    );
    assert.deepEqual(
      await queryIds({ filter_conditions: { ...all, role: { $eq: "admin" } }, sort: byId }),
      ["q-ben"],
    );
    // A bare value means $eq.
    assert.deepEqual(await queryIds({ filter_conditions: { ...all, role: "user" }, sort: byId }), [
      "q-ann",
      "q-cat",
    ]);
    assert.deepEqual(
      await queryIds({ filter_conditions: { ...all, level: { $eq: 5 } }, sort: byId }),
      ["q-ben"],
    );
    assert.deepEqual(
      await queryIds({ filter_conditions: { ...all, level: { $exists: true } }, sort: byId }),
      ["q-ann", "q-ben"],
    );
    assert.deepEqual(
      await queryIds({ filter_conditions: { ...all, teams: { $in: ["red"] } }, sort: byId }),
      ["q-ann"],
    );
    assert.deepEqual(
      await queryIds({
        filter_conditions: {
          id: { $ne: "q-ben" },
          name: { $in: ["Annabel Query", "Ben Query", "Anna Query"] },
        },
        sort: byId,
      }),
      ["q-ann", "q-cat"],
    );
    assert.deepEqual(
      await queryIds({ filter_conditions: all, sort: byId, limit: 1, offset: 1 }),
      ["q-ben"],
    );
  });

  it("queryUsers rejects a limit above 100", async () => {
    const { raw } = await calls.fail(400, CODE_INPUT, () =>
      client.queryUsers({ payload: { filter_conditions: { id: { $eq: "q-ann" } }, limit: 101 } }),
    );
    assert.match(raw.message, /limit/);
  });

  it("deactivateUser deactivates one user", async () => {
    await calls.succeed(201, () => client.upsertUsers([{ id: "deact-eve", name: "Eve" }]));

    const { raw } = await calls.succeed(201, () =>
      client.deactivateUser({ user_id: "deact-eve" }),
    );
    assert.equal(raw.user.id, "deact-eve");
    assert.equal(typeof raw.user.deactivated_at, "string");

    assert.equal(await findUser("deact-eve", false), undefined);
    const stored = await findUser("deact-eve", true);
    assert.equal(stored.deactivated_at, raw.user.deactivated_at);
  });

  it("deactivateUsers and reactivateUsers run as tasks", async () => {
    const ids = ["bulk-fay", "bulk-gus"];
    await calls.succeed(201, () => client.upsertUsers(ids.map((id) => ({ id, name: id }))));

    const { raw: started } = await calls.succeed(201, () =>
      client.deactivateUsers({ user_ids: ids }),
    );
    assert.equal(typeof started.task_id, "string");
    assert.notEqual(started.task_id, "");
    const { task: deactivation } = await calls.waitForTask(client, started.task_id);
    assert.equal(deactivation.status, "completed");
    assert.equal(typeof deactivation.result, "object");

    assert.deepEqual(await queryIds({ filter_conditions: { id: { $in: ids } } }), []);
    const deactivated = await queryRaw({
      filter_conditions: { id: { $in: ids } },
      include_deactivated_users: true,
    });
    assert.deepEqual(deactivated.map((user) => user.id).sort(), ids);
    for (const user of deactivated) {
      assert.equal(typeof user.deactivated_at, "string", `${user.id} deactivated_at`);
    }

    const { raw: restarted } = await calls.succeed(201, () =>
      client.reactivateUsers({ user_ids: ids }),
    );
    assert.equal(typeof restarted.task_id, "string");
    const { task: reactivation } = await calls.waitForTask(client, restarted.task_id);
    assert.equal(reactivation.status, "completed");

    const active = await queryRaw({ filter_conditions: { id: { $in: ids } } });
    assert.deepEqual(active.map((user) => user.id).sort(), ids);
    for (const user of active) {
      assert.equal(user.deactivated_at, undefined, `${user.id} deactivated_at`);
    }
  });

  it("deleteUsers and restoreUsers follow each delete mode", async () => {
    const profile = { image: "https://example.com/p.png", custom: { color: "green" } };
    await calls.succeed(201, () =>
      client.upsertUsers([
        { id: "del-soft", name: "Soft", ...profile },
        { id: "del-prune", name: "Prune", ...profile },
        { id: "del-hard", name: "Hard", ...profile },
      ]),
    );
    const modes = [
      { id: "del-soft", options: { user: "soft" } },
      { id: "del-prune", options: { user: "pruning" } },
      { id: "del-hard", options: { user: "hard", messages: "hard", conversations: "hard" } },
    ];
    for (const { id, options } of modes) {
      const { raw } = await calls.succeed(201, () =>
        client.deleteUsers({ user_ids: [id], ...options }),
      );
      assert.equal(typeof raw.task_id, "string");
      const { task } = await calls.waitForTask(client, raw.task_id);
      assert.equal(task.status, "completed", `${id}: ${JSON.stringify(task)}`);
      assert.ok(JSON.stringify(task.result).includes(id), `task result names ${id}`);
    }

    const ids = modes.map((mode) => mode.id);
    assert.deepEqual(
      await queryIds({ filter_conditions: { id: { $in: ids } }, include_deactivated_users: true }),
      [],
    );

    await calls.succeed(201, () => client.restoreUsers({ user_ids: ["del-soft", "del-prune"] }));

    const soft = await findUser("del-soft");
    assert.equal(soft.name, "Soft");
    assert.equal(soft.image, profile.image);
    assert.deepEqual(soft.custom, profile.custom);
    assert.equal(soft.deleted_at, undefined);

    const pruned = await findUser("del-prune");
    assert.equal(pruned.name, undefined);
    assert.equal(pruned.image, undefined);
    assert.deepEqual(pruned.custom, {});
    assert.equal(pruned.deleted_at, undefined);

    // A hard-deleted user cannot be restored. Whether Stream rejects the restore request is not
    // asserted, but the response body must be valid either way (the recording fetch checks it).
    const mark = capture.exchanges.length;
    await client.restoreUsers({ user_ids: ["del-hard"] }).catch((error) => {
      assert.equal(error.constructor.name, "StreamError");
    });
    for (const exchange of capture.exchanges.slice(mark)) {
      assert.deepEqual(exchange.problems, []);
    }
    assert.equal(await findUser("del-hard"), undefined);
  });

  it("createGuest creates a guest and its token", async () => {
    const { raw } = await calls.succeed(201, () =>
      client.createGuest({ user: { id: "guest-hal", name: "Hal", custom: { from: "docs" } } }),
    );
    assert.equal(raw.user.role, "guest");
    assert.equal(raw.user.name, "Hal");
    assert.equal(raw.user.custom.from, "docs");
    assert.match(raw.user.id, /guest-hal/);

    const claims = jwt.verify(raw.access_token, API_SECRET, { algorithms: ["HS256"] });
    assert.equal(claims.user_id, raw.user.id);

    const stored = await findUser(raw.user.id);
    assert.equal(stored.role, "guest");

    // A user token may read: query the guest itself with its own token, as a client SDK would.
    const payload = JSON.stringify({ filter_conditions: { id: { $eq: raw.user.id } } });
    const url = new URL("/api/v2/users", sandbox.baseUrl);
    url.searchParams.set("api_key", API_KEY);
    url.searchParams.set("payload", payload);
    const mark = capture.exchanges.length;
    const response = await fetch(url, {
      headers: { Authorization: raw.access_token, "stream-auth-type": "jwt" },
    });
    assert.equal(response.status, 200);
    const [exchange] = capture.exchanges.slice(mark);
    assert.deepEqual(exchange.problems, []);
    assert.deepEqual(
      exchange.body.users.map((user) => user.id),
      [raw.user.id],
    );
  });

  it("wrong API key answers 401 with code 2", async () => {
    const stranger = newClient("not-the-key", API_SECRET);
    await calls.fail(401, CODE_API_KEY, () =>
      stranger.queryUsers({ payload: { filter_conditions: { id: { $eq: "up-ada" } } } }),
    );
  });

  it("wrong secret answers 401 with code 43", async () => {
    const forger = newClient(API_KEY, "not-the-secret");
    await calls.fail(401, CODE_SIGNATURE, () =>
      forger.upsertUsers([{ id: "forged", name: "Forged" }]),
    );
    assert.equal(await findUser("forged"), undefined);
  });

  it("getTask of an unknown id answers 404", async () => {
    await calls.fail(404, CODE_NOT_FOUND, () =>
      client.getTask({ id: "00000000-0000-0000-0000-000000000000" }),
    );
  });

  it("every response body was validated", () => {
    assert.ok(capture.exchanges.length > 20, `only ${capture.exchanges.length} exchanges`);
    const invalid = capture.exchanges.filter((exchange) => exchange.problems.length > 0);
    assert.deepEqual(
      invalid.map((exchange) => exchange.problems),
      [],
    );
  });
});
