// Live progress of a background task (deactivate many, reactivate many, delete).
//
// `client.waitForTask` decides when the task is over. Alongside it, the page reads the
// task's state with `client.getTask` every WATCH_INTERVAL_MS, so the indicator shows each
// state the task passes through (pending, running, completed or failed) while it is polled.

const WATCH_INTERVAL_MS = 200;
const WAIT_INTERVAL_MS = 250;
const WAIT_TIMEOUT_MS = 60_000;

/** Position of each task state on the progress bar, whose maximum is 3. */
const PROGRESS_STEPS = { pending: 1, running: 2, completed: 3, failed: 3 };

/** Drives the task panel: a progress bar, a status line and a "Stop waiting" button. */
export class TaskProgress {
  constructor({ panel, progress, status, cancel }) {
    this.panel = panel;
    this.progress = progress;
    this.status = status;
    this.cancel = cancel;
    this.controller = undefined;
    cancel.addEventListener("click", () => this.controller?.abort());
  }

  /**
   * Waits until the task finishes and resolves with its final state. Rejects with the
   * StreamError of `waitForTask` when the task fails, the wait times out or the user stops
   * waiting. A newer task replaces one still being followed, which then rejects as aborted.
   */
  async follow(client, taskId, label) {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;

    const seen = [];
    const startedAt = performance.now();
    const record = (status) => {
      if (seen.at(-1) !== status) seen.push(status);
      const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
      this.progress.value = PROGRESS_STEPS[status] ?? 0;
      this.status.textContent = `${label} · task ${taskId}: ${seen.join(" → ")} (${seconds} s)`;
    };

    this.panel.dataset.taskState = "polling";
    this.progress.value = 0;
    this.status.textContent = `${label} · task ${taskId}: waiting for the first poll`;
    this.cancel.disabled = false;

    let finished = false;
    const watcher = this.#watch(client, taskId, controller.signal, () => finished, record);

    try {
      const task = await client.waitForTask(taskId, {
        intervalMs: WAIT_INTERVAL_MS,
        timeoutMs: WAIT_TIMEOUT_MS,
        signal: controller.signal,
      });
      finished = true;
      record(task.status);
      this.panel.dataset.taskState = task.status;
      return task;
    } catch (error) {
      finished = true;
      const outcome = error?.kind === "abort" ? "stopped waiting" : "failed";
      this.status.textContent = `${this.status.textContent} · ${outcome}: ${error?.message}`;
      this.panel.dataset.taskState = error?.kind === "abort" ? "stopped" : "failed";
      throw error;
    } finally {
      await watcher;
      if (this.controller === controller) {
        this.controller = undefined;
        this.cancel.disabled = true;
      }
    }
  }

  /** Reads the task state until `isFinished()` or the signal fires, reporting each state. */
  async #watch(client, taskId, signal, isFinished, record) {
    while (!isFinished() && !signal.aborted) {
      try {
        const task = await client.getTask({ id: taskId });
        if (!isFinished()) record(task.status);
      } catch {
        // A failed read only delays the indicator; waitForTask reports the errors that
        // decide the outcome.
      }
      await sleep(WATCH_INTERVAL_MS);
    }
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
