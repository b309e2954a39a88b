// Request and response shapes of the Users endpoints, after Stream API v236 (the OpenAPI
// schemas of the same names). Timestamps arrive as RFC 3339 strings or integer nanoseconds
// and are decoded to `Date`.

/** Whether typing indicators, read receipts and delivery receipts are shared. */
export interface PrivacySettings {
  typing_indicators?: { enabled: boolean };
  read_receipts?: { enabled: boolean };
  delivery_receipts?: { enabled: boolean };
}

/** A user to create or replace (`upsertUsers`, `createGuest`). */
export interface UserRequest {
  /** User ID: 1 to 255 letters, digits, `@`, `_` or `-`. */
  id: string;
  /** Display name. */
  name?: string;
  /** Profile image URL. */
  image?: string;
  /** Global role, for example `"user"` (the default) or `"admin"`. */
  role?: string;
  /** Teams the user belongs to. */
  teams?: string[];
  /** Role per team, keyed by team. */
  teams_role?: Record<string, string>;
  /** Preferred language, for example `"en"`. */
  language?: string;
  /** Hide the user's online status. */
  invisible?: boolean;
  privacy_settings?: PrivacySettings;
  /** Custom data. */
  custom?: Record<string, unknown>;
}

/** A device registered for push notifications. */
export interface DeviceResponse {
  id: string;
  user_id: string;
  push_provider: string;
  push_provider_name?: string;
  created_at: Date;
  disabled?: boolean;
  disabled_reason?: string;
  hardware_id?: string;
  voip?: boolean;
}

/** Push notification settings of a user. */
export interface PushNotificationSettingsResponse {
  disabled?: boolean;
  disabled_until?: Date;
}

/** A stored user. */
export interface UserResponse {
  id: string;
  name?: string;
  image?: string;
  role: string;
  teams: string[];
  teams_role?: Record<string, string>;
  language: string;
  /** Custom data, including unknown top-level fields sent on upsert. */
  custom: Record<string, unknown>;
  banned: boolean;
  ban_expires?: Date;
  shadow_banned: boolean;
  online: boolean;
  invisible: boolean;
  blocked_user_ids: string[];
  bypass_moderation?: boolean;
  avg_response_time?: number;
  devices?: DeviceResponse[];
  privacy_settings?: PrivacySettings;
  push_notifications?: PushNotificationSettingsResponse;
  created_at: Date;
  updated_at: Date;
  last_active?: Date;
  /** Set while the user is deactivated. */
  deactivated_at?: Date;
  /** Set once the user is soft-deleted or pruned. */
  deleted_at?: Date;
  /** User tokens issued before this time are rejected. */
  revoke_tokens_issued_before?: Date;
}

/** A mute of one user by another. */
export interface UserMuteResponse {
  created_at: Date;
  updated_at: Date;
  expires?: Date;
  user?: UserResponse;
  target?: UserResponse;
}

/** A channel muted by a user. */
export interface ChannelMute {
  created_at: Date;
  updated_at: Date;
  expires?: Date;
  user?: UserResponse;
  channel?: Record<string, unknown>;
}

/** A user with the chat state returned by upserts and queries. */
export interface FullUserResponse extends Omit<UserResponse, "devices" | "push_notifications"> {
  devices: DeviceResponse[];
  mutes: UserMuteResponse[];
  channel_mutes: ChannelMute[];
  latest_hidden_channels?: string[];
  total_unread_count: number;
  unread_channels: number;
  unread_count: number;
  unread_threads: number;
}

/** Body of `upsertUsers` and `updateUsersPartial` responses. */
export interface UpdateUsersResponse {
  /** The stored users, keyed by ID. */
  users: Record<string, FullUserResponse>;
  /**
   * ID of the task that removes channel memberships, or an empty string. After a call split
   * into several requests, the first non-empty one.
   */
  membership_deletion_task_id: string;
  /**
   * Only after a call of more than 100 users, which is split into several requests: the
   * non-empty `membership_deletion_task_id` of every request, in input order.
   */
  membership_deletion_task_ids?: string[];
  duration: string;
}

/** The legacy argument form of `upsertUsers`: users keyed by their ID. */
export interface UpdateUsersRequest {
  users: Record<string, UserRequest>;
}

/** Fields to set and unset on one user. */
export interface UpdateUserPartialRequest {
  /** ID of the user to update. */
  id: string;
  /** Fields to set; custom fields are set the same way. `id` cannot be set. */
  set?: Record<string, unknown>;
  /** Names of fields to remove; `id` cannot be removed. */
  unset?: string[];
}

/** Argument of `updateUsersPartial`. */
export interface UpdateUsersPartialRequest {
  /**
   * The updates. More than 100 are sent as several requests (see `BulkCallOptions`), and
   * then each ID may appear only once.
   */
  users: UpdateUserPartialRequest[];
}

/** One sort criterion of a user query. */
export interface SortParamRequest {
  /** Field to sort by, for example `"created_at"`. */
  field?: string;
  /** 1 for ascending (the default), -1 for descending. */
  direction?: 1 | -1;
  /** Field type: omitted for strings, or `"number"` or `"boolean"`. */
  type?: "number" | "boolean";
}

