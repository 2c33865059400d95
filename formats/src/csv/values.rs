//! Reading one CSV value as a number, a money amount, a boolean, a date or a timestamp.
//!
//! Inference (`infer.rs`) and array building (`build.rs`) call the same functions, so a column inferred as a
//! type always builds without a failure, and a forced type fails exactly on the values inference would reject.
//! Every parser takes the value already trimmed and returns `None` when the value is not of its kind.

/// How a number writes its decimal and thousands separators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumStyle {
    /// `1,020.50` (en): decimal point, comma thousands.
    Dot = 0,
    /// `1 020,50` (fi, sv): decimal comma (a point is accepted too), space or no-break space thousands.
    CommaSpace = 1,
    /// `1.020,50` (de): decimal comma, point thousands.
    CommaDot = 2,
}

pub const ALL_STYLES: [NumStyle; 3] = [NumStyle::Dot, NumStyle::CommaSpace, NumStyle::CommaDot];

/// Day/month order of slash dates (`1/2/2025`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlashOrder {
    /// `9/16/2025` (en).
    MonthFirst = 0,
    /// `16/9/2025` (fi, sv, de).
    DayFirst = 1,
}

/// Trim ASCII white space and the no-break spaces spreadsheets write.
#[inline]
pub fn trim(s: &str) -> &str {
    // Most values start and end with a printable ASCII character: nothing to trim, without decoding characters.
    let b = s.as_bytes();
    if b.first().is_some_and(u8::is_ascii_graphic) && b.last().is_some_and(u8::is_ascii_graphic) {
        return s;
    }
    s.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\u{a0}' || c == '\u{202f}')
}

/// What a numeric-looking value says about its column beyond its number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NumShape {
    /// A plain integer: optional `-`, digits, nothing else.
    pub plain_int: bool,
    /// Starts with `+`: a phone number (`+358401234567`) rather than a quantity.
    pub leading_plus: bool,
    /// The integer part has two or more digits and starts with 0 (`00100`): a code.
    pub leading_zero: bool,
    /// More than 15 significant digits and no fraction: an identifier that float64 would round.
    pub too_many_digits: bool,
}

/// A money amount: a currency sign or code at either end (`12,50 €`, `EUR 12.50`, `-$5`, `12,50 kr.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money<'a> {
    /// A `-` written before the currency sign (`-€12.50`); the amount itself may also carry a sign.
    pub negative: bool,
    pub amount: &'a str,
    pub currency: &'static str,
}

/// The amount and currency of `s`, or `None` when it carries no currency.
pub fn strip_currency(s: &str) -> Option<Money<'_>> {
    const SIGNS: [(&str, &str); 6] =
        [("€", "EUR"), ("$", "USD"), ("£", "GBP"), ("¥", "JPY"), ("kr.", "kr"), ("kr", "kr")];
    const CODES: [&str; 12] = ["EUR", "USD", "GBP", "SEK", "NOK", "DKK", "CHF", "PLN", "ISK", "CAD", "AUD", "JPY"];
    let first = s.as_bytes().first().copied()?;
    let last = s.as_bytes().last().copied()?;
    // Fast exit for the common case: a value that begins and ends with a digit has no currency.
    if first.is_ascii_digit() && last.is_ascii_digit() {
        return None;
    }
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) if !rest.starts_with(|c: char| c.is_ascii_digit()) => (true, rest),
        _ => (false, s),
    };
    for (sign, currency) in SIGNS.iter().copied().chain(CODES.iter().map(|c| (*c, *c))) {
        let rest = if negative { body.strip_prefix(sign) } else { body.strip_suffix(sign).or(body.strip_prefix(sign)) };
        if let Some(rest) = rest {
            let amount = trim(rest);
            return (!amount.is_empty()).then_some(Money { negative, amount, currency });
        }
    }
    None
}

