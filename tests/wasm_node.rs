//! The wasm facade under Node (wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]

#[path = "common/wasm_cases.rs"]
mod cases;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn loads_and_reports_columns() {
    cases::loads_and_reports_columns();
}

#[wasm_bindgen_test]
fn errors_have_codes_and_the_instance_survives() {
    cases::errors_have_codes_and_the_instance_survives();
}

#[wasm_bindgen_test]
fn corrupted_inputs_never_trap() {
    cases::corrupted_inputs_never_trap();
}

// Issue 14, defect 1: the nesting bound keeps every recursive path inside the 1 MiB wasm stack.
#[path = "common/nesting.rs"]
mod nesting;

#[wasm_bindgen_test]
fn deepest_rules_work_on_every_path() {
    nesting::deepest_rules_work_everywhere();
}

#[wasm_bindgen_test]
fn one_level_deeper_is_a_rule_syntax_error() {
    nesting::one_level_deeper_is_refused();
}
