//! Text functions (`lower`, `upper`, `trim`), `LIKE` patterns and tag-list elements: the string semantics the
//! rule language shares between the evaluator, `toSql` and the docs. They live in segmetry-kernels, whose text
//! loops run them at opt-level 3 (`LIKE` on every value of a plain text column); see `kernels/src/textfn.rs`.

pub use segmetry_kernels::textfn::*;