/// The shape of a numeric-looking value (see [`NumShape`]); `None` when it cannot be a number. A value with
/// separators may still fail to read in every style: [`parse_number`] decides.
pub fn num_shape(s: &str) -> Option<NumShape> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut shape = NumShape::default();
    match b.first()? {
        b'+' => {
            shape.leading_plus = true;
            i = 1;
        }
        b'-' => i = 1,
        _ => {}
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - digits_start;
    if int_digits == 0 && !(i < b.len() && (b[i] == b'.' || b[i] == b',')) {
        return None;
    }
    shape.leading_zero = int_digits >= 2 && b[digits_start] == b'0';
    if i == b.len() {
        shape.plain_int = !shape.leading_plus;
        let significant = b[digits_start..].iter().skip_while(|&&d| d == b'0').count();
        shape.too_many_digits = significant > 15;
        return Some(shape);
    }
    // Separators or a fraction follow: whether it is a number at all is up to the styles (the caller parses
    // it in each). Counting digits is cheap; the fraction check only runs for the rare long ones.
    let significant = b.iter().filter(|c| c.is_ascii_digit()).skip_while(|&&d| d == b'0').count();
    shape.too_many_digits = significant > 15 && !has_fraction(s);
    Some(shape)
}

/// A decimal separator followed by digits that are not a thousands group in every style (`12.50`, `1,5`).
fn has_fraction(s: &str) -> bool {
    ALL_STYLES.iter().any(|&st| clean_number(s, st).is_some_and(|(buf, len)| buf[..len].contains(&b'.')))
}

/// `s` in `style` rewritten as `[-]digits[.digits][e[-]digits]` in a stack buffer, or `None`.
fn clean_number(s: &str, style: NumStyle) -> Option<([u8; 48], usize)> {
    let b = s.as_bytes();
    let mut out = [0u8; 48];
    let mut n = 0;
    let mut i = 0;
    let mut push = |c: u8, n: &mut usize| -> Option<()> {
        *out.get_mut(*n)? = c;
        *n += 1;
        Some(())
    };
    match b.first()? {
        b'-' => {
            push(b'-', &mut n)?;
            i = 1;
        }
        b'+' => i = 1,
        _ => {}
    }
    // Integer part with optional thousands groups: first group 1–3 digits, then exactly 3 per group.
    let mut group = 0usize;
    let mut grouped = false;
    let mut int_digits = 0;
    loop {
        if i < b.len() && b[i].is_ascii_digit() {
            push(b[i], &mut n)?;
            group += 1;
            int_digits += 1;
            i += 1;
            continue;
        }
        let sep_len = thousands_sep(&b[i..], style);
        if sep_len > 0 && group > 0 && (!grouped && group <= 3 || grouped && group == 3) {
            let next = &b[i + sep_len..];
            if next.len() >= 3
                && next[..3].iter().all(u8::is_ascii_digit)
                && next.get(3).is_none_or(|c| !c.is_ascii_digit())
            {
                grouped = true;
                group = 0;
                i += sep_len;
                continue;
            }
        }
        break;
    }
    if grouped && group != 3 {
        return None;
    }
    let decimal = |c: u8| match style {
        NumStyle::Dot => c == b'.',
        NumStyle::CommaSpace => c == b',' || c == b'.',
        NumStyle::CommaDot => c == b',',
    };
    let mut frac_digits = 0;
    if i < b.len() && decimal(b[i]) {
        // `1,020.` is not a number, and a decimal point after point thousands (`1.020.5`) is not either.
        push(b'.', &mut n)?;
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            push(b[i], &mut n)?;
            frac_digits += 1;
            i += 1;
        }
        if frac_digits == 0 {
            return None;
        }
    }
    if int_digits == 0 && frac_digits == 0 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') && !grouped {
        push(b'e', &mut n)?;
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            push(b[i], &mut n)?;
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            push(b[i], &mut n)?;
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    (i == b.len()).then_some((out, n))
}

