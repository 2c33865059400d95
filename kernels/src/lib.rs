//! The per-row loops of segmetry, in a crate of their own so the release profile compiles them at opt-level 3
//! while the library around them is compiled at "z" (docs/sizes.md, "Measured knobs").
//!
//! Profile overrides are per crate, and a generic function is compiled by the crate that instantiates it. So
//! every kernel the library calls is either non-generic or reached through a trait method implemented here for
//! each concrete type (marked `#[inline(never)]`), and the loop bodies are instantiated in this crate only.
//!
//! - [`words`]: per-row tests packed 64 rows to a word.
//! - [`ints`], [`floats`], [`text`], [`strings`]: segment predicates over numeric, float, plain and dictionary text
//!   columns.
//! - [`accumulate`]: variant codes per row and the segment × variant accumulation of counts and sums.
//! - [`metrics`]: the same accumulation for the named metrics.
//! - [`textfn`]: the rule language's string semantics (text functions, `LIKE`, tags), which the text loops call.

pub mod accumulate;
pub mod floats;
pub mod ints;
pub mod metrics;
pub mod strings;
pub mod text;
pub mod textfn;
pub mod words;

pub use floats::CmpOp;
