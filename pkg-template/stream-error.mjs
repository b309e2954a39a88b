// The one error class of stream-edge. scripts/build-pkg.sh copies this file into each entry
// point, so edit only this copy.

/**
 * Error thrown or rejected by every StreamClient method.
 *
 * `kind` tells what failed: "api" (Stream responded with an error envelope),
 * "invalid_argument" (rejected before anything was signed or sent), "timeout", "abort",
 * "network", "unexpected_response" (not JSON, or not the expected shape), "task_failed",
 * "task_timeout" or "internal" (a bug inside the SDK).
 */
export class StreamError extends Error {
  /**
   * @param {string} message what failed, on which value
   * @param {object} [fields] operation, kind, code, status, metadata, unrecoverable,
   *   exception_fields, more_info and cause
   */
  constructor(message, fields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.operation = fields.operation;
    this.kind = fields.kind ?? "internal";
    this.code = fields.code;
    this.status = fields.status;
    this.metadata = fields.metadata ?? {};
    this.unrecoverable = fields.unrecoverable;
    this.exception_fields = fields.exception_fields;
    this.more_info = fields.more_info;
  }
}

Object.defineProperty(StreamError.prototype, "name", {
  value: "StreamError",
  writable: true,
  configurable: true,
});
