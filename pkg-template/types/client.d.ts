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
  /** Maximum time for one request, in milliseconds. Default 3000. */
  timeout?: number;
}

/**
 * Server-side client for Stream's Users and Tasks endpoints, with user and call tokens.
 *
 * Method names and payloads are those of `@stream-io/node-sdk`. Every network method
 * returns the decoded body plus `metadata`, and rejects with a `StreamError`. Token
 * methods are synchronous and throw a `StreamError` of kind `invalid_argument` on bad
 * input. The secret never leaves the client: it is not an enumerable property and appears
 * in no error message.
 *
 * @example
 * ```ts
 * import { StreamClient } from "stream-edge";
 *
 * const client = new StreamClient(env.STREAM_API_KEY, env.STREAM_API_SECRET, {
 *   timeout: 5000,
 * });
 * ```
 */
export declare class StreamClient {
  /**
   * @param apiKey the app's API key, sent as the `api_key` query parameter
   * @param secret the app's API secret, used only to sign tokens
   * @throws {StreamError} of kind `invalid_argument` when `basePath` is not an `http://` or
   *   `https://` URL or `timeout` is not a positive number
   */
  constructor(apiKey: string, secret: string, options?: StreamClientOptions);

  /**
   * Creates or replaces users (`POST /api/v2/users`). Up to 100 users per call; each
   * stored user is replaced as a whole.
   *
   * Accepts an array, or the form `{ users: { [id]: user } }` shown in Stream's docs.
   *
   * @example
   * ```ts
   * const { users } = await client.upsertUsers([{ id: "alice", name: "Alice", role: "user" }]);
   * console.log(users.alice.created_at.toISOString());
   * ```
   */
  upsertUsers(
    users: UserRequest[] | UpdateUsersRequest,
  ): Promise<StreamResponse<UpdateUsersResponse>>;

  /**
   * Sets and removes single fields of users (`PATCH /api/v2/users`).
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
  ): Promise<StreamResponse<UpdateUsersResponse>>;

  /**
   * Finds users (`GET /api/v2/users`). Deactivated users are included only with
   * `include_deactivated_users`; deleted users never are.
   *
   * @example
   * ```ts
   * const { users } = await client.queryUsers({
   *   payload: { filter_conditions: { role: { $eq: "admin" } }, sort: [{ field: "name" }], limit: 10 },
   * });
   * ```
   */
  queryUsers(request?: { payload?: QueryUsersPayload }): Promise<StreamResponse<QueryUsersResponse>>;

  /**
   * Deactivates one user at once (`POST /api/v2/users/{user_id}/deactivate`).
   *
   * @example
   * ```ts
   * const { user } = await client.deactivateUser({ user_id: "alice", mark_messages_deleted: false });
   * console.log(user?.deactivated_at);
   * ```
   */
  deactivateUser(request: DeactivateUserRequest): Promise<StreamResponse<DeactivateUserResponse>>;

  /**
   * Reactivates one deactivated user (`POST /api/v2/users/{user_id}/reactivate`).
   *
   * @example
   * ```ts
   * await client.reactivateUser({ user_id: "alice", restore_messages: true });
   * ```
   */
  reactivateUser(request: ReactivateUserRequest): Promise<StreamResponse<ReactivateUserResponse>>;

  /**
   * Starts a task that deactivates up to 100 users (`POST /api/v2/users/deactivate`).
   *
   * @example
   * ```ts
   * const { task_id } = await client.deactivateUsers({ user_ids: ["alice", "bob"] });
   * await client.waitForTask(task_id);
   * ```
   */
  deactivateUsers(
    request: DeactivateUsersRequest,
  ): Promise<StreamResponse<DeactivateUsersResponse>>;

  /**
   * Starts a task that reactivates up to 100 users (`POST /api/v2/users/reactivate`).
   *
   * @example
   * ```ts
   * const { task_id } = await client.reactivateUsers({ user_ids: ["alice", "bob"] });
   * await client.waitForTask(task_id);
   * ```
   */
  reactivateUsers(
    request: ReactivateUsersRequest,
  ): Promise<StreamResponse<ReactivateUsersResponse>>;

  /**
   * Starts a task that deletes up to 100 users (`POST /api/v2/users/delete`).
   *
   * @example
   * ```ts
   * const { task_id } = await client.deleteUsers({ user_ids: ["alice"], user: "soft" });
   * const task = await client.waitForTask(task_id);
   * console.log(task.result);
   * ```
   */
  deleteUsers(request: DeleteUsersRequest): Promise<StreamResponse<DeleteUsersResponse>>;

  /**
   * Restores soft-deleted or pruned users (`POST /api/v2/users/restore`).
   *
   * @example
   * ```ts
   * await client.restoreUsers({ user_ids: ["alice"] });
   * ```
   */
  restoreUsers(request: RestoreUsersRequest): Promise<StreamResponse<Response>>;

  /**
   * Reads a task's state once (`GET /api/v2/tasks/{id}`).
   *
   * @example
   * ```ts
   * const task = await client.getTask({ id: task_id });
   * console.log(task.status, task.updated_at);
   * ```
   */
  getTask(request: GetTaskRequest): Promise<StreamResponse<GetTaskResponse>>;

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
  createGuest(request: CreateGuestRequest): Promise<StreamResponse<CreateGuestResponse>>;

  /**
   * Exports a user with their messages and reactions (`GET /api/v2/users/{user_id}/export`).
   *
   * @example
   * ```ts
   * const { user, messages } = await client.exportUser({ user_id: "alice" });
   * ```
   */
  exportUser(request: { user_id: string }): Promise<StreamResponse<ExportUserResponse>>;

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
   * included), or the token has expired or was issued in the future.
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
   * body under the API secret, compared in constant time.
   *
   * @example
   * ```ts
   * const body = await request.text();
   * if (!client.verifyWebhook(body, request.headers.get("x-signature") ?? "")) {
   *   return new Response("invalid signature", { status: 401 });
   * }
   * ```
   */
  verifyWebhook(body: string | Uint8Array, signature: string): boolean;

  /** Releases the client's memory in the WebAssembly instance; the client is unusable after. */
  free(): void;
}
