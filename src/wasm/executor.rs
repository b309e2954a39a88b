//! Runs the futures behind the client's promises, with panics turned into rejections.
//!
//! `wasm-bindgen-futures` polls futures from a microtask callback, so a panic there traps
//! outside any promise: the promise never settles and the exception reaches the runtime's
//! uncaught-exception handler (which ends a Node process). This executor instead polls each
//! future through [`catch_panic`], which turns a panic into an `internal` `StreamError` that
//! rejects the caller's promise.
//!
//! The poll must run inside a Rust frame that outlives the trap. A trap skips the epilogues
//! of the frames it unwinds, so the shadow stack pointer stays where the panicking code left
//! it until an enclosing Rust frame (here the one of `catch_panic`) restores it on return.
//! Without that frame each panic would leak shadow stack, and a few hundred panics would run
//! the instance out of stack ("memory access out of bounds", then an uncaught exception).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

use super::bindings::PlainPromise;
use super::errors::to_js_error;
use super::guard::{catch_panic, internal_error};
use crate::error::StreamError;

type TaskFuture = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

/// One spawned future and the functions that settle its promise.
struct Task {
    operation: &'static str,
    /// The future; `None` while it is being polled, and for good after a panic in a poll.
    future: RefCell<Option<TaskFuture>>,
    resolve: Function,
    reject: Function,
    /// Whether a poll is already queued.
    scheduled: Cell<bool>,
}

/// The two callbacks shared by all tasks. They live as long as the instance, so a queued
/// callback never calls a dropped closure.
struct Callbacks {
    poll: Closure<dyn FnMut(JsValue)>,
    fail: Closure<dyn FnMut(JsValue, JsValue)>,
}

thread_local! {
    static TASKS: RefCell<HashMap<u32, Rc<Task>>> = RefCell::new(HashMap::new());
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
    static CALLBACKS: Callbacks = Callbacks {
        poll: Closure::new(poll_task),
        fail: Closure::new(fail_task),
    };
}

/// Wakes a task by its ID, which is `Send` and `Sync` as [`Wake`] requires.
struct TaskWaker {
    id: u32,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        schedule(self.id);
    }
}

/// Runs `future` and returns a promise that settles with its result.
///
/// A panic while polling rejects the promise with a `StreamError` of kind `internal` that
/// names `operation`.
pub fn spawn(
    operation: &'static str,
    future: impl Future<Output = Result<JsValue, JsValue>> + 'static,
) -> Promise {
    let mut settle = None;
    let promise = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    let Some((resolve, reject)) = settle else {
        // ECMAScript runs a Promise executor synchronously, so `settle` is always set.
        let error = StreamError::Internal {
            operation,
            detail: String::from("the Promise executor did not run"),
        };
        return Promise::reject(&to_js_error(&error, None, None));
    };

    let id = NEXT_ID.with(|next| {
        let id = next.get();
        next.set(id.wrapping_add(1));
        id
    });
    let task = Task {
        operation,
        future: RefCell::new(Some(Box::pin(future))),
        resolve,
        reject,
        scheduled: Cell::new(false),
    };
    TASKS.with(|tasks| tasks.borrow_mut().insert(id, Rc::new(task)));
    schedule(id);
    promise
}

fn find(id: u32) -> Option<Rc<Task>> {
    TASKS.with(|tasks| {
        tasks
            .try_borrow()
            .ok()
            .and_then(|tasks| tasks.get(&id).cloned())
    })
}

fn remove(id: u32) -> Option<Rc<Task>> {
    TASKS.with(|tasks| {
        tasks
            .try_borrow_mut()
            .ok()
            .and_then(|mut tasks| tasks.remove(&id))
    })
}

/// Queues one poll of task `id`, unless one is queued already.
fn schedule(id: u32) {
    let Some(task) = find(id) else {
        return;
    };
    if task.scheduled.replace(true) {
        return;
    }
    let id = JsValue::from(id);
    CALLBACKS.with(|callbacks| {
        let poll: &Function = callbacks.poll.as_ref().unchecked_ref();
        let fail: &Function = callbacks.fail.as_ref().unchecked_ref();
        let on_throw: Function = fail.bind1(&JsValue::NULL, &id).unchecked_into();
        PlainPromise::resolve(&id).then(poll).catch(&on_throw);
    });
}

/// Polls task `id` once and settles its promise when the future is done.
fn poll_task(id: JsValue) {
    let Some(id) = id.as_f64().map(|id| id as u32) else {
        return;
    };
    let Some(task) = find(id) else {
        return;
    };
    task.scheduled.set(false);
    let Some(mut future) = task.future.borrow_mut().take() else {
        return;
    };

    let waker = Waker::from(Arc::new(TaskWaker { id }));
    let mut context = Context::from_waker(&waker);
    let polled = catch_panic(task.operation, || Ok(future.as_mut().poll(&mut context)));
    match polled {
        Err(error) => {
            // The poll panicked, so the future stopped half-way and may hold state that its
            // destructor does not expect. It is leaked instead of dropped.
            std::mem::forget(future);
            remove(id);
            let _ = task.reject.call1(&JsValue::UNDEFINED, &error);
        }
        Ok(Poll::Pending) => *task.future.borrow_mut() = Some(future),
        Ok(Poll::Ready(result)) => {
            remove(id);
            let (settle, value) = match result {
                Ok(value) => (&task.resolve, value),
                Err(error) => (&task.reject, error),
            };
            // Settling a promise runs no JavaScript synchronously, so this cannot throw.
            let _ = settle.call1(&JsValue::UNDEFINED, &value);
        }
    }
}

/// Rejects task `id` when `poll_task` threw outside the guarded poll, which means the Rust
/// code of the executor itself panicked.
fn fail_task(id: JsValue, thrown: JsValue) {
    let Some(task) = id.as_f64().and_then(|id| remove(id as u32)) else {
        return;
    };
    let error = internal_error(task.operation, Some(thrown));
    let _ = task.reject.call1(&JsValue::UNDEFINED, &error);
}
