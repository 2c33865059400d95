//! Cooperative cancellation across threads: the worker client shares an `Int32Array` over a
//! `SharedArrayBuffer` with the worker, and this module installs it as the core's [`Interrupt`]
//! (`src/cancel.rs`). The UI thread writes cancel requests into it while the worker is busy inside a wasm call;
//! every checkpoint reads them with `Atomics.load` (a JS builtin: no caller code runs, nothing is re-entered)
//! and writes its progress back for the client to poll.
//!
//! Both wasm modules that run long loops export these functions: the core and the extras module (which links
//! this library without the `bindings` feature), each for the copy of the hook in its own instance. The slot
//! layout is mirrored in `js/interrupt.js`; change both together.

use std::rc::Rc;

use js_sys::{Array, Atomics, Int32Array};
use wasm_bindgen::prelude::*;

use super::interop::to_js_error;
use crate::cancel::{self, Interrupt, Phase};
use crate::error::Error;

/// Id of the call the worker is running (0: none); written by the worker.
const RUNNING: u32 = 0;
/// First slot of the ring of cancelled call ids; written by the client (`RING` slots, round robin).
const CANCELLED: u32 = 2;
const RING: u32 = 8;
/// Progress of the last checkpoint: phase code, done, total (both scaled to fit an i32), the call it belongs
/// to, then a counter bumped after each report.
const PHASE: u32 = 10;
const DONE: u32 = 11;
const TOTAL: u32 = 12;
const CALL: u32 = 13;
const SEQ: u32 = 14;
/// Slots the buffer must have.
const LEN: u32 = 16;

struct Shared(Int32Array);

impl Shared {
    // `catch` bindings: a failure (never expected on an Int32Array) is a value, not an exception unwinding
    // through wasm frames.
    fn load(&self, slot: u32) -> i32 {
        Atomics::load(&self.0, slot).unwrap_or(0)
    }

    fn store(&self, slot: u32, value: i32) {
        let _ = Atomics::store(&self.0, slot, value);
    }
}

impl Interrupt for Shared {
    fn cancelled(&self) -> bool {
        let running = self.load(RUNNING);
        running != 0 && (CANCELLED..CANCELLED + RING).any(|slot| self.load(slot) == running)
    }

    fn progress(&self, phase: Phase, done: u64, total: u64) {
        // Scaled together, so the fraction survives totals beyond i32.
        let scale = total / i32::MAX as u64 + 1;
        self.store(PHASE, phase as i32);
        self.store(DONE, (done.min(total) / scale) as i32);
        self.store(TOTAL, (total / scale) as i32);
        self.store(CALL, self.load(RUNNING));
        let _ = Atomics::add(&self.0, SEQ, 1);
    }
}

/// Install `buffer` (an `Int32Array` of at least 16 slots, normally over a `SharedArrayBuffer`) as this
/// instance's cancellation flag and progress sink; `undefined` removes it. Internal to the worker client.
#[wasm_bindgen(js_name = setInterruptBuffer)]
pub fn set_interrupt_buffer(buffer: JsValue) -> Result<(), JsValue> {
    if buffer.is_undefined() || buffer.is_null() {
        cancel::install(None);
        return Ok(());
    }
    let array: Int32Array = buffer
        .dyn_into()
        .map_err(|_| to_js_error(Error::invalid_argument("buffer", "the interrupt buffer must be an Int32Array")))?;
    if array.length() < LEN {
        return Err(to_js_error(Error::invalid_argument(
            "buffer",
            format!("the interrupt buffer needs {LEN} slots, got {}", array.length()),
        )));
    }
    cancel::install(Some(Rc::new(Shared(array))));
    Ok(())
}

/// The progress phase names, indexed by the code in the buffer's phase slot minus one.
#[wasm_bindgen(js_name = interruptPhases)]
pub fn interrupt_phases() -> Array {
    Phase::ALL.iter().map(|p| JsValue::from_str(p.as_str())).collect()
}
