//! Native single-thread timing of CSV → Arrow IPC (not part of the package): the numbers behind the CSV rows of
//! docs/benchmark.md. Files come from `python3 scripts/gen_shop_exports.py`.
//!   cargo run --release -p segmetry-formats --example csv_speed -- FILE.csv [reps]
//! Times are this thread's CPU time (Linux schedstat), not wall time: the shared build machines run many jobs at
//! once, and waiting for a core is not the reader's cost.

/// Nanoseconds this thread has run on a CPU.
fn cpu_ns() -> u64 {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").expect("Linux schedstat");
    stat.split_whitespace().next().and_then(|t| t.parse().ok()).expect("schedstat starts with run time")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: csv_speed FILE.csv [reps]");
    let reps: usize = args.next().map_or(5, |r| r.parse().expect("reps is a number"));
    let bytes = std::fs::read(&path).expect("readable file");
    let options = segmetry_formats::CsvOptions::default();
    let mut times = Vec::with_capacity(reps);
    let mut out = 0;
    for _ in 0..reps {
        let t = cpu_ns();
        let conversion = segmetry_formats::csv_to_ipc(&bytes, &options, None).expect("the file converts");
        times.push((cpu_ns() - t) as f64 / 1e9);
        out = conversion.ipc.len();
    }
    times.sort_by(f64::total_cmp);
    let mb = bytes.len() as f64 / 1e6;
    let (min, median) = (times[0], times[times.len() / 2]);
    println!(
        "{path}: {mb:.1} MB → {:.1} MB IPC; CPU min {:.0} ms ({:.1} MB/s), median {:.0} ms ({:.1} MB/s)",
        out as f64 / 1e6,
        min * 1e3,
        mb / min,
        median * 1e3,
        mb / median
    );
}
