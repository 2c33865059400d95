//! Wall-clock time → UTC for the IANA zones CSV imports meet, from a compact rule table.
//!
//! A full tz database (chrono-tz) costs hundreds of KB of wasm for zones a shop export rarely uses; this
//! table costs a few KB. It holds the zones whose offsets follow one rule for all years it accepts: the
//! European Union's (since 1996: summer time from the last Sunday of March to the last Sunday of October,
//! 01:00 UTC), the United States' and Canada's (since 2007: second Sunday of March to the first Sunday of
//! November, 02:00 local), and zones without daylight saving. Wall times before a rule's first year are an
//! error rather than a guess. Checked against Python's zoneinfo (scripts/gen_format_fixtures.py).

use crate::csv::values::days_from_civil;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Fixed,
    Eu,
    Us,
}

/// A time zone: a standard offset and the daylight-saving rule it follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    pub name: String,
    /// Standard offset east of UTC, seconds.
    std: i32,
    rule: Rule,
}

const EU_SINCE: i64 = 1996;
const US_SINCE: i64 = 2007;

const ZONES: &[(&str, i32, Rule)] = &[
    ("UTC", 0, Rule::Fixed),
    ("Etc/UTC", 0, Rule::Fixed),
    ("GMT", 0, Rule::Fixed),
    ("Etc/GMT", 0, Rule::Fixed),
    ("Atlantic/Reykjavik", 0, Rule::Fixed),
    ("Europe/London", 0, Rule::Eu),
    ("Europe/Dublin", 0, Rule::Eu),
    ("Europe/Lisbon", 0, Rule::Eu),
    ("Atlantic/Canary", 0, Rule::Eu),
    ("Atlantic/Faroe", 0, Rule::Eu),
    ("Atlantic/Madeira", 0, Rule::Eu),
    ("Europe/Amsterdam", 3600, Rule::Eu),
    ("Europe/Andorra", 3600, Rule::Eu),
    ("Europe/Belgrade", 3600, Rule::Eu),
    ("Europe/Berlin", 3600, Rule::Eu),
    ("Europe/Bratislava", 3600, Rule::Eu),
    ("Europe/Brussels", 3600, Rule::Eu),
    ("Europe/Budapest", 3600, Rule::Eu),
    ("Europe/Copenhagen", 3600, Rule::Eu),
    ("Europe/Gibraltar", 3600, Rule::Eu),
    ("Europe/Ljubljana", 3600, Rule::Eu),
    ("Europe/Luxembourg", 3600, Rule::Eu),
    ("Europe/Madrid", 3600, Rule::Eu),
    ("Europe/Malta", 3600, Rule::Eu),
    ("Europe/Monaco", 3600, Rule::Eu),
    ("Europe/Oslo", 3600, Rule::Eu),
    ("Europe/Paris", 3600, Rule::Eu),
    ("Europe/Prague", 3600, Rule::Eu),
    ("Europe/Rome", 3600, Rule::Eu),
    ("Europe/Sarajevo", 3600, Rule::Eu),
    ("Europe/Skopje", 3600, Rule::Eu),
    ("Europe/Stockholm", 3600, Rule::Eu),
    ("Europe/Tirane", 3600, Rule::Eu),
    ("Europe/Vienna", 3600, Rule::Eu),
    ("Europe/Warsaw", 3600, Rule::Eu),
    ("Europe/Zagreb", 3600, Rule::Eu),
    ("Europe/Zurich", 3600, Rule::Eu),
    ("Arctic/Longyearbyen", 3600, Rule::Eu),
    ("Europe/Athens", 7200, Rule::Eu),
    ("Europe/Bucharest", 7200, Rule::Eu),
    ("Europe/Helsinki", 7200, Rule::Eu),
    ("Europe/Mariehamn", 7200, Rule::Eu),
    ("Europe/Riga", 7200, Rule::Eu),
    ("Europe/Sofia", 7200, Rule::Eu),
    ("Europe/Tallinn", 7200, Rule::Eu),
    ("Europe/Vilnius", 7200, Rule::Eu),
    ("Asia/Nicosia", 7200, Rule::Eu),
    ("America/New_York", -5 * 3600, Rule::Us),
    ("America/Toronto", -5 * 3600, Rule::Us),
    ("America/Chicago", -6 * 3600, Rule::Us),
    ("America/Denver", -7 * 3600, Rule::Us),
    ("America/Los_Angeles", -8 * 3600, Rule::Us),
    ("America/Vancouver", -8 * 3600, Rule::Us),
    ("America/Anchorage", -9 * 3600, Rule::Us),
    ("America/Phoenix", -7 * 3600, Rule::Fixed),
    ("Pacific/Honolulu", -10 * 3600, Rule::Fixed),
    ("Asia/Tokyo", 9 * 3600, Rule::Fixed),
    ("Asia/Shanghai", 8 * 3600, Rule::Fixed),
    ("Asia/Singapore", 8 * 3600, Rule::Fixed),
    ("Asia/Kolkata", 5 * 3600 + 1800, Rule::Fixed),
    ("Asia/Dubai", 4 * 3600, Rule::Fixed),
];