/** The `payload` of `queryUsers`, sent as JSON in the query string. */
export interface QueryUsersPayload {
  /** MongoDB-style filter, for example `{ id: { $in: ["alice", "bob"] } }`. */
  filter_conditions: Record<string, unknown>;
  /** At most 5 criteria. */
  sort?: SortParamRequest[];
  /** Page size, 0 to 100. */
  limit?: number;
  /** Users to skip, 0 to 1000. */
  offset?: number;
  /** Return deactivated users too. Default false. */
  include_deactivated_users?: boolean;
  presence?: boolean;
  user_id?: string;
  user?: UserRequest;
}

/** Body of `queryUsers` responses. */
export interface QueryUsersResponse {
  users: FullUserResponse[];
  duration: string;
}

/** Argument of `deactivateUser`. */
export interface DeactivateUserRequest {
  user_id: string;
  /** Make the user's messages appear deleted. */
  mark_messages_deleted?: boolean;
  /** ID of the user who performs the deactivation. */
  created_by_id?: string;
}

/** Body of `deactivateUser` responses. */
export interface DeactivateUserResponse {
  user?: UserResponse;
  duration: string;
}

/** Argument of `reactivateUser`. */
export interface ReactivateUserRequest {
  user_id: string;
  /** Restore the messages hidden by the deactivation. */
  restore_messages?: boolean;
  /** New display name for the user. */
  name?: string;
  /** ID of the user who performs the reactivation. */
  created_by_id?: string;
}

/** Body of `reactivateUser` responses. */
export interface ReactivateUserResponse {
  user?: UserResponse;
  duration: string;
}

/** Argument of `deactivateUsers`. */
export interface DeactivateUsersRequest {
  /**
   * User IDs. More than 100 are sent as several requests (see `BulkCallOptions`), and then
   * each ID may appear only once.
   */
  user_ids: string[];
  mark_messages_deleted?: boolean;
  mark_channels_deleted?: boolean;
  created_by_id?: string;
}

/** Argument of `reactivateUsers`. */
export interface ReactivateUsersRequest {
  /**
   * User IDs. More than 100 are sent as several requests (see `BulkCallOptions`), and then
   * each ID may appear only once.
   */
  user_ids: string[];
  restore_messages?: boolean;
  restore_channels?: boolean;
  created_by_id?: string;
}

/** Body of the responses of operations that run as a task (poll it with `waitForTask`). */
export interface TaskStartedResponse {
  /** The task's ID. After a call split into several requests, the first request's task. */
  task_id: string;
  /**
   * Only after a call of more than 100 IDs, which is split into several requests: the task
   * of every request, in input order. Each task must complete; wait for all of them.
   */
  task_ids?: string[];
  duration: string;
}

/** Body of `deactivateUsers` responses. */
export type DeactivateUsersResponse = TaskStartedResponse;
/** Body of `reactivateUsers` responses. */
export type ReactivateUsersResponse = TaskStartedResponse;
/** Body of `deleteUsers` responses. */
export type DeleteUsersResponse = TaskStartedResponse;

/** Argument of `deleteUsers`. Every mode left out means "do not delete". */
export interface DeleteUsersRequest {
  /**
   * User IDs. More than 100 are sent as several requests (see `BulkCallOptions`), and then
   * each ID may appear only once.
   */
  user_ids: string[];
  /** `soft` keeps the data, `pruning` also clears name, image and custom data, `hard` removes the user. */
  user?: "soft" | "pruning" | "hard";
  /** Delete mode for channels with exactly two members, one of them this user. */
  conversations?: "soft" | "hard";
  /** Delete mode for the user's messages. */
  messages?: "soft" | "pruning" | "hard";
  /** Delete mode for calls with exactly two members, one of them this user. */
  calls?: "soft" | "hard";
  /** Delete the files and images the user uploaded. */
  files?: boolean;
  /** New owner of the channels the user created. */
  new_channel_owner_id?: string;
  /** New owner of the calls the user created. */
  new_call_owner_id?: string;
}

/** Argument of `restoreUsers`. */
export interface RestoreUsersRequest {
  /**
   * IDs of soft-deleted or pruned users; hard-deleted users cannot come back. More than 100
   * are sent as several requests (see `BulkCallOptions`), and then each ID may appear only
   * once.
   */
  user_ids: string[];
}

/** Argument of `createGuest`. */
export interface CreateGuestRequest {
  user: UserRequest;
}

/** Body of `createGuest` responses. */
export interface CreateGuestResponse {
  /** A user token for the guest. */
  access_token: string;
  /** The guest, with role `guest`. */
  user: UserResponse;
  duration: string;
}

/** A reaction to a message, as exported by `exportUser`. */
export interface ReactionResponse {
  type: string;
  message_id: string;
  user_id: string;
  user: UserResponse;
  score: number;
  custom: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

/** A message, as exported by `exportUser`. Only the most used fields are typed. */
export interface MessageResponse {
  id: string;
  cid: string;
  type: string;
  text: string;
  html: string;
  user: UserResponse;
  custom: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  deleted_at?: Date;
  [field: string]: unknown;
}

/** Body of `exportUser` responses. */
export interface ExportUserResponse {
  user?: UserResponse;
  messages?: MessageResponse[];
  reactions?: ReactionResponse[];
  duration: string;
}
