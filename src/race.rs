//! A two-way race of futures, used to bound requests and sleeps by timers and abort signals.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

/// The output of whichever future of [`race`] finished first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Either<A, B> {
    /// The first future finished first.
    First(A),
    /// The second future finished first.
    Second(B),
}

/// Polls both futures until one finishes, and drops the other.
///
/// `first` is polled first on every wake-up, so it wins when both are ready.
pub async fn race<A: Future, B: Future>(first: A, second: B) -> Either<A::Output, B::Output> {
    let mut first = pin!(first);
    let mut second = pin!(second);
    poll_fn(|context| {
        if let Poll::Ready(output) = first.as_mut().poll(context) {
            return Poll::Ready(Either::First(output));
        }
        if let Poll::Ready(output) = second.as_mut().poll(context) {
            return Poll::Ready(Either::Second(output));
        }
        Poll::Pending
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::{pending, ready};
    use std::task::{Context, Waker};

    /// Polls `future` once with a waker that does nothing.
    fn poll_once<F: Future>(future: F) -> Poll<F::Output> {
        let mut future = pin!(future);
        future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
    }

    #[test]
    fn first_ready_wins() {
        let output = poll_once(race(ready(1), pending::<&str>()));

        assert_eq!(output, Poll::Ready(Either::First(1)));
    }

    #[test]
    fn second_ready_wins() {
        let output = poll_once(race(pending::<i32>(), ready("timer")));

        assert_eq!(output, Poll::Ready(Either::Second("timer")));
    }

    #[test]
    fn first_wins_a_tie() {
        let output = poll_once(race(ready(1), ready(2)));

        assert_eq!(output, Poll::Ready(Either::First(1)));
    }

    #[test]
    fn both_pending_is_pending() {
        let output = poll_once(race(pending::<()>(), pending::<()>()));

        assert_eq!(output, Poll::Pending);
    }
}
