// Runs official SDK calls against the sandbox and checks the raw exchanges they produced.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";

import { schemaValidator } from "./openapi.mjs";

/** Task statuses in the order Stream moves a task through them. */
const TASK_ORDER = ["pending", "running", "completed"];
const TASK_POLL_INTERVAL_MS = 10;
// An upper bound so a task that never finishes fails the test instead of hanging it. It is
// not a timing assertion: the sandbox runs with a 50 ms task delay.
const TASK_POLL_DEADLINE_MS = 30_000;

/**
 * Binds helpers to one recording fetch (see capture-fetch.mjs).
 */
export function sdkCalls(capture) {
  function newExchanges(mark) {
    return capture.exchanges.slice(mark);
  }

  function assertValid(exchanges) {
    assert.ok(exchanges.length > 0, "the call sent no request to the sandbox");
    for (const exchange of exchanges) {
      const context = `${exchange.method} ${exchange.path}: ${exchange.text}`;
      assert.deepEqual(exchange.problems, [], context);
    }
  }

  /**
   * Runs `action`, which must succeed, and asserts that every response it received is valid and
   * has `status`. Returns the SDK result and the last raw response body.
   */
  async function succeed(status, action) {
    const mark = capture.exchanges.length;
    const result = await action();
    const exchanges = newExchanges(mark);
    assertValid(exchanges);
    const last = exchanges.at(-1);
    assert.equal(last.status, status, `${last.method} ${last.path} status: ${last.text}`);
    return { result, raw: last.body, exchange: last };
  }

  /**
   * Runs `action`, which must reject with the SDK's StreamError, and asserts the HTTP status,
   * the Stream error code and that the raw body is a valid APIError whose StatusCode matches.
   */
  async function fail(status, code, action) {
    const mark = capture.exchanges.length;
    const error = await action().then(
      (result) => assert.fail(`expected a ${status} error, got ${JSON.stringify(result)}`),
      (rejection) => rejection,
    );
    // The SDK neither exports StreamError nor sets `name`, so the constructor name is checked.
    assert.equal(error.constructor.name, "StreamError", `unexpected error: ${error.stack}`);
    const exchanges = newExchanges(mark);
    assertValid(exchanges);
    const last = exchanges.at(-1);
    assert.equal(last.status, status, `${last.method} ${last.path} status: ${last.text}`);
    assert.equal(error.metadata.responseCode, status);
    assert.equal(error.code, code, `error code: ${last.text}`);
    assert.equal(last.body.code, code);
    assert.equal(last.body.StatusCode, status);

    // Checked against APIError directly as well, whichever schema the status selected above.
    const validateError = schemaValidator("APIError");
    assert.ok(validateError(last.body), JSON.stringify(validateError.errors));
    return { error, raw: last.body, exchange: last };
  }

  /**
   * Polls `client.getTask` until the task completes or fails, validating every poll. Asserts the
   * statuses seen never move backwards. Returns the final raw task body and the statuses seen.
   */
  async function waitForTask(client, taskId) {
    const seen = [];
    const deadline = Date.now() + TASK_POLL_DEADLINE_MS;
    for (;;) {
      const { raw } = await succeed(200, () => client.getTask({ id: taskId }));
      assert.equal(raw.task_id, taskId);
      seen.push(raw.status);
      if (raw.status === "completed" || raw.status === "failed") {
        assertTaskOrder(seen);
        return { task: raw, seen };
      }
      assert.ok(
        Date.now() < deadline,
        `task ${taskId} did not finish within ${TASK_POLL_DEADLINE_MS} ms: ${seen.join(", ")}`,
      );
      await sleep(TASK_POLL_INTERVAL_MS);
    }
  }

  return { succeed, fail, waitForTask };
}

function assertTaskOrder(seen) {
  let previous = 0;
  for (const status of seen) {
    if (status === "failed") {
      continue;
    }
    const index = TASK_ORDER.indexOf(status);
    assert.notEqual(index, -1, `unknown task status ${status} in ${seen.join(", ")}`);
    assert.ok(index >= previous, `task status went backwards: ${seen.join(", ")}`);
    previous = index;
  }
}
