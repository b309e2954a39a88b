import type { StreamError } from "./errors.js";
import type { Response, StreamResponse } from "./metadata.js";
import type { GetTaskRequest, GetTaskResponse, WaitForTaskOptions } from "./tasks.js";
import type { CallTokenPayload, TokenClaims, UserTokenPayload } from "./tokens.js";
import type {
  CreateGuestRequest,
  CreateGuestResponse,
  DeactivateUserRequest,
  DeactivateUserResponse,
  DeactivateUsersRequest,
  DeactivateUsersResponse,
  DeleteUsersRequest,
  DeleteUsersResponse,
  ExportUserResponse,
  QueryUsersPayload,
  QueryUsersResponse,
  ReactivateUserRequest,
  ReactivateUserResponse,
  ReactivateUsersRequest,
  ReactivateUsersResponse,
  RestoreUsersRequest,
  UpdateUsersPartialRequest,
  UpdateUsersRequest,
  UpdateUsersResponse,
  UserRequest,
} from "./users.js";

/** Options of the `StreamClient` constructor. */
export interface StreamClientOptions {
  /** Base URL of the API. Default `https://video.stream-io-api.com`. */
  basePath?: string;
  /**
   * Maximum time for one call, in milliseconds, retries and the waits between them
   * included. Default 3000. When it expires the call rejects with a `StreamError` of kind
   * `timeout`.
   */
  timeout?: number;
  /**
   * How often a failed request is sent again: a whole number from 0 to 10. Default 3.
   * Only HTTP 429, 502, 503 and 504 and network errors are retried; other statuses
   * (including every other 4xx and 500), timeouts and aborts are not.
   */
  maxRetries?: number;
  /**
   * Backoff base in milliseconds. Default 250. Before retry `n` the client waits a random
   * time from 0 to `retryBaseDelayMs * 2 ** (n - 1)` ms (at most 30000), except after a 429,
   * where it waits until `X-RateLimit-Reset`, or for `Retry-After` when only that is given.
   * A wait that would outlast `timeout` is not started: the call rejects at once with the
   * last attempt's error, whose `metadata.rateLimit.rateLimitReset` gives the time to try
   * again.
   */
  retryBaseDelayMs?: number;
  /**
   * Receives every retry as `logger.warn(message, event)`; `console` works as is. An
   * exception thrown by the logger is ignored. The only other events are exceptions thrown
   * by an `onProgress` callback (`ProgressErrorEvent`).
   */
  logger?: StreamLogger;
}

/** The `logger` option: an object with a `warn` method, such as `console` or a pino logger. */
export interface StreamLogger {
  warn(message: string, event: RetryEvent | ProgressErrorEvent): void;
}

/** An exception thrown by an `onProgress` callback, as passed to `logger.warn`. */
export interface ProgressErrorEvent {
  /** The client method, for example `"upsertUsers"`. */
  operation: string;
  reason: "onProgress threw";
  /** The thrown value, or the rejection reason of the promise `onProgress` returned. */
  error: unknown;
}

/** A retry, as passed to `logger.warn`. */
export interface RetryEvent {
  /** The client method, for example `"upsertUsers"`. */
  operation: string;
  /** The number of the attempt that failed, 1 for the first. */
  attempt: number;
  /** The `maxRetries` option. */
  maxRetries: number;
  /**
   * Why the attempt failed, for example `"HTTP 503, Stream error code -1"` or
   * `"network error: TypeError: fetch failed (...)"`.
   */
  reason: string;
  /** HTTP status of the failed attempt, when a response arrived. */
  status?: number;
  /** Milliseconds until the next attempt. */
  delayMs: number;
  /** The source of the wait: the backoff formula or one of the two response headers. */
  delaySource: "backoff" | "x-ratelimit-reset" | "retry-after";
  /** The `x-client-request-id` of the call; every attempt of a call sends the same one. */
  clientRequestId: string;
  /** The error the attempt failed with; the call would have rejected with it. */
  error: StreamError;
}

/** The trailing options argument of every network method. */
export interface CallOptions {
  /**
   * Ends the call when it fires: the promise rejects at once with a `StreamError` of kind
   * `abort`, the request in flight is aborted and no retry is sent. A signal that has
   * already fired rejects before anything is sent.
   */
  signal?: AbortSignal;
}

