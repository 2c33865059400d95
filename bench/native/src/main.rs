//! Stage timings of the bench job on the native core. Same job as bench/job.mjs.
use std::time::Instant;

use segmetry::ingest::Dataset;
use segmetry::metrics::{analyze_summary, summarize, AnalysisOptions, SegmentSpec};
use segmetry::segments::{Rule, RuleOptions, SegmentCache};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).expect("usage: segmetry-bench-native FILE.arrows [reps]");
    let reps: usize = args.get(2).map(|s| s.parse().unwrap()).unwrap_or(5);
    let bytes = std::fs::read(path).unwrap();
    let rules = [
        ("nordic_repeat", "country IN ('FI', 'SE') AND orders_count >= 3"),
        ("mid_spend", "total_spent BETWEEN 100 AND 500"),
        ("lapsed", "last_order_days > 90"),
    ];
    let options = AnalysisOptions {
        segments: rules.iter().map(|(n, r)| (n.to_string(), SegmentSpec::Rule(r.to_string()))).collect(),
        control: Some("A".into()),
        reference_date: Some("2026-11-01".into()),
        ..Default::default()
    };
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;
    for rep in 0..reps {
        let t = Instant::now();
        let input = bytes.clone();
        let copy = ms(t);
        let t = Instant::now();
        let ds = Dataset::from_ipc(input).unwrap();
        let ingest = ms(t);
        // segment bitmaps alone (fresh cache each time)
        let ropts = RuleOptions::with_reference_date("2026-11-01").unwrap();
        let t = Instant::now();
        let mut sizes = Vec::new();
        for (_, r) in &rules {
            let rule = Rule::parse(r, ds.schema(), &ropts).unwrap();
            sizes.push(rule.evaluate(&ds).unwrap().count());
        }
        let bitmaps = ms(t);
        let mut cache = SegmentCache::default();
        let t = Instant::now();
        let summary = summarize(&ds, &mut cache, &options).unwrap();
        let summ = ms(t);
        let t = Instant::now();
        let report = analyze_summary(&summary, &options).unwrap();
        let stats = ms(t);
        println!(
            "rep {rep}: rows {} copy {copy:.2} ms, ingest {ingest:.2} ms, 3 bitmaps {bitmaps:.2} ms {sizes:?}, summarize \
             (bitmaps + accumulate) {summ:.2} ms, statistics {stats:.2} ms; segments {}",
            ds.num_rows(),
            report.segments.len()
        );
    }
}
