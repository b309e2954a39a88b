// A TypeScript consumer of every StreamClient method. It is type-checked with
// `tsc --strict --noEmit`, never run; the lines marked @ts-expect-error must stay errors,
// so types that are too loose fail the check as well.
import {
  StreamClient,
  StreamError,
  type BulkCallOptions,
  type BulkPartialResult,
  type BulkProgressEvent,
  type CallTokenPayload,
  type CreateGuestResponse,
  type DeleteUsersRequest,
  type ExportUserResponse,
  type FullUserResponse,
  type GetTaskResponse,
  type QueryUsersPayload,
  type RateLimit,
  type RequestMetadata,
  type StreamClientOptions,
  type StreamErrorKind,
  type StreamResponse,
  type TokenClaims,
  type UpdateUsersResponse,
  type UserRequest,
  type UserResponse,
  type UserTokenPayload,
} from "stream-edge";

const options: StreamClientOptions = { basePath: "http://127.0.0.1:8787", timeout: 5000 };
const client = new StreamClient("key", "secret", options);

function describeUser(user: UserResponse | FullUserResponse): string {
  const created: Date = user.created_at;
  const deactivated: Date | undefined = user.deactivated_at;
  const custom: Record<string, unknown> = user.custom;
  return `${user.id} ${user.role} ${created.toISOString()} ${deactivated?.getTime()} ${Object.keys(custom)}`;
}

function describeMetadata(metadata: RequestMetadata): string {
  const rateLimit: RateLimit = metadata.rateLimit;
  const reset: Date | undefined = rateLimit.rateLimitReset;
  const headers: Headers = metadata.responseHeaders;
  return `${metadata.responseCode} ${metadata.clientRequestId} ${reset} ${headers.get("x-ratelimit-limit")}`;
}

export async function useEveryMethod(): Promise<string[]> {
  const lines: string[] = [];
  const users: UserRequest[] = [
    { id: "alice", name: "Alice", role: "admin", teams: ["blue"], custom: { color: "red" } },
    { id: "bob", privacy_settings: { typing_indicators: { enabled: false } } },
  ];

  const upserted: StreamResponse<UpdateUsersResponse> = await client.upsertUsers(users);
  lines.push(describeUser(upserted.users.alice), describeMetadata(upserted.metadata));
  await client.upsertUsers({ users: { carol: { id: "carol" } } });

  const partial = await client.updateUsersPartial({
    users: [{ id: "alice", set: { name: "Alice B.", "custom.level": 3 }, unset: ["image"] }],
  });
  lines.push(partial.membership_deletion_task_id);

  const payload: QueryUsersPayload = {
    filter_conditions: { id: { $in: ["alice", "bob"] } },
    sort: [{ field: "created_at", direction: -1 }],
    limit: 10,
    offset: 0,
    include_deactivated_users: true,
  };
  const queried = await client.queryUsers({ payload });
  lines.push(...queried.users.map(describeUser));

  const deactivated = await client.deactivateUser({
    user_id: "alice",
    mark_messages_deleted: true,
    created_by_id: "bob",
  });
  if (deactivated.user) lines.push(describeUser(deactivated.user));
  const reactivated = await client.reactivateUser({
    user_id: "alice",
    restore_messages: true,
    name: "Alice",
  });
  lines.push(reactivated.duration);

  const bulk = await client.deactivateUsers({ user_ids: ["alice", "bob"], mark_channels_deleted: true });
  const done: GetTaskResponse = await client.waitForTask(bulk.task_id, {
    intervalMs: 100,
    timeoutMs: 10_000,
    signal: AbortSignal.timeout(20_000),
  });
  lines.push(done.status, done.created_at.toISOString(), JSON.stringify(done.result));
  const back = await client.reactivateUsers({ user_ids: ["alice", "bob"], restore_channels: true });
  const polled = await client.getTask({ id: back.task_id });
  lines.push(polled.error?.description ?? "", polled.updated_at.toISOString());

  const deletion: DeleteUsersRequest = {
    user_ids: ["bob"],
    user: "soft",
    messages: "pruning",
    conversations: "hard",
    calls: "soft",
    files: true,
    new_channel_owner_id: "alice",
    new_call_owner_id: "alice",
  };
  const deleted = await client.deleteUsers(deletion);
  await client.waitForTask(deleted.task_id);
  const restored = await client.restoreUsers({ user_ids: ["bob"] });
  lines.push(restored.duration, describeMetadata(restored.metadata));

  const progress: BulkProgressEvent[] = [];
  const bulkOptions: BulkCallOptions = {
    concurrency: 8,
    signal: AbortSignal.timeout(60_000),
    onProgress: (event) => {
      progress.push(event);
    },
  };
  const many = Array.from({ length: 250 }, (_, i) => ({ id: `user-${i}` }));
  const upsertedMany = await client.upsertUsers(many, bulkOptions);
  lines.push(...(upsertedMany.membership_deletion_task_ids ?? []));
  const removed = await client.deleteUsers(
    { user_ids: many.map((user) => user.id), user: "soft" },
    { onProgress: async (event) => void lines.push(`${event.done}/${event.total}`) },
  );
  const taskIds: string[] = removed.task_ids ?? [removed.task_id];
  await Promise.all(taskIds.map((id) => client.waitForTask(id)));
  lines.push(...progress.map((event) => `${event.operation} ${event.chunks_done}/${event.chunks_total}`));

  const guest: CreateGuestResponse = await client.createGuest({ user: { id: "guest-1" } });
  lines.push(guest.access_token, guest.user.role);
  const exported: ExportUserResponse = await client.exportUser({ user_id: "alice" });
  lines.push(String(exported.messages?.length), String(exported.reactions?.[0]?.created_at));

  return lines;
}

