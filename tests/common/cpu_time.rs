//! Wall and thread CPU time for the ignored timing harnesses (`tests/*_perf.rs`): CPU time survives a machine
//! shared with other jobs, where wall time does not.

use std::time::Instant;

/// CPU seconds this thread has used (user + system, from /proc); `None` where /proc is not available.
pub fn thread_cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (clock ticks, 100 Hz).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Wall time and CPU time since (`start`, `cpu`) — a pair taken as `(Instant::now(), thread_cpu())` — as text.
pub fn since(start: Instant, cpu: Option<f64>) -> String {
    let wall = start.elapsed().as_secs_f64();
    match (cpu, thread_cpu()) {
        (Some(a), Some(b)) => format!("{wall:.3} s wall / {:.2} s CPU", b - a),
        _ => format!("{wall:.3} s wall"),
    }
}
