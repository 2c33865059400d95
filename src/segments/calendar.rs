//! Calendar arithmetic on days since 1970-01-01 (proleptic Gregorian, UTC), without any date library:
//! parsing `YYYY-MM-DD`, formatting, and calendar-month shifts clamped to the month end (as DuckDB's
//! `date - INTERVAL n MONTH` does). The one calendar of the crate, and the one grammar of `referenceDate`
//! ([`parse_reference_date`]) for rules, analyses, built-in segments, CLV and prepare.

use arrow_schema::TimeUnit;

use crate::error::{Error, Result};

/// Nanoseconds in one day.
pub const NANOS_PER_DAY: i128 = 86_400 * 1_000_000_000;

/// Milliseconds in one day (Arrow's `date64` counts milliseconds).
pub const MILLIS_PER_DAY: i64 = 86_400_000;

/// Nanoseconds in one tick of a timestamp column of `unit`.
pub fn nanos_per_unit(unit: TimeUnit) -> i128 {
    match unit {
        TimeUnit::Second => 1_000_000_000,
        TimeUnit::Millisecond => 1_000_000,
        TimeUnit::Microsecond => 1_000,
        TimeUnit::Nanosecond => 1,
    }
}

/// A day number clamped into `i32` (the range dates are formatted in), so extreme values still print.
pub fn clamp_days(days: i128) -> i32 {
    i32::try_from(days).unwrap_or(if days < 0 { i32::MIN } else { i32::MAX })
}

/// Days since the epoch of a civil date, or `None` if it is not a real calendar date (or out of range).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> Option<i32> {
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    if !(-5_000_000..=5_000_000).contains(&year) {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    i32::try_from(era * 146_097 + doe - 719_468).ok()
}

/// The civil date `(year, month, day)` of a day number.
pub fn civil_from_days(days: i32) -> (i64, u32, u32) {
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Whether `year` is a leap year.
pub fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1–12) of `year`.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// `days` shifted by `months` calendar months, the day clamped to the target month's last day.
pub fn add_months(days: i32, months: i64) -> Option<i32> {
    let (y, m, d) = civil_from_days(days);
    let total = y.checked_mul(12)?.checked_add(i64::from(m) - 1)?.checked_add(months)?;
    let (ny, nm) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
    days_from_civil(ny, nm, d.min(days_in_month(ny, nm)))
}

/// Parse exactly `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<i32> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = text.get(r)?;
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    days_from_civil(i64::from(num(0..4)?), num(5..7)?, num(8..10)?)
}

/// The `referenceDate` option wherever it appears: `YYYY-MM-DD`, or a UTC instant
/// `YYYY-MM-DD[T| ]HH:MM[:SS[.fff…]]` with an optional `Z` or `+00:00` (other offsets are rejected: the core
/// keeps no time zones). Surrounding white space is ignored. Returns days since the epoch, fractional when a time
/// is given; `option` names the option in the `INVALID_ARGUMENT` error.
pub fn parse_reference_date(text: &str, option: &str) -> Result<f64> {
    reference_days(text.trim())
        .ok_or_else(|| Error::invalid_argument(option, crate::messages::nested("reference_date_invalid", &[text])))
}