export function useTokens(body: string, signature: string): string[] {
  const userPayload: UserTokenPayload = { user_id: "alice", validity_in_seconds: 600, plan: "pro" };
  const callPayload: CallTokenPayload = {
    user_id: "alice",
    call_cids: ["default:standup"],
    role: "admin",
    iat: 1_700_000_000,
    exp: 1_700_003_600,
  };
  const tokens: string[] = [
    client.generateUserToken(userPayload),
    client.generateCallToken(callPayload),
    client.createToken("alice"),
    client.createToken("alice", 1_700_003_600, 1_700_000_000),
    client.createCallToken("alice", ["default:standup"]),
    client.createCallToken({ user_id: "alice", role: "host" }, ["default:standup"], 1_700_003_600),
  ];
  const claims: TokenClaims = client.verifyToken(tokens[0]);
  const valid: boolean = client.verifyWebhook(body, signature);
  const validBytes: boolean = client.verifyWebhook(new TextEncoder().encode(body), signature);
  const encoded = new TextEncoder().encode(body);
  const raw = new ArrayBuffer(encoded.byteLength);
  new Uint8Array(raw).set(encoded);
  const validBuffer: boolean = client.verifyWebhook(raw, signature);
  return [...tokens, String(claims.user_id), String(valid && validBytes && validBuffer)];
}

export function describeError(error: unknown): string {
  if (!(error instanceof StreamError)) return String(error);
  const kind: StreamErrorKind = error.kind;
  const metadata: Partial<RequestMetadata> = error.metadata;
  return [
    error.name,
    error.message,
    error.operation,
    kind,
    error.code,
    error.status,
    metadata.responseCode,
    error.unrecoverable,
    JSON.stringify(error.exception_fields),
    error.more_info,
    describePartial(error.partial),
  ].join(" ");
}

function describePartial(partial: BulkPartialResult | undefined): string {
  if (partial === undefined) return "";
  const users: Record<string, FullUserResponse> = partial.users ?? {};
  const retry: string[] = [...partial.failed_ids, ...partial.unsent_ids];
  return `${Object.keys(users).length} ${partial.done_ids.length} ${retry} ${partial.task_ids ?? []}`;
}

export async function misuse(): Promise<void> {
  // @ts-expect-error user_id must be a string
  await client.deactivateUser({ user_id: 42 });
  // @ts-expect-error filter_conditions is required in a payload
  await client.queryUsers({ payload: { limit: 5 } });
  // @ts-expect-error queryUsers needs a payload
  await client.queryUsers();
  // @ts-expect-error unknown delete mode
  await client.deleteUsers({ user_ids: ["a"], user: "obliterate" });
  // @ts-expect-error call_cids is required for call tokens
  client.generateCallToken({ user_id: "alice" });
  // @ts-expect-error timestamps are Dates, not strings
  const created: string = (await client.exportUser({ user_id: "a" })).user!.created_at;
  // @ts-expect-error StreamError kinds are a closed set
  const kind: StreamErrorKind = "oops";
  // @ts-expect-error concurrency is a number
  await client.restoreUsers({ user_ids: ["a"] }, { concurrency: "4" });
  // @ts-expect-error the progress event has no users
  await client.upsertUsers([{ id: "a" }], { onProgress: (event) => event.users });
  // @ts-expect-error the timeout option is a number of milliseconds
  new StreamClient("key", "secret", { timeout: "5s" });
  void created;
  void kind;
}