/// Length of a thousands separator of `style` at the start of `b` (0 when there is none).
fn thousands_sep(b: &[u8], style: NumStyle) -> usize {
    match style {
        NumStyle::Dot => usize::from(b.first() == Some(&b',')),
        NumStyle::CommaDot => usize::from(b.first() == Some(&b'.')),
        NumStyle::CommaSpace => {
            if b.first() == Some(&b' ') {
                1
            } else if b.starts_with("\u{a0}".as_bytes()) {
                2
            } else if b.starts_with("\u{202f}".as_bytes()) {
                3
            } else {
                0
            }
        }
    }
}

/// `s` as a number in `style` (no currency), correctly rounded.
pub fn parse_number(s: &str, style: NumStyle) -> Option<f64> {
    // In the point-thousands style a `.` is a separator, which only the full parser reads.
    if style != NumStyle::CommaDot || !s.contains('.') {
        if let Some(x) = short_decimal(s.as_bytes()) {
            return Some(x);
        }
    }
    let (buf, len) = clean_number(s, style)?;
    let text = std::str::from_utf8(&buf[..len]).ok()?;
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// `s` read in each of [`ALL_STYLES`], as [`parse_number`] reads it in each, with a short decimal parsed once:
/// inference reads every numeric value in all three styles.
pub fn parse_styles(s: &str) -> [Option<f64>; 3] {
    match short_decimal(s.as_bytes()) {
        // `parse_number` reads a short decimal so in the first two styles, and in the third unless it has a
        // point, which that style takes for a thousands separator.
        Some(x) if !s.contains('.') => [Some(x); 3],
        // There the point is a thousands separator only between 1–3 digits and exactly 3 (`1.020`, `-12.500`);
        // at any other place the value is not a number in that style (`177.50`).
        Some(x) => {
            let body = s.strip_prefix('-').unwrap_or(s).as_bytes();
            let point = body.iter().position(|&c| c == b'.').unwrap_or(0);
            let grouped = (1..=3).contains(&point) && body.len() == point + 4;
            [Some(x), Some(x), if grouped { parse_number(s, NumStyle::CommaDot) } else { None }]
        }
        None => ALL_STYLES.map(|st| parse_number(s, st)),
    }
}

/// Powers of ten a double holds exactly.
const EXACT_POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// `[-]digits[.digits]` with at most 15 digits in all (`112.30`, `-5`), what most number columns hold, without
/// the general parser: the digits as an integer below 2^53 and the power of ten are both exact doubles, so their
/// quotient is the correctly rounded value (Clinger's fast path), the same double `str::parse` gives.
fn short_decimal(b: &[u8]) -> Option<f64> {
    let (negative, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        _ => (false, b),
    };
    if digits.len() > 16 || !digits.first()?.is_ascii_digit() {
        return None;
    }
    let mut mantissa = 0u64;
    let mut frac_digits = None;
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => mantissa = mantissa * 10 + u64::from(c - b'0'),
            b'.' if frac_digits.is_none() && i + 1 < digits.len() => frac_digits = Some(digits.len() - i - 1),
            _ => return None,
        }
    }
    let scale = frac_digits.unwrap_or(0);
    if digits.len() - usize::from(frac_digits.is_some()) > 15 {
        return None;
    }
    let x = mantissa as f64 / EXACT_POW10[scale];
    Some(if negative { -x } else { x })
}