fn reference_days(text: &str) -> Option<f64> {
    let (date, time) = match text.find(['T', ' ']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let days = f64::from(parse_date(date)?);
    match time {
        Some(time) => Some(days + utc_seconds(time)? / 86_400.0),
        None => Some(days),
    }
}

/// Seconds into the day of `HH:MM[:SS[.fff…]]` with an optional `Z` / `+00:00`.
fn utc_seconds(time: &str) -> Option<f64> {
    let time = time.strip_suffix('Z').or_else(|| time.strip_suffix("+00:00")).unwrap_or(time);
    let fields: Vec<&str> = time.split(':').collect();
    if !(2..=3).contains(&fields.len()) {
        return None;
    }
    let two_digits = |s: &str, below: u32| s.parse().ok().filter(|v| *v < below && s.len() == 2);
    let h: u32 = two_digits(fields[0], 24)?;
    let mi: u32 = two_digits(fields[1], 60)?;
    let s: f64 = match fields.get(2) {
        Some(s) if s.len() >= 2 && s.bytes().all(|b| b.is_ascii_digit() || b == b'.') => {
            s.parse().ok().filter(|s: &f64| *s < 60.0)?
        }
        Some(_) => return None,
        None => 0.0,
    };
    Some(f64::from(h) * 3600.0 + f64::from(mi) * 60.0 + s)
}

/// Fractional days since the epoch as `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM:SS[.ffffff]` when not a whole day
/// (rounded to the microsecond): how reference dates and cut-offs are echoed back.
pub fn format_days(days: f64) -> String {
    let whole = days.floor();
    let micros = ((days - whole) * 86_400_000_000.0).round() as i128;
    let date = format_date(whole as i32);
    if micros == 0 {
        return date;
    }
    if micros >= 86_400_000_000 {
        return format_days(whole + 1.0);
    }
    // format_timestamp trims trailing zeros; echoes keep microseconds whole, as DuckDB prints them.
    let (secs, frac) = (micros / 1_000_000, micros % 1_000_000);
    let time = format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    if frac == 0 {
        format!("{date} {time}")
    } else {
        format!("{date} {time}.{frac:06}")
    }
}

/// `YYYY-MM-DD`.
pub fn format_date(days: i32) -> String {
    let (y, m, d) = civil_from_days(days);
    if (0..=9999).contains(&y) {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y}-{m:02}-{d:02}")
    }
}

/// `YYYY-MM-DD HH:MM:SS[.fffffffff]` (fraction trimmed of trailing zeros; `min_frac` digits at least when
/// non-zero), for nanoseconds since the epoch; `sep` is `'T'` or `' '`.
pub fn format_timestamp(nanos: i128, sep: char) -> String {
    let days = nanos.div_euclid(NANOS_PER_DAY);
    let rem = nanos.rem_euclid(NANOS_PER_DAY);
    let date = format_date(clamp_days(days));
    let secs = rem / 1_000_000_000;
    let frac = rem % 1_000_000_000;
    let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = format!("{date}{sep}{h:02}:{mi:02}:{s:02}");
    if frac != 0 {
        let digits = format!("{frac:09}");
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
    out
}

/// Today's date in UTC from the system clock (native only: `SystemTime` panics on wasm32; the facade passes
/// the date from `js_sys::Date` instead).
#[cfg(not(target_arch = "wasm32"))]
pub fn today_utc() -> i32 {
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    i32::try_from(secs.div_euclid(86_400)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_month_ends() {
        for days in [-800_000, -1, 0, 1, 59, 20_000, 20_756, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), Some(days));
        }
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2026-02-29"), None);
        assert_eq!(parse_date("2024-02-29").map(format_date).as_deref(), Some("2024-02-29"));
        let aug31 = parse_date("2026-08-31").unwrap();
        assert_eq!(format_date(add_months(aug31, -6).unwrap()), "2026-02-28");
        let leap = parse_date("2028-02-29").unwrap();
        assert_eq!(format_date(add_months(leap, -12).unwrap()), "2027-02-28");
        assert_eq!(format_timestamp(1_500_000_000, 'T'), "1970-01-01T00:00:01.5");
        assert_eq!(format_timestamp(-1, ' '), "1969-12-31 23:59:59.999999999");
    }

    #[test]
    fn reference_dates_parse_and_echo() {
        assert_eq!(parse_reference_date("2024-02-29", "referenceDate").unwrap(), 19_782.0);
        assert_eq!(parse_reference_date(" 2024-02-29T12:00:00Z", "referenceDate").unwrap(), 19_782.5);
        assert_eq!(parse_reference_date("2024-02-29 06:00", "referenceDate").unwrap(), 19_782.25);
        for bad in ["2023-02-29", "2024-13-01", "24-01-01", "2024-01-01T25:00", "yesterday", "2024-01-01T10:00+02:00"] {
            let err = parse_reference_date(bad, "referenceDate").unwrap_err();
            assert_eq!(err.code, crate::error::ErrorCode::InvalidArgument, "{bad}");
            assert_eq!(err.subject.as_deref(), Some("referenceDate"));
        }
        assert_eq!(format_days(19_782.0), "2024-02-29");
        assert_eq!(format_days(19_782.5), "2024-02-29 12:00:00");
        assert_eq!(format_days(-1.0), "1969-12-31");
    }
}