/**
 * The trailing options argument of the six methods that take a list of users or IDs:
 * `upsertUsers`, `updateUsersPartial`, `deactivateUsers`, `reactivateUsers`, `deleteUsers`
 * and `restoreUsers`.
 *
 * Stream accepts at most 100 users or IDs per request. A longer list is checked as a whole
 * (nothing is sent if any entry is invalid or an ID appears twice), then sent as requests
 * of 100, each with its own retries and `timeout`. When the latest response reports no
 * requests left in the rate-limit window (`X-RateLimit-Remaining` not above the requests in
 * flight), the next request waits until `X-RateLimit-Reset`. A list of up to 100 is sent as
 * one request, as before.
 *
 * If a request fails, no further request starts, the ones in flight finish, and the call
 * rejects with a `StreamError` whose `partial` lists what was done. The signal stops the
 * call at once: requests in flight are aborted and count as failed.
 */
export interface BulkCallOptions extends CallOptions {
  /** Requests in flight at once: a whole number from 1 to 16. Default 4. */
  concurrency?: number;
  /**
   * Called after each request that succeeded, in the order they complete. An exception it
   * throws, or a rejection of the promise it returns, is passed to `logger.warn` (and
   * otherwise ignored), and the call goes on.
   */
  onProgress?: (event: BulkProgressEvent) => void | Promise<void>;
}

/** Progress of a call of `BulkCallOptions`; the counts are users or IDs, not requests. */
export interface BulkProgressEvent {
  /** The client method, for example `"upsertUsers"`. */
  operation: string;
  /** Users or IDs in the requests that succeeded so far. */
  done: number;
  /** Users or IDs in the whole call. */
  total: number;
  /** Requests that succeeded so far. */
  chunks_done: number;
  /** Requests of the whole call: the list length divided by 100, rounded up. */
  chunks_total: number;
}

/**
 * Server-side client for Stream's Users and Tasks endpoints, with user and call tokens.
 *
 * Method names and payloads are those of `@stream-io/node-sdk`. Every network method
 * returns the decoded body plus `metadata`, and rejects with a `StreamError`. It takes a
 * trailing `{ signal }` argument, checks its arguments before sending anything, and retries
 * rate limits (429), 502, 503, 504 and network errors within the client's `timeout`. Token
 * methods are synchronous and throw a `StreamError` of kind `invalid_argument` on bad
 * input. The secret never leaves the client: it is not an enumerable property and appears
 * in no error message or log event.
 *
 * @example
 * ```ts
 * import { StreamClient } from "stream-edge";
 *
 * const client = new StreamClient(env.STREAM_API_KEY, env.STREAM_API_SECRET, {
 *   timeout: 5000,
 *   maxRetries: 3,
 *   logger: console,
 * });
 * const controller = new AbortController();
 * await client.upsertUsers([{ id: "alice" }], { signal: controller.signal });
 * ```
 */
export declare class StreamClient {
  /**
   * @param apiKey the app's API key, sent as the `api_key` query parameter
   * @param secret the app's API secret, used only to sign tokens
   * @throws {StreamError} of kind `invalid_argument` when `apiKey` or `secret` is empty,
   *   `options` has a property other than `basePath`, `timeout`, `maxRetries`,
   *   `retryBaseDelayMs` and `logger` (such as `baseURL`), `basePath` is not an `http://` or
   *   `https://` URL, `timeout` is not a positive number, `maxRetries` is not a whole number
   *   from 0 to 10, `retryBaseDelayMs` is negative, or `logger` has no `warn` method
   */
  constructor(apiKey: string, secret: string, options?: StreamClientOptions);

  /**
   * Creates or replaces users (`POST /api/v2/users`). Each stored user is replaced as a
   * whole. An empty list is rejected before sending. More than 100 users are sent as
   * several requests (see `BulkCallOptions`), and `users` then has every user.
   *
   * Accepts an array, or the form `{ users: { [id]: user } }` shown in Stream's docs. Each
   * ID may appear once per call, and the keys of the second form must equal the users' `id`.
   * Custom data must be JSON. Functions, symbols, `BigInt`s, `NaN` and cycles are rejected
   * with a `StreamError` of kind `invalid_argument` that names the property.
   *
   * @example
   * ```ts
   * const { users } = await client.upsertUsers([{ id: "alice", name: "Alice", role: "user" }]);
   * console.log(users.alice.created_at.toISOString());
   * ```
   */
  upsertUsers(
    users: UserRequest[] | UpdateUsersRequest,
    options?: BulkCallOptions,
  ): Promise<StreamResponse<UpdateUsersResponse>>;

  /**
   * Sets and removes single fields of users (`PATCH /api/v2/users`). Neither `set` nor
   * `unset` may touch `id`, and a field may not be in both. More than 100 updates are sent
   * as several requests (see `BulkCallOptions`).
   *
   * @example
   * ```ts
   * await client.updateUsersPartial({
   *   users: [{ id: "alice", set: { name: "Alice B.", "custom.color": "blue" }, unset: ["image"] }],
   * });
   * ```
   */
  updateUsersPartial(
    request: UpdateUsersPartialRequest,
    options?: BulkCallOptions,
  ): Promise<StreamResponse<UpdateUsersResponse>>;

