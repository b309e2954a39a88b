//! The state of one bulk call: which chunks are sent, in flight, done or failed, when the next
//! one may start, and the error that ends a call that stopped early.

use crate::decoded::Decoded;
use crate::error::{ErrorKind, StreamError};
use crate::rate_limit::RateLimit;

/// The next action of the caller of [`BulkRun::next_step`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step {
    /// Send chunk `index`, which is now counted as in flight.
    Launch(usize),
    /// Wait until a chunk in flight completes or, when given, until this time in Unix
    /// milliseconds, then ask again.
    Wait {
        /// The end of the rate-limit window, when the wait is for the rate limit.
        until_ms: Option<f64>,
    },
    /// Nothing is in flight and nothing more will start.
    Finish,
}

/// The progress of a bulk call, as passed to `onProgress`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Users or IDs in the chunks that succeeded.
    pub done: usize,
    /// Users or IDs in the whole call.
    pub total: usize,
    /// Chunks that succeeded.
    pub chunks_done: usize,
    /// Chunks in the whole call.
    pub chunks_total: usize,
}

/// The IDs of a call that stopped early, by what happened to their chunk.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChunkIds {
    /// IDs of the chunks that succeeded.
    pub done: Vec<String>,
    /// IDs of the chunks that failed or were interrupted by the signal. An interrupted
    /// request may still have reached the server.
    pub failed: Vec<String>,
    /// IDs of the chunks that were never sent.
    pub unsent: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum ChunkState {
    Unsent,
    InFlight,
    Done(Decoded),
    Failed,
}

/// The rate-limit window seen in the latest responses.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Window {
    /// Requests left in the window when the response was counted.
    remaining: f64,
    /// End of the window, in Unix milliseconds.
    reset_ms: f64,
}

/// The chunks of one bulk call and what has happened to each.
///
/// A chunk starts only while fewer than `concurrency` are in flight and the rate limit of
/// the latest responses leaves room. A response counts the requests that the server had
/// received by then, so the chunks in flight may be missing from its
/// `X-RateLimit-Remaining`. When `remaining` is not above the number in flight, the next
/// chunk waits until `X-RateLimit-Reset`. Responses without these headers do not delay anything, and a 429
/// that still happens is retried by the request itself.
#[derive(Debug, Clone)]
pub struct BulkRun {
    ids: Vec<Vec<String>>,
    states: Vec<ChunkState>,
    concurrency: usize,
    next: usize,
    in_flight: usize,
    stopped: bool,
    window: Option<Window>,
    /// The chunk whose response arrived last.
    last_arrived: Option<usize>,
}

impl BulkRun {
    /// Starts a call of chunks with the given IDs, at most `concurrency` (at least 1) in
    /// flight at once.
    pub fn new(ids: Vec<Vec<String>>, concurrency: usize) -> Self {
        let states = vec![ChunkState::Unsent; ids.len()];
        Self {
            ids,
            states,
            concurrency: concurrency.max(1),
            next: 0,
            in_flight: 0,
            stopped: false,
            window: None,
            last_arrived: None,
        }
    }

    /// Returns what to do next at `now_ms` (Unix milliseconds).
    pub fn next_step(&mut self, now_ms: f64) -> Step {
        if self.stopped || self.next == self.states.len() {
            return if self.in_flight > 0 {
                Step::Wait { until_ms: None }
            } else {
                Step::Finish
            };
        }
        if self.in_flight >= self.concurrency {
            return Step::Wait { until_ms: None };
        }
        if let Some(until_ms) = self.rate_limit_wait(now_ms) {
            return Step::Wait {
                until_ms: Some(until_ms),
            };
        }
        let index = self.next;
        self.next += 1;
        self.in_flight += 1;
        self.states[index] = ChunkState::InFlight;
        Step::Launch(index)
    }

    /// Returns the end of the rate-limit window when no request is left in it for another
    /// chunk.
    fn rate_limit_wait(&self, now_ms: f64) -> Option<f64> {
        let window = self.window?;
        if now_ms >= window.reset_ms {
            return None;
        }
        (window.remaining <= self.in_flight as f64).then_some(window.reset_ms)
    }

    /// Records the rate limit of a response. A response of an earlier window is ignored, and
    /// of two in the same window the lower `remaining` counts, because responses may arrive
    /// out of order.
    fn observe(&mut self, rate_limit: &RateLimit) {
        let (Some(remaining), Some(reset_ms)) =
            (rate_limit.remaining, rate_limit.reset_unix_millis())
        else {
            return;
        };
        if !remaining.is_finite() || !reset_ms.is_finite() {
            return;
        }
        let seen = Window {
            remaining,
            reset_ms,
        };
        self.window = match self.window {
            Some(known) if known.reset_ms > reset_ms => Some(known),
            Some(known) if known.reset_ms == reset_ms => Some(Window {
                remaining: known.remaining.min(remaining),
                reset_ms,
            }),
            _ => Some(seen),
        };
    }

