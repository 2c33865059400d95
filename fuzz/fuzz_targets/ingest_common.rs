//! What the IPC targets do with a payload: decode it; on success use every column (info, a null test and a
//! typed comparison per column, all rules in one pass), and append the payload to itself.
use segmetry::ingest::Dataset;
use segmetry::segments::{evaluate_many, Rule, RuleOptions};
use segmetry::ErrorCode;

fn typed_rule(name: &str, data_type: &arrow_schema::DataType) -> String {
    use arrow_schema::DataType::*;
    let c = format!("\"{}\"", name.replace('"', "\"\""));
    match data_type {
        Boolean => format!("{c} OR {c} = FALSE"),
        Utf8 | LargeUtf8 | Utf8View | Dictionary(..) => format!("{c} >= 'M' OR {c} CONTAINS 'a' OR {c} IN ('FI', '')"),
        Date32 | Date64 | Timestamp(..) => format!("{c} >= 2020-01-01 OR {c} < -30d OR {c} = 2026-08-03T12:00:00Z"),
        _ => format!("{c} > 0 OR {c} IN (1, 2.5) OR {c} BETWEEN -3 AND 3"),
    }
}

pub fn exercise(data: &[u8]) {
    let mut ds = match Dataset::from_ipc(data.to_vec()) {
        Ok(ds) => ds,
        Err(e) => {
            assert!(
                matches!(e.code, ErrorCode::InvalidArrow | ErrorCode::UnsupportedType | ErrorCode::OutOfMemory),
                "unexpected error code {:?}: {}",
                e.code,
                e.message
            );
            assert!(!e.message.is_empty());
            return;
        }
    };
    let rows = ds.num_rows();
    assert_eq!(rows, ds.batches().iter().map(|b| b.num_rows()).sum::<usize>());
    let columns = ds.columns();
    let _ = ds.memory_size();
    let options = RuleOptions::with_reference_date("2026-11-01").unwrap();
    let mut rules = Vec::new();
    for (i, info) in columns.iter().enumerate() {
        assert!(info.null_count <= rows);
        let data_type = ds.data_type(i).clone();
        for text in [format!("\"{}\" IS NULL", info.name.replace('"', "\"\"")), typed_rule(&info.name, &data_type)] {
            match Rule::parse(&text, ds.schema(), &options) {
                Ok(rule) => rules.push(rule),
                // Duplicate column names (case-insensitive ones resolve exactly) are legal in Arrow.
                Err(e) => assert!(matches!(e.code, ErrorCode::UnknownColumn | ErrorCode::TypeMismatch | ErrorCode::RuleSyntax), "{text}: {e:?}"),
            }
        }
    }
    let refs: Vec<&Rule> = rules.iter().collect();
    let bitmaps = evaluate_many(&refs, &ds).expect("evaluate a decoded dataset");
    for (rule, bits) in rules.iter().zip(&bitmaps) {
        assert_eq!(bits.len(), rows, "{}", rule.text());
    }
    // IS NULL counts equal the reported null counts.
    for (i, info) in columns.iter().enumerate() {
        if let Some(pos) = rules.iter().position(|r| r.text() == format!("\"{}\" IS NULL", info.name.replace('"', "\"\""))) {
            if ds.schema().fields().iter().filter(|f| f.name() == &info.name).count() == 1 {
                assert_eq!(bitmaps[pos].count(), info.null_count, "column {i} `{}`", info.name);
            }
        }
    }
    // The same bytes always append to the dataset they made.
    ds.append_ipc(data.to_vec()).expect("append a payload to the dataset it made");
    assert_eq!(ds.num_rows(), 2 * rows);
}
