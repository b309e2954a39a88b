// Clicks through every operation of the demo page in headless Chromium against the real
// sandbox, which serves the page and the built package at /demo/. Each step asserts what the
// page shows and saves a screenshot under test-output/demo/.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { launchChromium } from "./support/browser.mjs";
import { DemoPage, unlabelledControls } from "./support/demo-page.mjs";
import { repoRoot, startDemoSandbox } from "./support/demo-site.mjs";

const SCREENSHOT_DIR = join(repoRoot, "test-output", "demo");
const TASK_POLL_URL = /\/api\/v2\/tasks\//;

describe("demo page", () => {
  let sandbox;
  let browser;
  let demo;
  let page;
  let deactivationTaskId;

  before(async () => {
    sandbox = await startDemoSandbox({ apiKey: "demo-test-key", apiSecret: "demo-test-secret" });
    browser = await launchChromium();
    page = await browser.context.newPage();
    demo = new DemoPage(page, SCREENSHOT_DIR);
  });

  after(async () => {
    await browser?.close();
    await sandbox?.stop();
  });

  test("loads the package and flags the wrong default key", async () => {
    await page.goto(sandbox.demoUrl);

    const status = page.locator("#package-status");
    await page.locator('#package-status[data-state="ok"]').waitFor();
    assert.match(await status.innerText(), /^stream-edge \d+\.\d+\.\d+\S* loaded/);
    // The page connects with the default key sandbox-key, which this sandbox does not know.
    const connection = await demo.waitForOutput("out-connection", 0);
    assert.equal(connection.state, "error");
    assert.match(connection.text, /querying users failed/);
    const users = page.locator("#out-users");
    assert.equal(await users.getAttribute("data-state"), "error");
    assert.match(await users.innerText(), /StreamError \(api\): status 401, code 2/);
    const warning = await page.locator("#secret-warning").innerText();
    assert.match(warning, /Real API secrets stay on servers/);
    await demo.screenshot("wrong-api-key");
  });

  test("every control has an accessible label", async () => {
    const { count, unlabelled } = await unlabelledControls(page);

    assert.ok(count > 50, `only ${count} controls on the page`);
    assert.deepEqual(unlabelled, []);
  });

  test("connects with the sandbox's key and secret", async () => {
    await demo.fill("Connection", {
      "API key": sandbox.apiKey,
      "API secret (sandbox only)": sandbox.apiSecret,
    });

    const { state, text } = await demo.press("Connection", "Connect", "out-connection");

    assert.equal(state, "ok");
    assert.match(text, new RegExp(`Connected to ${sandbox.baseUrl} with API key demo-test-key`));
    assert.match(await page.locator("#out-users").innerText(), /^0 users/);
    await demo.screenshot("connected");
  });

  test("upserts users", async () => {
    await demo.fill("Upsert a user", {
      "User ID": "alice",
      Name: "Alice",
      "Image URL": "https://example.com/alice.png",
      Role: "admin",
      "Teams (comma-separated)": "red, blue",
      "Custom data (JSON object)": '{"color": "teal"}',
    });
    const alice = await demo.press("Upsert a user", "Upsert user", "out-upsert");
    for (const id of ["bob", "carol", "dave"]) {
      await demo.fill("Upsert a user", {
        "User ID": id,
        Name: id[0].toUpperCase() + id.slice(1),
        "Image URL": "",
        Role: "user",
        "Teams (comma-separated)": "",
        "Custom data (JSON object)": "",
      });
      await demo.press("Upsert a user", "Upsert user", "out-upsert");
    }

    assert.equal(alice.state, "ok");
    assert.match(alice.text, /Upserted user alice/);
    assert.match(alice.text, /role\s+admin/);
    assert.deepEqual(await demo.userIds(), ["alice", "bob", "carol", "dave"]);
    const [aliceRow] = await demo.usersTable();
    assert.equal(aliceRow.role, "admin");
    assert.equal(aliceRow.teams, "red, blue");
    assert.equal(aliceRow.custom, '{"color":"teal"}');
    await demo.screenshot("upserted");
  });

  test("shows a 400 from the sandbox as StreamError", async () => {
    await demo.fill("Upsert a user", { "User ID": "not a valid id!", Name: "" });

    const { state, text } = await demo.press("Upsert a user", "Upsert user", "out-upsert");

    assert.equal(state, "error");
    assert.match(text, /StreamError \(api\): status 400, code 4/);
    assert.match(text, /operation\s+upsertUsers/);
    await demo.screenshot("upsert-invalid-id");
  });

  test("partial update sets and unsets fields", async () => {
    await demo.fill("Partial update", {
      "User ID": "alice",
      "Fields to set (JSON object)": '{"name": "Alice Liddell", "color": "red"}',
      "Fields to unset (comma-separated)": "image",
    });

    const { state, text } = await demo.press("Partial update", "Update user", "out-partial");

    assert.equal(state, "ok");
    assert.match(text, /Updated user alice/);
    const aliceRow = (await demo.usersTable()).find((row) => row.id === "alice");
    assert.equal(aliceRow.name, "Alice Liddell");
    assert.equal(aliceRow.custom, '{"color":"red"}');
    await demo.screenshot("partial-update");
  });

  test("rejects invalid JSON before sending", async () => {
    await demo.fill("Partial update", { "Fields to set (JSON object)": "{name:" });

    const { state, text } = await demo.press("Partial update", "Update user", "out-partial");

    assert.equal(state, "error");
    assert.match(text, /FormError: Fields to set is not valid JSON/);
  });

  test("deactivates one user", async () => {
    await demo.fill("Deactivate or reactivate one user", {
      "User ID": "bob",
      "Acting user ID (created_by_id)": "alice",
      "Mark messages deleted (deactivate)": true,
    });

    const { state, text } = await demo.press(
      "Deactivate or reactivate one user",
      "Deactivate user",
      "out-activation-one",
    );

    assert.equal(state, "ok");
    assert.match(text, /Deactivated user bob/);
    assert.match(text, /deactivated_at\s+\d{4}-\d\d-\d\dT/);
    assert.deepEqual(await demo.userIds(), ["alice", "carol", "dave"]);
    await demo.screenshot("deactivated-one");
  });

  test("lists deactivated users with the toggle", async () => {
    await demo.fill("Users", { "Include deactivated users": true });

    const { state, text } = await demo.press("Users", "Query users", "out-users");

    assert.equal(state, "ok");
    assert.match(text, /4 users \(including deactivated\)/);
    const bobRow = (await demo.usersTable()).find((row) => row.id === "bob");
    assert.equal(bobRow.state, "deactivated");
    await demo.screenshot("deactivated-listed");
  });

  test("reactivates one user", async () => {
    await demo.fill("Deactivate or reactivate one user", {
      "User ID": "bob",
      "Restore messages (reactivate)": true,
    });

    const { state, text } = await demo.press(
      "Deactivate or reactivate one user",
      "Reactivate user",
      "out-activation-one",
    );

    assert.equal(state, "ok");
    assert.match(text, /Reactivated user bob/);
    const bobRow = (await demo.usersTable()).find((row) => row.id === "bob");
    assert.equal(bobRow.state, "active");
  });

  test("deactivates many users with live task progress", async () => {
    await demo.fill("Deactivate or reactivate many users", {
      "User IDs (comma-separated)": "bob, carol",
      "Mark channels deleted (deactivate)": true,
    });
    // Hold every task poll until the screenshot of the running indicator is taken.
    let releasePolls;
    const pollsReleased = new Promise((resolve) => (releasePolls = resolve));
    await page.route(TASK_POLL_URL, async (route) => {
      await pollsReleased;
      await route.continue();
    });
    const before = await demo.outputSeq("out-activation-many");

    await demo
      .region("Deactivate or reactivate many users")
      .getByRole("button", { name: "Deactivate users", exact: true })
      .click();
    await page.locator('#task-panel[data-task-state="polling"]').waitFor();
    const polling = await page.locator("#task-status").innerText();
    assert.match(polling, /Deactivate users · task \S+: waiting for the first poll/);
    assert.equal(await page.locator("#task-cancel").isEnabled(), true);
    await demo.screenshot("deactivate-many-polling");
    releasePolls();
    const { state, text } = await demo.waitForOutput("out-activation-many", before);
    await page.unroute(TASK_POLL_URL);

    assert.equal(state, "ok");
    assert.match(text, /Deactivate users bob, carol: task completed/);
    deactivationTaskId = /task_id\s+(\S+)/.exec(text)?.[1];
    assert.ok(deactivationTaskId, `no task_id in ${JSON.stringify(text)}`);
    assert.equal(await page.locator("#task-panel").getAttribute("data-task-state"), "completed");
    assert.equal(await page.locator("#task-progress").evaluate((bar) => bar.value), 3);
    assert.match(await page.locator("#task-status").innerText(), /→ completed|: completed/);
    const states = Object.fromEntries((await demo.usersTable()).map((row) => [row.id, row.state]));
    assert.equal(states.bob, "deactivated");
    assert.equal(states.carol, "deactivated");
    await demo.screenshot("deactivate-many-completed");
  });

  test("reactivates many users", async () => {
    await demo.fill("Deactivate or reactivate many users", {
      "User IDs (comma-separated)": "bob, carol",
      "Mark channels deleted (deactivate)": false,
      "Restore messages (reactivate)": true,
      "Restore channels (reactivate)": true,
    });

    const { state, text } = await demo.press(
      "Deactivate or reactivate many users",
      "Reactivate users",
      "out-activation-many",
    );

    assert.equal(state, "ok");
    assert.match(text, /Reactivate users bob, carol: task completed/);
    const states = (await demo.usersTable()).map((row) => row.state);
    assert.deepEqual([...new Set(states)], ["active"]);
  });

  test("gets a task by ID", async () => {
    await demo.fill("Task progress", { "Task ID": deactivationTaskId });

    const { state, text } = await demo.press("Task progress", "Get task", "out-task");

    assert.equal(state, "ok");
    assert.match(text, new RegExp(`Task ${deactivationTaskId} is completed`));
    await demo.screenshot("get-task");
  });

  test("shows an unknown task as StreamError", async () => {
    await demo.fill("Task progress", { "Task ID": "no-such-task" });

    const { state, text } = await demo.press("Task progress", "Get task", "out-task");

    assert.equal(state, "error");
    assert.match(text, /StreamError \(api\): status 404, code \d+/);
  });

  test("soft-deletes with every option", async () => {
    await demo.fill("Delete users", {
      "User IDs (comma-separated)": "carol",
      User: "soft",
      Conversations: "hard",
      Messages: "pruning",
      Calls: "soft",
      "New channel owner ID": "alice",
      "New call owner ID": "alice",
      "Delete uploaded files": true,
    });

    const { state, text } = await demo.press("Delete users", "Delete users", "out-delete");

    assert.equal(state, "ok");
    assert.match(text, /Delete users carol: task completed/);
    assert.match(text, /"user":"soft"/);
    assert.match(text, /"new_channel_owner_id":"alice"/);
    assert.match(text, /"files":true/);
    assert.equal((await demo.userIds()).includes("carol"), false);
    await demo.screenshot("soft-deleted");
  });

  test("restores a soft-deleted user", async () => {
    await demo.fill("Restore users", { "User IDs (comma-separated)": "carol" });

    const { state, text } = await demo.press("Restore users", "Restore users", "out-restore");

    assert.equal(state, "ok");
    assert.match(text, /Restored carol/);
    const carolRow = (await demo.usersTable()).find((row) => row.id === "carol");
    assert.equal(carolRow.name, "Carol");
    await demo.screenshot("restored");
  });

  test("pruning delete clears the name", async () => {
    await demo.fill("Delete users", {
      "User IDs (comma-separated)": "bob",
      User: "pruning",
      Conversations: "",
      Messages: "",
      Calls: "",
      "New channel owner ID": "",
      "New call owner ID": "",
      "Delete uploaded files": false,
    });
    const deleted = await demo.press("Delete users", "Delete users", "out-delete");
    await demo.fill("Restore users", { "User IDs (comma-separated)": "bob" });
    const restored = await demo.press("Restore users", "Restore users", "out-restore");

    assert.equal(deleted.state, "ok");
    assert.match(deleted.text, /Delete users bob: task completed/);
    assert.equal(restored.state, "ok");
    const bobRow = (await demo.usersTable()).find((row) => row.id === "bob");
    assert.equal(bobRow.name, "");
  });

  test("hard delete removes the user", async () => {
    await demo.fill("Delete users", { "User IDs (comma-separated)": "dave", User: "hard" });

    const { state, text } = await demo.press("Delete users", "Delete users", "out-delete");

    assert.equal(state, "ok");
    assert.match(text, /Delete users dave: task completed/);
    assert.deepEqual(await demo.userIds(), ["alice", "bob", "carol"]);
    await demo.screenshot("hard-deleted");
  });

  test("creates a guest and inspects its token", async () => {
    await demo.fill("Guests and export", { "Guest user ID": "visitor-1", "Guest name": "Visitor" });
    const guest = await demo.press("Guests and export", "Create guest", "out-guest");
    const beforeInspect = await demo.outputSeq("out-token");
    await demo
      .region("Guests and export")
      .getByRole("button", { name: "Inspect the guest's token" })
      .click();
    const inspected = await demo.waitForOutput("out-token", beforeInspect);

    assert.equal(guest.state, "ok");
    assert.match(guest.text, /Created guest visitor-1 with role guest/);
    assert.equal(inspected.state, "ok");
    assert.match(inspected.text, /The sandbox accepts this token \(HTTP 200\)/);
    assert.match(inspected.text, /"user_id": "visitor-1"/);
    await demo.screenshot("guest-token");
  });

  test("exports a user", async () => {
    await demo.fill("Guests and export", { "User ID to export": "alice" });

    const { state, text } = await demo.press("Guests and export", "Export user", "out-export");

    assert.equal(state, "ok");
    assert.match(text, /Exported user alice: \d+ messages, \d+ reactions/);
  });

  test("inspects a generated user token", async () => {
    await demo.fill("Token inspector", {
      "User ID": "alice",
      "Validity (seconds)": "600",
      "Call CIDs (comma-separated)": "",
      "Call role": "",
    });

    const { state, text } = await demo.press(
      "Token inspector",
      "Generate user token",
      "out-token",
    );

    assert.equal(state, "ok");
    assert.match(text, /Generated a user token\. The sandbox accepts this token \(HTTP 200\)/);
    assert.match(text, /"alg": "HS256"/);
    assert.match(text, /"typ": "JWT"/);
    assert.match(text, /"user_id": "alice"/);
    assert.match(text, /verifyToken\s+valid for this page's secret/);
    const claims = JSON.parse(await page.locator("#out-token .token-parts pre").nth(1).innerText());
    assert.equal(claims.exp - claims.iat, 600);
    await demo.screenshot("user-token");
  });

  test("inspects a generated call token", async () => {
    await demo.fill("Token inspector", {
      "Call CIDs (comma-separated)": "default:standup, livestream:launch",
      "Call role": "admin",
    });

    const { state, text } = await demo.press(
      "Token inspector",
      "Generate call token",
      "out-token",
    );

    assert.equal(state, "ok");
    assert.match(text, /Generated a call token\. The sandbox accepts this token/);
    const claims = JSON.parse(await page.locator("#out-token .token-parts pre").nth(1).innerText());
    assert.deepEqual(claims.call_cids, ["default:standup", "livestream:launch"]);
    assert.equal(claims.role, "admin");
    await demo.screenshot("call-token");
  });

  test("shows a tampered token as rejected", async () => {
    const textarea = demo.region("Token inspector").getByLabel("Token", { exact: true });
    const token = await textarea.inputValue();
    const [header, claims, signature] = token.split(".");
    // Changing the first signature character changes the first signature byte.
    const first = signature[0] === "A" ? "B" : "A";
    await textarea.fill(`${header}.${claims}.${first}${signature.slice(1)}`);

    const { state, text } = await demo.press("Token inspector", "Inspect token", "out-token");

    assert.equal(state, "error");
    assert.match(text, /The sandbox rejects this token: status 401, code 43/);
    assert.match(text, /verifyToken\s+rejected:/);
    await demo.screenshot("tampered-token");
  });

  test("shows a token argument error", async () => {
    await demo.fill("Token inspector", { "User ID": "" });

    const { state, text } = await demo.press(
      "Token inspector",
      "Generate user token",
      "out-token",
    );

    assert.equal(state, "error");
    assert.match(text, /StreamError \(invalid_argument\): no HTTP status, no Stream code/);
    assert.match(text, /user_id/);
  });

  test("shows an injected 500 as StreamError", async () => {
    await demo.fill("Sandbox faults", {
      Endpoint: "POST /api/v2/users",
      Failure: "500",
      Count: "1",
    });
    const added = await demo.press("Sandbox faults", "Add fault", "out-fault");
    await demo.fill("Upsert a user", { "User ID": "erin", Name: "Erin" });
    const failed = await demo.press("Upsert a user", "Upsert user", "out-upsert");
    const retried = await demo.press("Upsert a user", "Upsert user", "out-upsert");

    assert.equal(added.state, "ok");
    assert.match(added.text, /The next 1 × POST \/api\/v2\/users will answer 500/);
    assert.equal(failed.state, "error");
    assert.match(failed.text, /StreamError \(api\): status 500, code -1/);
    assert.equal(retried.state, "ok");
    await demo.screenshot("fault-500");
  });

  test("shows a stalled request as a timeout", async () => {
    // Four stalls, so the query still times out if the client retries.
    await demo.fill("Sandbox faults", {
      Endpoint: "GET /api/v2/users",
      Failure: "stall",
      Count: "4",
    });
    await demo.press("Sandbox faults", "Add fault", "out-fault");

    const { state, text } = await demo.press("Users", "Query users", "out-users");
    const cleared = await demo.press("Sandbox faults", "Clear faults", "out-fault");

    assert.equal(state, "error");
    assert.match(text, /StreamError \(timeout\)/);
    assert.equal(cleared.state, "ok");
    await demo.screenshot("timeout");
  });

  test("activity log lists every operation", async () => {
    const log = await page.locator("#activity-log").innerText();
    const operations = [
      "connect",
      "upsertUsers",
      "updateUsersPartial",
      "deactivateUser",
      "reactivateUser",
      "deactivateUsers",
      "reactivateUsers",
      "deleteUsers",
      "restoreUsers",
      "getTask",
      "createGuest",
      "exportUser",
      "generateUserToken",
      "generateCallToken",
      "inspect token",
    ];

    for (const operation of operations) {
      assert.match(log, new RegExp(`\\d ${operation}: `), `no ${operation} entry in the log`);
    }
  });
});
