//! The wasm facade in headless Chromium (via chromedriver; see webdriver.json).
#![cfg(target_arch = "wasm32")]

#[path = "common/wasm_cases.rs"]
mod cases;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

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
