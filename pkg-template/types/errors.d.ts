import type { RequestMetadata } from "./metadata.js";
import type { FullUserResponse } from "./users.js";

/**
 * Category of a failure.
 *
 * - `"api"`: Stream responded with an error envelope; `code` and `status` are set.
 * - `"invalid_argument"`: an argument was rejected before anything was signed or sent.
 * - `"timeout"`: the client's `timeout` expired before a response arrived. It bounds the
 *   whole call, retries included, and the message gives the timeout and the attempts.
 * - `"abort"`: the caller's `AbortSignal` fired; the message gives the time since the call
 *   started and `cause` is the signal's `reason`.
 * - `"network"`: the request could not be sent or the connection failed.
 * - `"unexpected_response"`: the response was not JSON or did not have the expected shape.
 * - `"task_failed"`: `waitForTask` saw the task end with status `failed`.
 * - `"task_timeout"`: `waitForTask` gave up after its `timeoutMs`.
 * - `"internal"`: a bug inside the SDK; please report it.
 */
export type StreamErrorKind =
  | "api"
  | "invalid_argument"
  | "timeout"
  | "abort"
  | "network"
  | "unexpected_response"
  | "task_failed"
  | "task_timeout"
  | "internal";

/** Second argument of the `StreamError` constructor. */
export interface StreamErrorFields {
  operation?: string;
  kind?: StreamErrorKind;
  code?: number;
  status?: number;
  metadata?: Partial<RequestMetadata>;
  unrecoverable?: boolean;
  exception_fields?: Record<string, string>;
  more_info?: string;
  cause?: unknown;
}

/**
 * Error thrown or rejected by every `StreamClient` method.
 *
 * The message names the operation and the reason (for API errors, Stream's own message).
 * It never contains the API secret.
 *
 * @example
 * ```ts
 * try {
 *   await client.getTask({ id: "no-such-task" });
 * } catch (error) {
 *   if (error instanceof StreamError && error.kind === "api") {
 *     console.log(error.status, error.code, error.metadata.clientRequestId);
 *   }
 * }
 * ```
 */
export declare class StreamError extends Error {
  constructor(message: string, fields?: StreamErrorFields);
  readonly name: "StreamError";
  /** The client method that failed, for example `"getTask"`. */
  operation?: string;
  /** Category of the failure. */
  kind: StreamErrorKind;
  /** Stream's error code (for example 4 for invalid input, 9 for rate limited); API errors only. */
  code?: number;
  /** HTTP status code of the response, when there was one. */
  status?: number;
  /** Metadata of the failed request; empty for errors raised before sending. */
  metadata: Partial<RequestMetadata>;
  /** `true` when Stream reports that retrying the same request cannot succeed. */
  unrecoverable?: boolean;
  /** Per-field details from Stream's error envelope. */
  exception_fields?: Record<string, string>;
  /** Link to Stream's documentation of the error code. */
  more_info?: string;
  /**
   * Only when a call of more than 100 users or IDs, split into several requests, stopped
   * early: what the requests that succeeded did, and which IDs are left. `kind`, `status`,
   * `code` and `metadata` are those of the request that failed.
   */
  partial?: BulkPartialResult;
}

/**
 * `StreamError.partial`: the merged result of the requests of a split call that succeeded,
 * with the IDs sorted by what happened to their request. To finish the work, call the
 * method again with `failed_ids` and `unsent_ids`.
 */
export interface BulkPartialResult {
  /** `upsertUsers` and `updateUsersPartial`: the users stored so far, keyed by ID. */
  users?: Record<string, FullUserResponse>;
  /** `deactivateUsers`, `reactivateUsers` and `deleteUsers`: the first task started. */
  task_id?: string;
  /** `deactivateUsers`, `reactivateUsers` and `deleteUsers`: every task started. */
  task_ids?: string[];
  /** `upsertUsers` and `updateUsersPartial`: the membership deletion tasks started. */
  membership_deletion_task_ids?: string[];
  /** IDs whose request succeeded. */
  done_ids: string[];
  /**
   * IDs whose request failed, or was interrupted by the signal. An interrupted request may
   * still have reached Stream.
   */
  failed_ids: string[];
  /** IDs that were never sent. */
  unsent_ids: string[];
}
