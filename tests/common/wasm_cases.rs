//! Facade checks shared by the Node and the browser wasm test binaries: what crosses the boundary, errors as JS
//! `Error`s with stable codes, and an instance that keeps working after every error.

use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, DictionaryArray, Float64Array, Int64Array, RecordBatch};
use arrow_ipc::writer::StreamWriter;
use segmetry::wasm::dataset::load_dataset;
use wasm_bindgen::{JsCast, JsValue};

pub fn sample_ipc(rows: i64) -> Vec<u8> {
    let batch = RecordBatch::try_from_iter([
        ("customer_id", Arc::new(Int64Array::from_iter_values(0..rows)) as ArrayRef),
        (
            "country",
            Arc::new(DictionaryArray::<Int32Type>::from_iter(
                (0..rows).map(|i| ["FI", "SE", "NO"].get(i as usize % 4).copied()),
            )),
        ),
        ("total_spent", Arc::new(Float64Array::from_iter((0..rows).map(|i| (i % 5 != 0).then_some(i as f64 * 1.5))))),
    ])
    .unwrap();
    let mut out = Vec::new();
    let mut writer = StreamWriter::try_new(&mut out, &batch.schema()).unwrap();
    writer.write(&batch).unwrap();
    writer.finish().unwrap();
    drop(writer);
    out
}

fn code_of(err: &JsValue) -> String {
    assert!(err.is_instance_of::<js_sys::Error>(), "errors cross as JS Error objects");
    js_sys::Reflect::get(err, &"code".into()).unwrap().as_string().unwrap()
}

pub fn loads_and_reports_columns() {
    let ds = load_dataset(sample_ipc(1000)).unwrap();
    assert_eq!(ds.num_rows(), 1000.0);
    let columns = js_sys::Array::from(&ds.columns().unwrap());
    assert_eq!(columns.length(), 3);
    let country = columns.get(1);
    let get = |key: &str| js_sys::Reflect::get(&country, &key.into()).unwrap();
    assert_eq!(get("name").as_string().unwrap(), "country");
    assert_eq!(get("type").as_string().unwrap(), "dictionary<int32, utf8>");
    assert_eq!(get("kind").as_string().unwrap(), "text");
    assert_eq!(get("nullCount").as_f64().unwrap(), 250.0);
}

pub fn errors_have_codes_and_the_instance_survives() {
    let good = sample_ipc(10);
    let bad: Vec<Vec<u8>> = vec![vec![], b"a,b\n1,2\n".to_vec(), good[..good.len() - 20].to_vec()];
    for bytes in bad {
        let err = load_dataset(bytes).err().expect("bad input must fail");
        assert_eq!(code_of(&err), "INVALID_ARROW");
        assert_eq!(load_dataset(good.clone()).unwrap().num_rows(), 10.0);
    }
    let mut ds = load_dataset(good.clone()).unwrap();
    let err = ds.append(b"ARROW1\0\0junk".to_vec()).err().unwrap();
    assert_eq!(code_of(&err), "INVALID_ARROW");
    ds.append(good).unwrap();
    assert_eq!(ds.num_rows(), 20.0);
}

pub fn corrupted_inputs_never_trap() {
    // A panic would abort the wasm instance and fail every later test in this binary.
    let good = sample_ipc(50);
    let mut state = 0x9E3779B97F4A7C15u64;
    for _ in 0..500 {
        let mut damaged = good.clone();
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let at = (state % damaged.len() as u64) as usize;
        damaged[at] = (state >> 40) as u8;
        let _ = load_dataset(damaged);
    }
    assert_eq!(load_dataset(good).unwrap().num_rows(), 50.0);
}
