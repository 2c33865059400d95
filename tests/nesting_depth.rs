//! Issue 14, defect 1: rules nested up to `MAX_NESTING` run through every recursive path; deeper ones are
//! refused. Run on a thread with the wasm stack's size (1 MiB) so that a path that recursed per level more than
//! the bound allows would overflow here too (the wasm side: `tests/wasm_node.rs`).

#[path = "common/nesting.rs"]
mod nesting;

/// The default stack of a wasm32 instance built by rustc (`-z stack-size`).
const WASM_STACK: usize = 1 << 20;

fn on_wasm_sized_stack(f: fn()) {
    std::thread::Builder::new().stack_size(WASM_STACK).spawn(f).unwrap().join().unwrap();
}

#[test]
fn deepest_rules_work_on_every_path() {
    on_wasm_sized_stack(|| {
        assert_eq!(nesting::deepest_rules_work_everywhere(), 4);
    });
}

#[test]
fn one_level_deeper_is_a_rule_syntax_error() {
    on_wasm_sized_stack(nesting::one_level_deeper_is_refused);
}