/// `s` in `style` as an exact decimal with `scale` fraction digits and at most `precision` digits in all.
/// `Err` says why not (too many decimals, too many digits); `Ok(None)` means not a number.
pub fn parse_decimal(s: &str, style: NumStyle, precision: u8, scale: i8) -> Result<Option<i128>, String> {
    let Some((buf, len)) = clean_number(s, style) else {
        return Ok(None);
    };
    let text = &buf[..len];
    if text.contains(&b'e') {
        return Err(crate::messages::nested("why_exponent", &[]));
    }
    let (neg, digits) = match text.first() {
        Some(b'-') => (true, &text[1..]),
        _ => (false, text),
    };
    let (int, frac) = match digits.iter().position(|&c| c == b'.') {
        Some(p) => (&digits[..p], &digits[p + 1..]),
        None => (digits, &digits[..0]),
    };
    let scale = scale.max(0) as usize;
    if frac.len() > scale {
        return Err(crate::messages::nested("why_decimals", &[&frac.len().to_string(), &scale.to_string()]));
    }
    let int = &int[int.iter().take_while(|&&c| c == b'0').count().min(int.len())..];
    if int.len() + scale > precision as usize {
        return Err(crate::messages::nested("why_digits", &[&precision.to_string()]));
    }
    let mut v: i128 = 0;
    for &c in int.iter().chain(frac.iter()) {
        v = v * 10 + i128::from(c - b'0');
    }
    for _ in frac.len()..scale {
        v *= 10;
    }
    Ok(Some(if neg { -v } else { v }))
}

/// `s` as an int64 (a plain integer; `+` and leading zeros allowed since the caller asked for a number).
pub fn parse_int(s: &str) -> Option<i64> {
    let t = s.strip_prefix('+').unwrap_or(s);
    if t.is_empty() || t.as_bytes()[usize::from(t.starts_with('-'))..].iter().any(|c| !c.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// Boolean word pairs, `(true, false)`; a column is bool when all its values come from one pair.
pub const BOOL_PAIRS: [(&str, &str); 7] =
    [("true", "false"), ("yes", "no"), ("y", "n"), ("kyllä", "ei"), ("ja", "nej"), ("ja", "nein"), ("1", "0")];

/// Index of the `1/0` pair (it also needs both values seen, so that a column of 1s stays a number).
pub const ONE_ZERO_PAIR: usize = 6;

/// The pairs `s` belongs to (bit i = pair i) and whether it is the true word.
pub fn bool_word(s: &str) -> (u8, bool) {
    if s.len() > 6 {
        return (0, false);
    }
    let mut lower = [0u8; 6];
    let mut n = 0;
    if s.is_ascii() {
        // The common case without char iteration (this runs on every value of a column that may be bool).
        n = s.len();
        lower[..n].copy_from_slice(s.as_bytes());
        lower[..n].make_ascii_lowercase();
    } else {
        for ch in s.chars().flat_map(char::to_lowercase) {
            let mut buf = [0u8; 4];
            for &b in ch.encode_utf8(&mut buf).as_bytes() {
                if n == lower.len() {
                    return (0, false);
                }
                lower[n] = b;
                n += 1;
            }
        }
    }
    let word = word_key(&lower[..n]);
    let mut mask = 0u8;
    let mut truth = false;
    for (i, (t, f)) in BOOL_KEYS.iter().enumerate() {
        if word == *t {
            mask |= 1 << i;
            truth = true;
        } else if word == *f {
            mask |= 1 << i;
        }
    }
    (mask, truth)
}

/// A word of at most 7 bytes as one integer (its bytes, and its length in the top byte), so that the bool
/// words are told apart by integer compares instead of 14 slice compares per value.
const fn word_key(word: &[u8]) -> u64 {
    let mut key = (word.len() as u64) << 56;
    let mut i = 0;
    while i < word.len() && i < 7 {
        key |= (word[i] as u64) << (8 * i);
        i += 1;
    }
    key
}

/// [`BOOL_PAIRS`] as [`word_key`]s.
const BOOL_KEYS: [(u64, u64); 7] = {
    let mut keys = [(0, 0); 7];
    let mut i = 0;
    while i < BOOL_PAIRS.len() {
        keys[i] = (word_key(BOOL_PAIRS[i].0.as_bytes()), word_key(BOOL_PAIRS[i].1.as_bytes()));
        i += 1;
    }
    keys
};

/// Days from 1970-01-01 to a civil date (proleptic Gregorian), or `None` for an invalid date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> Option<i32> {
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) || !(1..=9999).contains(&y) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    i32::try_from(era * 146_097 + doe - 719_468).ok()
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A date at the start of `s`, in one of the forms segmetry reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatePart {
    /// Days since 1970-01-01 for each slash order (equal for ISO and dotted dates).
    pub days: [Option<i32>; 2],
    /// It was a slash date (`a/b/yyyy`): the order matters.
    pub slash: bool,
    /// Bytes consumed.
    pub len: usize,
}

/// Up to `max` ASCII digits at `b[i..]`: (value, count).
fn digits(b: &[u8], i: usize, max: usize) -> (u32, usize) {
    let mut v = 0u32;
    let mut n = 0;
    while n < max && i + n < b.len() && b[i + n].is_ascii_digit() {
        v = v * 10 + u32::from(b[i + n] - b'0');
        n += 1;
    }
    (v, n)
}

/// `yyyy-mm-dd`, `d.m.yyyy` or `a/b/yyyy` at the start of `s`.
pub fn date_part(s: &str) -> Option<DatePart> {
    let b = s.as_bytes();
    let (first, n1) = digits(b, 0, 4);
    if n1 == 4 && b.get(4) == Some(&b'-') {
        let (m, n2) = digits(b, 5, 2);
        let (d, n3) = digits(b, 8, 2);
        if n2 != 2 || b.get(7) != Some(&b'-') || n3 != 2 {
            return None;
        }
        let days = days_from_civil(i64::from(first), m, d)?;
        return Some(DatePart { days: [Some(days); 2], slash: false, len: 10 });
    }
    if !(1..=2).contains(&n1) {
        return None;
    }
    let sep = *b.get(n1)?;
    if sep != b'.' && sep != b'/' {
        return None;
    }
    let (second, n2) = digits(b, n1 + 1, 2);
    if n2 == 0 || b.get(n1 + 1 + n2) != Some(&sep) {
        return None;
    }
    let ys = n1 + n2 + 2;
    let (year, n3) = digits(b, ys, 4);
    if n3 != 4 || b.get(ys + 4).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let y = i64::from(year);
    let len = ys + 4;
    if sep == b'.' {
        let days = days_from_civil(y, second, first)?;
        return Some(DatePart { days: [Some(days); 2], slash: false, len });
    }
    let days = [days_from_civil(y, first, second), days_from_civil(y, second, first)];
    days.iter().any(Option::is_some).then_some(DatePart { days, slash: true, len })
}

/// A date and time of day as written: wall-clock seconds since the epoch (per slash order), the fraction,
/// and the UTC offset when the value carries one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub wall: [Option<i64>; 2],
    pub slash: bool,
    /// Fraction of a second in nanoseconds and how many digits it was written with.
    pub nanos: u32,
    pub frac_digits: u8,
    /// Seconds east of UTC (`+03:00` → 10800).
    pub offset: Option<i32>,
}

