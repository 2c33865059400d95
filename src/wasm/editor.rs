//! The rule-editor API: `tokenize(rule)`, `Dataset.complete(rule, cursor)` and `Dataset.profile(column)`. No logic:
//! the core works in UTF-8 byte offsets, JS strings in UTF-16 code units, so spans and the cursor are converted
//! here and nowhere else.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::dataset::WasmDataset;
use super::interop::{to_js, to_js_error};
use crate::segments::complete::CompletionItem;
use crate::segments::tokens::{byte_offset, utf16_index};
use crate::segments::{self, TokenKind};

/// A token with UTF-16 positions (usable with `String.prototype.slice`).
#[derive(Serialize)]
struct JsToken {
    kind: TokenKind,
    start: usize,
    end: usize,
}

/// A completion with UTF-16 positions.
#[derive(Serialize)]
struct JsCompletion {
    start: usize,
    end: usize,
    items: Vec<CompletionItem>,
}

/// The tokens of a rule: `[{ kind, start, end }]`, positions in UTF-16 code units; never throws (text the lexer
/// rejects is a token of kind `error`).
#[wasm_bindgen]
pub fn tokenize(rule: &str) -> Result<JsValue, JsValue> {
    let tokens: Vec<JsToken> = segments::tokenize(rule)
        .into_iter()
        .map(|t| JsToken { kind: t.kind, start: utf16_index(rule, t.start), end: utf16_index(rule, t.end) })
        .collect();
    to_js(&tokens)
}

#[wasm_bindgen(js_class = Dataset)]
impl WasmDataset {
    /// Suggestions at `cursor` (a UTF-16 index): `{ start, end, items: [{ label, insert, kind, detail }] }`, where
    /// `start..end` (UTF-16) is the range the items replace.
    pub fn complete(&mut self, rule: &str, cursor: f64) -> Result<JsValue, JsValue> {
        if !(cursor >= 0.0 && cursor.fract() == 0.0) {
            return Err(to_js_error(crate::Error::invalid_argument(
                "cursor",
                format!("{cursor} is not a position in the rule; pass a whole number from 0 to rule.length"),
            )));
        }
        let byte = byte_offset(rule, cursor as usize);
        let c = segments::complete(rule, byte, &self.inner, &mut self.profiles);
        to_js(&JsCompletion { start: utf16_index(rule, c.start), end: utf16_index(rule, c.end), items: c.items })
    }

    /// The profile of a column: `{ name, kind, count, distinct, distinctExact, top: [{ value, count }], min, max }`.
    pub fn profile(&mut self, column: &str) -> Result<JsValue, JsValue> {
        let index = self.inner.column_index(column).map_err(to_js_error)?;
        to_js(self.profiles.get(&self.inner, index))
    }
}
