// Types of the stream-edge package. Every entry point (node.mjs, node.cjs, workerd.mjs,
// web.mjs) exports the same two classes.

export { StreamClient } from "./types/client.js";
export type {
  BulkCallOptions,
  BulkProgressEvent,
  CallOptions,
  ProgressErrorEvent,
  RetryEvent,
  StreamClientOptions,
  StreamLogger,
} from "./types/client.js";
export { StreamError } from "./types/errors.js";
export type { BulkPartialResult, StreamErrorFields, StreamErrorKind } from "./types/errors.js";
export type { RateLimit, RequestMetadata, Response, StreamResponse } from "./types/metadata.js";
export type {
  ErrorResult,
  GetTaskRequest,
  GetTaskResponse,
  TaskStatus,
  WaitForTaskOptions,
} from "./types/tasks.js";
export type { CallTokenPayload, TokenClaims, UserTokenPayload } from "./types/tokens.js";
export type {
  ChannelMute,
  CreateGuestRequest,
  CreateGuestResponse,
  DeactivateUserRequest,
  DeactivateUserResponse,
  DeactivateUsersRequest,
  DeactivateUsersResponse,
  DeleteUsersRequest,
  DeleteUsersResponse,
  DeviceResponse,
  ExportUserResponse,
  FullUserResponse,
  MessageResponse,
  PrivacySettings,
  PushNotificationSettingsResponse,
  QueryUsersPayload,
  QueryUsersResponse,
  ReactionResponse,
  ReactivateUserRequest,
  ReactivateUserResponse,
  ReactivateUsersRequest,
  ReactivateUsersResponse,
  RestoreUsersRequest,
  SortParamRequest,
  TaskStartedResponse,
  UpdateUserPartialRequest,
  UpdateUsersPartialRequest,
  UpdateUsersRequest,
  UpdateUsersResponse,
  UserMuteResponse,
  UserRequest,
  UserResponse,
} from "./types/users.js";
