/** Rate-limit state read from the `X-RateLimit-*` headers of a response. */
export interface RateLimit {
  /** Requests allowed per window for this endpoint (`X-RateLimit-Limit`). */
  rateLimit?: number;
  /** Requests left in the current window (`X-RateLimit-Remaining`). */
  rateLimitRemaining?: number;
  /** Start of the next window (`X-RateLimit-Reset`, sent in Unix seconds). */
  rateLimitReset?: Date;
}

/** Transport details attached to every response and to every error from a request. */
export interface RequestMetadata {
  /** HTTP status code of the response. */
  responseCode: number;
  /** Rate-limit headers of the response, each `undefined` when the header was absent. */
  rateLimit: RateLimit;
  /**
   * Value sent in the `x-client-request-id` header: a fresh UUID per call, which every
   * retry of the call sends again.
   */
  clientRequestId: string;
  /** All response headers, as returned by `fetch`. */
  responseHeaders: Headers;
}

/** A decoded response body with the request's metadata added. */
export type StreamResponse<T> = T & {
  /** Status, rate limit, request id and headers of the response. */
  metadata: RequestMetadata;
};

/** Body of responses that carry nothing but the server's processing time. */
export interface Response {
  /** Time the server spent on the request, for example `"1.52ms"`. */
  duration: string;
}