/// [`stamp_after`] with the date part read here (the readers have it already; the tests do not).
#[cfg(test)]
fn parse_stamp(s: &str) -> Option<Stamp> {
    stamp_after(s, date_part(s)?)
}

/// A full timestamp (`2025-09-16 07:42:15 +0300`, `2025-09-16T07:42:15.123Z`, `16.9.2025 7:42`,
/// `16.9.2025 klo 7.42`) whose date part `date` (= `date_part(s)`) is read already; `None` when `s` is not one
/// (a bare date is not a timestamp).
pub fn stamp_after(s: &str, date: DatePart) -> Option<Stamp> {
    let b = s.as_bytes();
    let mut i = date.len;
    match b.get(i)? {
        b'T' | b't' => i += 1,
        b' ' => {
            i += 1;
            while b.get(i) == Some(&b' ') {
                i += 1;
            }
            if b[i..].starts_with(b"klo ") {
                i += 4;
            }
        }
        _ => return None,
    }
    let (h, nh) = digits(b, i, 2);
    if nh == 0 {
        return None;
    }
    i += nh;
    let tsep = *b.get(i)?;
    if tsep != b':' && tsep != b'.' {
        return None;
    }
    let (mi, nm) = digits(b, i + 1, 2);
    if nm != 2 {
        return None;
    }
    i += 3;
    let mut sec = 0;
    if b.get(i) == Some(&tsep) {
        let (sv, ns) = digits(b, i + 1, 2);
        if ns != 2 {
            return None;
        }
        sec = sv;
        i += 3;
    }
    let (mut nanos, mut frac_digits) = (0u32, 0u8);
    if matches!(b.get(i), Some(b'.') | Some(b',')) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            if frac_digits == 9 {
                return None;
            }
            nanos = nanos * 10 + u32::from(b[i] - b'0');
            frac_digits += 1;
            i += 1;
        }
        nanos *= 10u32.pow(9 - u32::from(frac_digits));
    }
    if h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    let offset = parse_offset(&s[i..])?;
    let tod = i64::from(h * 3600 + mi * 60 + sec);
    let wall = date.days.map(|d| d.map(|d| i64::from(d) * 86_400 + tod));
    Some(Stamp { wall, slash: date.slash, nanos, frac_digits, offset })
}