    /// Records the response body of chunk `index` and returns the progress.
    pub fn succeed(&mut self, index: usize, body: Decoded, rate_limit: &RateLimit) -> Progress {
        self.settle(index, ChunkState::Done(body));
        self.observe(rate_limit);
        self.last_arrived = Some(index);
        self.progress()
    }

    /// Records that chunk `index` failed, or was interrupted, and starts no further chunk.
    pub fn fail(&mut self, index: usize) {
        self.settle(index, ChunkState::Failed);
        self.stopped = true;
    }

    /// Starts no further chunk, as after the caller's signal fired.
    pub fn stop(&mut self) {
        self.stopped = true;
    }

    fn settle(&mut self, index: usize, state: ChunkState) {
        if let Some(slot) = self.states.get_mut(index) {
            if *slot == ChunkState::InFlight {
                self.in_flight -= 1;
            }
            *slot = state;
        }
    }

    /// Returns the progress so far.
    pub fn progress(&self) -> Progress {
        let mut progress = Progress {
            done: 0,
            total: self.ids.iter().map(Vec::len).sum(),
            chunks_done: 0,
            chunks_total: self.states.len(),
        };
        for (state, ids) in self.states.iter().zip(&self.ids) {
            if matches!(state, ChunkState::Done(_)) {
                progress.done += ids.len();
                progress.chunks_done += 1;
            }
        }
        progress
    }

    /// Returns whether every chunk succeeded.
    pub fn all_done(&self) -> bool {
        self.states
            .iter()
            .all(|state| matches!(state, ChunkState::Done(_)))
    }

    /// Returns the bodies of the chunks that succeeded, in chunk order.
    pub fn bodies(&self) -> Vec<&Decoded> {
        self.states
            .iter()
            .filter_map(|state| match state {
                ChunkState::Done(body) => Some(body),
                _ => None,
            })
            .collect()
    }

    /// Returns the index of the chunk whose response arrived last.
    pub fn last_arrived_chunk(&self) -> Option<usize> {
        self.last_arrived
    }

    /// Returns the position in [`BulkRun::bodies`] of the body that arrived last.
    pub fn last_arrived_body(&self) -> Option<usize> {
        let last = self.last_arrived?;
        let earlier = &self.states[..last];
        Some(
            earlier
                .iter()
                .filter(|state| matches!(state, ChunkState::Done(_)))
                .count(),
        )
    }

    /// Sorts the IDs by what happened to their chunk.
    pub fn chunk_ids(&self) -> ChunkIds {
        let mut sorted = ChunkIds::default();
        for (state, ids) in self.states.iter().zip(&self.ids) {
            let list = match state {
                ChunkState::Done(_) => &mut sorted.done,
                ChunkState::Failed | ChunkState::InFlight => &mut sorted.failed,
                ChunkState::Unsent => &mut sorted.unsent,
            };
            list.extend(ids.iter().cloned());
        }
        sorted
    }

    /// Wraps the error that stopped the call in one that names the chunk that failed and
    /// counts what was done. `failed_chunk` is `None` when no chunk failed, as when the signal fired
    /// during a rate-limit wait.
    pub fn partial_failure(
        &self,
        operation: &'static str,
        failed_chunk: Option<usize>,
        source: StreamError,
    ) -> StreamError {
        let progress = self.progress();
        let outcome = match source.kind() {
            ErrorKind::Abort => "was aborted",
            ErrorKind::Timeout => "timed out",
            _ => "failed",
        };
        let which = match failed_chunk {
            Some(index) => {
                let ids = &self.ids[index];
                let first = ids.first().map_or("", String::as_str);
                let last = ids.last().map_or("", String::as_str);
                format!(
                    "request {} of {} (IDs {first:?} to {last:?}) {outcome}",
                    index + 1,
                    progress.chunks_total
                )
            }
            None => format!(
                "stopped before all {} requests were done",
                progress.chunks_total
            ),
        };
        let requests = if progress.chunks_done == 1 {
            "request"
        } else {
            "requests"
        };
        let summary = format!(
            "{which}; {} of {} user IDs were done in {} {requests}, and error.partial lists the \
             done, failed and unsent IDs",
            progress.done, progress.total, progress.chunks_done
        );
        StreamError::PartialFailure {
            operation,
            summary,
            source: Box::new(source),
        }
    }
}
