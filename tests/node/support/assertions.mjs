// Assertions shared by the end-to-end suites.
import assert from "node:assert/strict";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Awaits `promise` and returns the value it rejects with; fails if it resolves. */
export async function rejectionOf(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("expected the promise to reject, but it resolved");
}

/** Calls `fn` and returns what it throws; fails if it returns. */
export function thrownBy(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail("expected the call to throw, but it returned");
}

/**
 * Asserts that `error` is an instance of the package's `StreamError` with the expected
 * fields. `expected.message` is a RegExp; other keys compare with strict equality. Fields
 * not listed in `expected` are not checked.
 */
export function assertStreamError(error, StreamError, expected) {
  assert.ok(
    error instanceof StreamError,
    `expected a StreamError, got ${error?.constructor?.name}: ${error?.message}`,
  );
  assert.ok(error instanceof Error, "StreamError must extend Error");
  assert.equal(error.name, "StreamError");
  for (const [field, value] of Object.entries(expected)) {
    if (field === "message") {
      assert.match(error.message, value);
    } else {
      assert.equal(error[field], value, `StreamError.${field} (message: ${error.message})`);
    }
  }
}

/** Asserts the shape of the `metadata` of a response or of an API error. */
export function assertMetadata(metadata, responseCode) {
  assert.equal(metadata.responseCode, responseCode);
  assert.match(metadata.clientRequestId, UUID);
  assert.ok(metadata.responseHeaders instanceof Headers, "responseHeaders is a fetch Headers");
  assert.equal(typeof metadata.rateLimit.rateLimit, "number");
  assert.equal(typeof metadata.rateLimit.rateLimitRemaining, "number");
  assert.ok(metadata.rateLimit.rateLimitReset instanceof Date, "rateLimitReset is a Date");
  assert.equal(
    metadata.rateLimit.rateLimit,
    Number(metadata.responseHeaders.get("x-ratelimit-limit")),
  );
  assert.equal(
    metadata.rateLimit.rateLimitReset.getTime(),
    Number(metadata.responseHeaders.get("x-ratelimit-reset")) * 1000,
  );
}

/** Asserts that `value` is a valid `Date`. */
export function assertDate(value, label) {
  assert.ok(value instanceof Date, `${label} should be a Date, got ${typeof value}: ${value}`);
  assert.ok(!Number.isNaN(value.getTime()), `${label} is an invalid Date`);
}