/// The rest of a timestamp after its time: nothing, `Z`, ` UTC`, `+03:00`, `+0300`, ` +03`.
/// `Some(None)` = no offset, `None` = not a valid ending.
fn parse_offset(rest: &str) -> Option<Option<i32>> {
    let r = rest.trim_start_matches(' ');
    if r.is_empty() {
        return Some(None);
    }
    if r == "Z" || r == "z" || r == "UTC" || r == "GMT" {
        return Some(Some(0));
    }
    let b = r.as_bytes();
    let sign = match b[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, nh) = digits(b, 1, 2);
    if nh != 2 {
        return None;
    }
    let mut i = 3;
    if b.get(i) == Some(&b':') {
        i += 1;
    }
    let (m, nm) = digits(b, i, 2);
    if !(nm == 2 || (nm == 0 && i == 3)) || i + nm != b.len() || h > 18 || m > 59 {
        return None;
    }
    Some(Some(sign * (h as i32 * 3600 + m as i32 * 60)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_by_style() {
        assert_eq!(parse_number("1,020.50", NumStyle::Dot), Some(1020.5));
        assert_eq!(parse_number("1,020.50", NumStyle::CommaSpace), None);
        assert_eq!(parse_number("1 020,50", NumStyle::CommaSpace), Some(1020.5));
        assert_eq!(parse_number("1\u{a0}020,50", NumStyle::CommaSpace), Some(1020.5));
        assert_eq!(parse_number("1.020,50", NumStyle::CommaDot), Some(1020.5));
        assert_eq!(parse_number("1,020", NumStyle::Dot), Some(1020.0));
        assert_eq!(parse_number("1,020", NumStyle::CommaSpace), Some(1.02));
        assert_eq!(parse_number("1,02", NumStyle::Dot), None);
        assert_eq!(parse_number("12,5", NumStyle::Dot), None);
        assert_eq!(parse_number("1e3", NumStyle::Dot), Some(1000.0));
        assert_eq!(parse_number(".5", NumStyle::Dot), Some(0.5));
        assert_eq!(parse_number("1.", NumStyle::Dot), None);
        assert_eq!(parse_number("-", NumStyle::Dot), None);
        assert_eq!(parse_number("1,0200", NumStyle::Dot), None);
    }

    #[test]
    fn currency() {
        let m = |s| strip_currency(s).map(|m| (m.negative, m.amount, m.currency));
        assert_eq!(m("12,50 €"), Some((false, "12,50", "EUR")));
        assert_eq!(m("EUR 12.50"), Some((false, "12.50", "EUR")));
        assert_eq!(m("$5"), Some((false, "5", "USD")));
        assert_eq!(m("-€5"), Some((true, "5", "EUR")));
        assert_eq!(m("-12,50 €"), Some((false, "-12,50", "EUR")));
        assert_eq!(m("12,50 kr."), Some((false, "12,50", "kr")));
        assert_eq!(m("12.50"), None);
        assert_eq!(m("€"), None);
    }

    #[test]
    fn dates_and_stamps() {
        assert_eq!(date_part("2024-02-29").unwrap().days[0], Some(19782));
        assert_eq!(date_part("29.2.2024").unwrap().days[0], Some(19782));
        assert_eq!(date_part("30.2.2024"), None);
        let s = date_part("2/3/2024").unwrap();
        assert!(s.slash && s.days[0] != s.days[1]);
        let t = parse_stamp("16.9.2025 7:42").unwrap();
        assert_eq!(t.wall[0], Some(i64::from(days_from_civil(2025, 9, 16).unwrap()) * 86400 + 7 * 3600 + 42 * 60));
        assert_eq!(parse_stamp("2025-09-16 07:42:15 +0300").unwrap().offset, Some(10800));
        assert_eq!(parse_stamp("2025-09-16T07:42:15.5Z").unwrap().nanos, 500_000_000);
        assert_eq!(parse_stamp("2025-09-16 07:42 garbage"), None);
        assert_eq!(parse_stamp("2025-09-16"), None);
    }

    #[test]
    fn short_decimals_read_as_the_general_parser_reads_them() {
        let mut cases: Vec<String> =
            ["0", "-0.0", "112.30", "0.1", "1.5", "999999999999999", "-123456789.012345", "7."]
                .iter()
                .map(|s| s.to_string())
                .collect();
        // Pseudo-random digit strings with the point anywhere, up to and beyond the 15-digit limit.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = 1 + (x % 18) as usize;
            let mut d: String = (0..len).map(|i| char::from(b'0' + ((x >> (i * 3)) % 10) as u8)).collect();
            let point = ((x >> 56) as usize) % (len + 1);
            if point > 0 && point < len {
                d.insert(point, '.');
            }
            cases.push(if x & 1 == 0 { d } else { format!("-{d}") });
        }
        for s in &cases {
            let general = clean_number(s, NumStyle::Dot)
                .and_then(|(buf, len)| std::str::from_utf8(&buf[..len]).ok()?.parse::<f64>().ok());
            let fast = short_decimal(s.as_bytes());
            if let Some(v) = fast {
                assert_eq!(Some(v.to_bits()), general.map(f64::to_bits), "{s}");
            }
            assert_eq!(parse_number(s, NumStyle::Dot).map(f64::to_bits), general.map(f64::to_bits), "{s}");
            let each = ALL_STYLES.map(|st| parse_number(s, st).map(f64::to_bits));
            assert_eq!(parse_styles(s).map(|v| v.map(f64::to_bits)), each, "{s}");
        }
        assert_eq!(parse_number("1.020", NumStyle::CommaDot), Some(1020.0)); // point thousands: not the fast path
        assert_eq!(parse_number("12.5", NumStyle::CommaSpace), Some(12.5));
    }

    #[test]
    fn bools() {
        assert_eq!(bool_word("Kyllä"), (1 << 3, true));
        assert_eq!(bool_word(" no".trim()), (1 << 1, false));
        assert_eq!(bool_word("JA").0, (1 << 4) | (1 << 5));
        // Against plain comparisons with the word list: each word, its upper case, prefixes and extensions.
        let mut words: Vec<String> = vec!["".into(), "x".into(), "yesno".into(), "kyllää".into(), "ja\u{a0}".into()];
        for (t, f) in BOOL_PAIRS {
            for w in [t, f] {
                words.extend([w.to_string(), w.to_uppercase(), format!("{w}s"), w.chars().skip(1).collect()]);
            }
        }
        for w in &words {
            let lower = w.to_lowercase();
            let mut want = (0u8, false);
            for (i, (t, f)) in BOOL_PAIRS.iter().enumerate() {
                if lower == *t || lower == *f {
                    want.0 |= 1 << i;
                    want.1 |= lower == *t;
                }
            }
            if w.len() > 6 {
                want = (0, false);
            }
            assert_eq!(bool_word(w), want, "{w:?}");
        }
    }
}