  /**
   * Finds users (`GET /api/v2/users`). `payload.filter_conditions` is required, `{}`
   * matches every user; a call without it is rejected before sending with a `StreamError`
   * of kind `invalid_argument`. Deactivated users are included only with
   * `include_deactivated_users`; deleted users never are. `limit` must be a whole number
   * from 0 to 100 and `offset` one from 0 to 1000.
   *
   * @example
   * ```ts
   * const { users } = await client.queryUsers({
   *   payload: { filter_conditions: { role: { $eq: "admin" } }, sort: [{ field: "name" }], limit: 10 },
   * });
   * ```
   */
  queryUsers(
    request: { payload: QueryUsersPayload },
    options?: CallOptions,
  ): Promise<StreamResponse<QueryUsersResponse>>;

  /**
   * Deactivates one user at once (`POST /api/v2/users/{user_id}/deactivate`).
   *
   * @example
   * ```ts
   * const { user } = await client.deactivateUser({ user_id: "alice", mark_messages_deleted: false });
   * console.log(user?.deactivated_at);
   * ```
   */
  deactivateUser(
    request: DeactivateUserRequest,
    options?: CallOptions,
  ): Promise<StreamResponse<DeactivateUserResponse>>;

  /**
   * Reactivates one deactivated user (`POST /api/v2/users/{user_id}/reactivate`).
   *
   * @example
   * ```ts
   * await client.reactivateUser({ user_id: "alice", restore_messages: true });
   * ```
   */
  reactivateUser(
    request: ReactivateUserRequest,
    options?: CallOptions,
  ): Promise<StreamResponse<ReactivateUserResponse>>;

  /**
   * Starts a task that deactivates users (`POST /api/v2/users/deactivate`). More than 100
   * IDs are sent as several requests (see `BulkCallOptions`), each starting its own task,
   * listed in `task_ids`.
   *
   * @example
   * ```ts
   * const { task_id } = await client.deactivateUsers({ user_ids: ["alice", "bob"] });
   * await client.waitForTask(task_id);
   * ```
   * @example
   * ```ts
   * const response = await client.deactivateUsers({ user_ids: manyIds }, { concurrency: 4 });
   * // task_ids is set only when the IDs needed several requests.
   * const taskIds = response.task_ids ?? [response.task_id];
   * await Promise.all(taskIds.map((id) => client.waitForTask(id)));
   * ```
   */
  deactivateUsers(
    request: DeactivateUsersRequest,
    options?: BulkCallOptions,
  ): Promise<StreamResponse<DeactivateUsersResponse>>;

  /**
   * Starts a task that reactivates users (`POST /api/v2/users/reactivate`). More than 100
   * IDs are sent as several requests (see `BulkCallOptions`), each starting its own task,
   * listed in `task_ids`.
   *
   * @example
   * ```ts
   * const { task_id } = await client.reactivateUsers({ user_ids: ["alice", "bob"] });
   * await client.waitForTask(task_id);
   * ```
   */
  reactivateUsers(
    request: ReactivateUsersRequest,
    options?: BulkCallOptions,
  ): Promise<StreamResponse<ReactivateUsersResponse>>;

  /**
   * Starts a task that deletes users (`POST /api/v2/users/delete`). More than 100 IDs are
   * sent as several requests (see `BulkCallOptions`), each starting its own task, listed in
   * `task_ids`.
   *
   * @example
   * ```ts
   * const { task_id } = await client.deleteUsers({ user_ids: ["alice"], user: "soft" });
   * const task = await client.waitForTask(task_id);
   * console.log(task.result);
   * ```
   */
  deleteUsers(
    request: DeleteUsersRequest,
    options?: BulkCallOptions,
  ): Promise<StreamResponse<DeleteUsersResponse>>;

  /**
   * Restores soft-deleted or pruned users (`POST /api/v2/users/restore`). More than 100
   * IDs are sent as several requests (see `BulkCallOptions`).
   *
   * @example
   * ```ts
   * await client.restoreUsers({ user_ids: ["alice"] });
   * ```
   */
  restoreUsers(
    request: RestoreUsersRequest,
    options?: BulkCallOptions,
  ): Promise<StreamResponse<Response>>;

