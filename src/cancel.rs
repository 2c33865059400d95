//! Cooperative cancellation and progress for long operations.
//!
//! Long loops (rule evaluation per record batch, the metrics pass per chunk of rows, IPC decoding per message,
//! the prepare verbs per batch, k-means and model fitting per iteration) call [`checkpoint`] at their
//! boundaries. Without an installed [`Interrupt`] a checkpoint does nothing, so native callers are unchanged;
//! with one, it reports progress and returns an [`ErrorCode::Cancelled`] error when the embedder asks to stop.
//! Every checkpoint sits where stopping leaves no half-done state behind: caches, appends and datasets change
//! only after the loop has finished.
//!
//! The hook is installed per thread ([`install`], or [`with_interrupt`] for one closure) instead of being passed
//! to each operation: it reaches every long loop without changing the signature of each public function that
//! leads to one. On wasm32 (one thread) the JS facade installs a hook that reads a flag in a
//! `SharedArrayBuffer` (`src/wasm/interrupt.rs`); a native server can install one that reads an `AtomicBool`
//! another thread sets.

use std::cell::RefCell;
use std::rc::Rc;

use crate::error::{Error, ErrorCode, Result};

/// What a long operation is doing at a checkpoint. The discriminants are stable: the wasm facade reports
/// them as numbers, and the JS client names them with [`Phase::ALL`] in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Segment rules evaluated over the rows (done/total: rows).
    Segments = 1,
    /// The metrics pass of `analyze` (rows).
    Metrics = 2,
    /// Decoding Arrow IPC input (bytes).
    Decode = 3,
    /// A prepare verb: aggregate, join, customer features (rows).
    Prepare = 4,
    /// k-means clustering (candidate k values × iterations).
    Clusters = 5,
    /// Fitting a model (optimizer iterations; the total is the iteration limit).
    Fit = 6,
}

impl Phase {
    /// Every phase, in discriminant order.
    pub const ALL: [Phase; 6] =
        [Phase::Segments, Phase::Metrics, Phase::Decode, Phase::Prepare, Phase::Clusters, Phase::Fit];

    /// The name the JS API reports as `progress.phase`.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Segments => "segments",
            Phase::Metrics => "metrics",
            Phase::Decode => "decode",
            Phase::Prepare => "prepare",
            Phase::Clusters => "clusters",
            Phase::Fit => "fit",
        }
    }
}

/// An embedder's hook, consulted at every checkpoint of a long operation.
pub trait Interrupt {
    /// Whether the running operation should stop now. Must be cheap and must not re-enter the core.
    fn cancelled(&self) -> bool;

    /// Progress at this checkpoint: `done` of `total` units of `phase`. Default: ignored.
    fn progress(&self, _phase: Phase, _done: u64, _total: u64) {}
}

thread_local! {
    static HOOK: RefCell<Option<Rc<dyn Interrupt>>> = const { RefCell::new(None) };
}

/// Install `hook` for every later operation on this thread (replacing any previous one); `None` removes it.
/// Returns the hook it replaced.
pub fn install(hook: Option<Rc<dyn Interrupt>>) -> Option<Rc<dyn Interrupt>> {
    HOOK.with(|h| std::mem::replace(&mut *h.borrow_mut(), hook))
}

/// Run `f` with `hook` installed, then put the previous hook back (also when `f` returns an error).
pub fn with_interrupt<T>(hook: Rc<dyn Interrupt>, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Option<Rc<dyn Interrupt>>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(previous) = self.0.take() {
                install(previous);
            }
        }
    }
    let _restore = Restore(Some(install(Some(hook))));
    f()
}

/// A checkpoint: report progress to the installed hook and stop with [`ErrorCode::Cancelled`] if it says so.
/// Does nothing without a hook. The hook is cloned out of the thread-local first, so it runs with nothing
/// borrowed (a hook that installs another one cannot trip a `RefCell` borrow).
pub fn checkpoint(phase: Phase, done: u64, total: u64) -> Result<()> {
    let Some(hook) = HOOK.with(|h| h.borrow().clone()) else { return Ok(()) };
    hook.progress(phase, done, total);
    if hook.cancelled() {
        return Err(cancelled_error(phase));
    }
    Ok(())
}

/// Rows between two checkpoints of a per-row loop ([`row_checkpoint`]): often enough to stop within
/// milliseconds, rare enough to cost nothing.
pub const ROWS_PER_CHECKPOINT: usize = 1 << 16;

/// A [`checkpoint`] at every [`ROWS_PER_CHECKPOINT`]-th row of a per-row loop (row 0 included); nothing between.
pub fn row_checkpoint(phase: Phase, row: usize, rows: usize) -> Result<()> {
    if row.is_multiple_of(ROWS_PER_CHECKPOINT) {
        checkpoint(phase, row as u64, rows as u64)?;
    }
    Ok(())
}

/// The error a cancelled operation returns.
pub fn cancelled_error(phase: Phase) -> Error {
    Error::new(
        ErrorCode::Cancelled,
        format!(
            "the operation was cancelled (during {}); the dataset is unchanged and can be used again",
            phase.as_str()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    struct After {
        calls: Cell<u64>,
        stop_at: u64,
        last: Cell<Option<(Phase, u64, u64)>>,
    }

    impl Interrupt for After {
        fn cancelled(&self) -> bool {
            self.calls.set(self.calls.get() + 1);
            self.calls.get() >= self.stop_at
        }
        fn progress(&self, phase: Phase, done: u64, total: u64) {
            self.last.set(Some((phase, done, total)));
        }
    }

    #[test]
    fn no_hook_means_no_op() {
        assert!(checkpoint(Phase::Metrics, 1, 2).is_ok());
    }

    #[test]
    fn a_hook_reports_progress_and_stops_then_is_removed() {
        let hook = Rc::new(After { calls: Cell::new(0), stop_at: 3, last: Cell::new(None) });
        let outcome: Result<()> = with_interrupt(hook.clone(), || {
            for i in 0..10 {
                checkpoint(Phase::Segments, i, 10)?;
            }
            Ok(())
        });
        let err = outcome.unwrap_err();
        assert_eq!(err.code, ErrorCode::Cancelled);
        assert!(err.message.contains("during segments"), "{}", err.message);
        assert_eq!(hook.last.get(), Some((Phase::Segments, 2, 10)));
        assert!(checkpoint(Phase::Segments, 0, 1).is_ok(), "the hook must be gone after with_interrupt");
    }

    #[test]
    fn phases_are_listed_in_discriminant_order() {
        for (i, p) in Phase::ALL.iter().enumerate() {
            assert_eq!(*p as usize, i + 1);
        }
    }
}
