/** Argument of `generateUserToken`. Times are Unix seconds, never milliseconds. */
export interface UserTokenPayload {
  /** The user the token is for. */
  user_id: string;
  /** Lifetime counted from `iat`, in seconds. Default 3600; ignored when `exp` is given. */
  validity_in_seconds?: number;
  /** Expiry time in Unix seconds. Default `iat + validity_in_seconds`. */
  exp?: number;
  /** Issue time in Unix seconds. Default one second before now, to allow for clock skew. */
  iat?: number;
  /** Further claims, copied into the token unchanged. */
  [claim: string]: unknown;
}

/** Argument of `generateCallToken`: a user token limited to some calls. */
export interface CallTokenPayload extends UserTokenPayload {
  /** Calls the token grants access to, each `type:id`, for example `"default:standup"`. */
  call_cids: string[];
  /** Role the user has in those calls. */
  role?: string;
}

/** Claims of a token accepted by `verifyToken`. */
export interface TokenClaims {
  /** The user of a user or call token. */
  user_id?: string;
  /** `true` in server tokens. */
  server?: boolean;
  /** Expiry time in Unix seconds. */
  exp?: number;
  /** Issue time in Unix seconds. */
  iat?: number;
  call_cids?: string[];
  role?: string;
  [claim: string]: unknown;
}