  /**
   * Reads a task's state once (`GET /api/v2/tasks/{id}`).
   *
   * @example
   * ```ts
   * const task = await client.getTask({ id: task_id });
   * console.log(task.status, task.updated_at);
   * ```
   */
  getTask(request: GetTaskRequest, options?: CallOptions): Promise<StreamResponse<GetTaskResponse>>;

  /**
   * Polls `getTask` until the task is `completed` and resolves with its last state.
   * Rejects with a `StreamError` of kind `task_failed` when the task fails, `task_timeout`
   * after `timeoutMs`, or `abort` when `signal` fires.
   *
   * @example
   * ```ts
   * const { task_id } = await client.deleteUsers({ user_ids: ["alice"], user: "hard" });
   * const task = await client.waitForTask(task_id, { intervalMs: 250, timeoutMs: 30_000 });
   * ```
   */
  waitForTask(
    taskId: string,
    options?: WaitForTaskOptions,
  ): Promise<StreamResponse<GetTaskResponse>>;

  /**
   * Creates a user with role `guest` and returns a user token for it (`POST /api/v2/guest`).
   *
   * @example
   * ```ts
   * const { user, access_token } = await client.createGuest({ user: { id: "visitor-1" } });
   * ```
   */
  createGuest(
    request: CreateGuestRequest,
    options?: CallOptions,
  ): Promise<StreamResponse<CreateGuestResponse>>;

  /**
   * Exports a user with their messages and reactions (`GET /api/v2/users/{user_id}/export`).
   *
   * @example
   * ```ts
   * const { user, messages } = await client.exportUser({ user_id: "alice" });
   * ```
   */
  exportUser(
    request: { user_id: string },
    options?: CallOptions,
  ): Promise<StreamResponse<ExportUserResponse>>;

  /**
   * Signs a user token (HS256) for client-side SDKs. Extra fields become extra claims.
   *
   * @example
   * ```ts
   * const token = client.generateUserToken({ user_id: "alice", validity_in_seconds: 3600 });
   * ```
   */
  generateUserToken(payload: UserTokenPayload): string;

  /**
   * Signs a user token limited to the given calls, optionally with a call role.
   *
   * @example
   * ```ts
   * const token = client.generateCallToken({
   *   user_id: "alice",
   *   call_cids: ["default:standup"],
   *   role: "admin",
   * });
   * ```
   */
  generateCallToken(payload: CallTokenPayload): string;

  /**
   * Signs a user token.
   *
   * @param exp expiry in Unix seconds; default one hour from now
   * @param iat issue time in Unix seconds; default one second before now
   * @deprecated use {@link StreamClient.generateUserToken}
   * @example
   * ```ts
   * const token = client.createToken("alice", Math.floor(Date.now() / 1000) + 3600);
   * ```
   */
  createToken(userId: string, exp?: number, iat?: number): string;

  /**
   * Signs a call token for a user ID or for `{ user_id, role }`.
   *
   * @param exp expiry in Unix seconds; default one hour from now
   * @param iat issue time in Unix seconds; default one second before now
   * @deprecated use {@link StreamClient.generateCallToken}
   * @example
   * ```ts
   * const token = client.createCallToken({ user_id: "alice", role: "admin" }, ["default:standup"]);
   * ```
   */
  createCallToken(
    userIdOrObject: string | { user_id: string; role?: string },
    call_cids: string[],
    exp?: number,
    iat?: number,
  ): string;

  /**
   * Checks an HS256 token against the client's secret and returns its claims. Throws a
   * `StreamError` when the signature does not match, the algorithm is not HS256 (`none`
   * included), or the token has expired or was issued in the future. Pass the token alone:
   * a value starting with `Bearer ` is rejected with a hint to strip that prefix.
   *
   * @example
   * ```ts
   * const claims = client.verifyToken(request.headers.get("authorization") ?? "");
   * console.log(claims.user_id);
   * ```
   */
  verifyToken(token: string): TokenClaims;

  /**
   * Checks the `X-Signature` header of a webhook request: the hex HMAC-SHA256 of the raw
   * body (a string, `Uint8Array` or `ArrayBuffer`) under the API secret, compared in
   * constant time.
   *
   * @example
   * ```ts
   * const body = await request.text();
   * if (!client.verifyWebhook(body, request.headers.get("x-signature") ?? "")) {
   *   return new Response("invalid signature", { status: 401 });
   * }
   * ```
   */
  verifyWebhook(body: string | Uint8Array | ArrayBuffer, signature: string): boolean;

  /**
   * Releases the client's memory in the WebAssembly instance. Later calls on this client
   * fail with a `StreamError` of kind `invalid_argument`, and a second `free()` does nothing.
   */
  free(): void;
}