/// The zone names this table knows (for error messages and docs).
pub fn known_zones() -> impl Iterator<Item = &'static str> {
    ZONES.iter().map(|z| z.0)
}

/// The zone called `name`: an IANA name from the table or a fixed offset (`+03:00`, `-05:00`).
pub fn zone(name: &str) -> Option<Zone> {
    if let Some(&(n, std, rule)) = ZONES.iter().find(|z| z.0 == name) {
        return Some(Zone { name: n.to_string(), std, rule });
    }
    let b = name.as_bytes();
    if b.len() == 6 && (b[0] == b'+' || b[0] == b'-') && b[3] == b':' {
        let num = |s: &[u8]| -> Option<i32> {
            s.iter().all(u8::is_ascii_digit).then(|| s.iter().fold(0, |a, &c| a * 10 + i32::from(c - b'0')))
        };
        let (h, m) = (num(&b[1..3])?, num(&b[4..6])?);
        if h <= 18 && m < 60 {
            let sign = if b[0] == b'-' { -1 } else { 1 };
            return Some(Zone { name: name.to_string(), std: sign * (h * 3600 + m * 60), rule: Rule::Fixed });
        }
    }
    None
}

/// Weekday of a day number, 0 = Sunday (1970-01-01 was a Thursday).
fn weekday(day: i64) -> i64 {
    (day + 4).rem_euclid(7)
}

/// The civil year of a day number.
fn year_of(day: i64) -> i64 {
    // Days from 0000-03-01, then Hinnant's era arithmetic.
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i64::from(month <= 2)
}

fn day(y: i64, m: u32, d: u32) -> i64 {
    i64::from(days_from_civil(y, m, d).unwrap_or(0))
}

impl Zone {
    /// Summer time of year `y` as `[start, end)` in UTC seconds.
    fn dst_window(&self, y: i64) -> Option<(i64, i64)> {
        match self.rule {
            Rule::Fixed => None,
            Rule::Eu => {
                let last_sunday = |m: u32| {
                    let d = day(y, m, 31);
                    d - weekday(d)
                };
                Some((last_sunday(3) * 86_400 + 3600, last_sunday(10) * 86_400 + 3600))
            }
            Rule::Us => {
                let first_sunday = |m: u32| {
                    let d = day(y, m, 1);
                    d + (7 - weekday(d)) % 7
                };
                let std = i64::from(self.std);
                Some(((first_sunday(3) + 7) * 86_400 + 7200 - std, first_sunday(11) * 86_400 + 3600 - std))
            }
        }
    }

    /// UTC seconds of a wall-clock time in this zone. Like Python's zoneinfo with `fold=0`: in the hour that
    /// repeats when summer time ends, the first (summer) reading; in the hour skipped when it starts, the
    /// offset before the change. `Err` for years before the zone's rule is known.
    pub fn to_utc(&self, wall: i64) -> Result<i64, String> {
        let std = i64::from(self.std);
        let y = year_of(wall.div_euclid(86_400));
        let since = match self.rule {
            Rule::Fixed => return Ok(wall - std),
            Rule::Eu => EU_SINCE,
            Rule::Us => US_SINCE,
        };
        if y < since {
            return Err(crate::messages::nested("why_zone_rules", &[&self.name, &since.to_string()]));
        }
        let Some((start, end)) = self.dst_window(y) else {
            return Ok(wall - std);
        };
        let summer = wall >= start + std + 3600 && wall < end + std + 3600;
        Ok(wall - std - if summer { 3600 } else { 0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helsinki_transitions() {
        let z = zone("Europe/Helsinki").unwrap();
        let at = |y, m, d, h: i64| day(y, m, d) * 86_400 + h * 3600;
        // 2025-03-30: clocks go 03:00 → 04:00 (01:00 UTC).
        assert_eq!(z.to_utc(at(2025, 3, 30, 2)).unwrap(), at(2025, 3, 30, 0));
        assert_eq!(z.to_utc(at(2025, 3, 30, 4)).unwrap(), at(2025, 3, 30, 1));
        // 2025-10-26: 04:00 → 03:00; 03:30 happens twice, the first is summer time (00:30 UTC).
        assert_eq!(z.to_utc(at(2025, 10, 26, 3) + 1800).unwrap(), at(2025, 10, 26, 0) + 1800);
        assert_eq!(z.to_utc(at(2025, 10, 26, 4)).unwrap(), at(2025, 10, 26, 2));
        assert!(z.to_utc(at(1990, 6, 1, 12)).is_err());
        assert_eq!(year_of(day(2024, 12, 31)), 2024);
        assert_eq!(year_of(day(2025, 1, 1)), 2025);
        assert_eq!(zone("+03:00").unwrap().to_utc(10_800).unwrap(), 0);
        assert!(zone("Mars/Olympus").is_none());
    }
}
