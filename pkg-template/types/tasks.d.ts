/** Failure details of a task. */
export interface ErrorResult {
  type: string;
  description: string;
  stacktrace?: string;
  version?: string;
}

/** Task states: `pending` and `running` change, `completed` and `failed` are final. */
export type TaskStatus = "pending" | "running" | "completed" | "failed";

/** Argument of `getTask`. */
export interface GetTaskRequest {
  /** The `task_id` returned by `deactivateUsers`, `reactivateUsers` or `deleteUsers`. */
  id: string;
}

/** Body of `getTask` responses. */
export interface GetTaskResponse {
  task_id: string;
  /** One of {@link TaskStatus}; typed as string because Stream may add states. */
  status: TaskStatus | (string & {});
  /** Outcome of a completed task, for example per user. */
  result?: Record<string, unknown>;
  /** Set when `status` is `failed`. */
  error?: ErrorResult;
  created_at: Date;
  updated_at: Date;
  duration: string;
}

/** Options of `waitForTask`. */
export interface WaitForTaskOptions {
  /**
   * Milliseconds between two `getTask` calls. Default 500, at least 20: a shorter interval,
   * 0 included, is rejected with a `StreamError` of kind `invalid_argument`.
   */
  intervalMs?: number;
  /**
   * Milliseconds after which waiting stops with a `StreamError` of kind `task_timeout`.
   * Default 60000.
   */
  timeoutMs?: number;
  /** Stops waiting with a `StreamError` of kind `abort` when it fires. */
  signal?: AbortSignal;
}
