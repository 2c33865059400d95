//! Text functions (`lower`, `upper`, `trim`), `LIKE` patterns and tag-list elements: the string semantics the
//! rule language shares between the evaluator, `toSql` and the docs.
//!
//! Case mapping is Unicode's per-character *simple* mapping (a letter whose case form is several characters, like
//! `ß` → `SS`, stays as it is), which is what DuckDB's `lower`/`upper` do. `trim` removes spaces (U+0020) from
//! both ends, as SQL's `trim(x)` does — not tabs or newlines.

use std::borrow::Cow;

/// A text function applied to a column (or folded into a literal at parse time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextFn {
    /// `lower(x)`
    Lower,
    /// `upper(x)`
    Upper,
    /// `trim(x)`
    Trim,
}

impl TextFn {
    /// The function for a name (case-insensitive), if it is one.
    pub fn from_name(name: &str) -> Option<TextFn> {
        match name.to_ascii_lowercase().as_str() {
            "lower" => Some(TextFn::Lower),
            "upper" => Some(TextFn::Upper),
            "trim" => Some(TextFn::Trim),
            _ => None,
        }
    }

    /// The name as canonical text and SQL write it.
    pub fn name(self) -> &'static str {
        match self {
            TextFn::Lower => "lower",
            TextFn::Upper => "upper",
            TextFn::Trim => "trim",
        }
    }

    /// The function applied to `s`.
    pub fn apply(self, s: &str) -> Cow<'_, str> {
        match self {
            TextFn::Lower => lower(s),
            TextFn::Upper => map_chars(s, |c| single(c.to_uppercase()), |c| c.is_lowercase() || !c.is_ascii()),
            TextFn::Trim => Cow::Borrowed(trim(s)),
        }
    }
}

/// Apply `funcs` in order (innermost first).
pub fn apply_all<'a>(funcs: &[TextFn], s: &'a str) -> Cow<'a, str> {
    let mut out = Cow::Borrowed(s);
    for f in funcs {
        out = match out {
            Cow::Borrowed(b) => f.apply(b),
            Cow::Owned(o) => Cow::Owned(f.apply(&o).into_owned()),
        };
    }
    out
}

/// Unicode simple lower-case mapping, per character.
pub fn lower(s: &str) -> Cow<'_, str> {
    map_chars(s, |c| single(c.to_lowercase()), |c| c.is_uppercase() || !c.is_ascii())
}

/// SQL's `trim(s)`: leading and trailing spaces removed (tabs and line breaks stay, as in DuckDB, Spark and
/// PostgreSQL).
pub fn trim(s: &str) -> &str {
    s.trim_matches(' ')
}

/// The mapped character when the mapping yields exactly one, else `None` (keep the original).
fn single(mut it: impl Iterator<Item = char>) -> Option<char> {
    let first = it.next()?;
    it.next().is_none().then_some(first)
}

/// Map each character; allocation only when some character may change (`maybe` is a cheap pre-check).
fn map_chars(s: &str, f: impl Fn(char) -> Option<char>, maybe: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&maybe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| f(c).unwrap_or(c)).collect())
}

/// One element of a compiled `LIKE` pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LikeItem {
    /// This exact character.
    Char(char),
    /// `_`: exactly one character.
    One,
    /// `%`: any run of characters, possibly empty.
    Any,
}

/// A compiled `LIKE` / `ILIKE` pattern (for `ILIKE`, literal characters are already lower-cased).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LikePattern {
    /// The pattern elements.
    pub items: Vec<LikeItem>,
    /// `ILIKE`: compare `lower(value)` with the lower-cased pattern.
    pub case_insensitive: bool,
    /// The pattern as UTF-8 bytes (`None` for `%`) when it has no `_`: then matching bytes is matching characters,
    /// since literal runs are whole characters, and no per-value character decoding is needed.
    bytes: Option<Vec<Option<u8>>>,
}

impl LikePattern {
    /// Compile `pattern`; `escape` makes the following character literal. Fails (with a message) when the
    /// pattern ends with the escape character.
    pub fn compile(pattern: &str, escape: Option<char>, case_insensitive: bool) -> Result<LikePattern, String> {
        let mut items = Vec::new();
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            let item = if Some(c) == escape {
                match chars.next() {
                    Some(next) => LikeItem::Char(next),
                    None => {
                        return Err(format!(
                            "the pattern ends with the escape character `{c}`; escape the escape character itself \
                             by doubling it ({c}{c})"
                        ))
                    }
                }
            } else if c == '%' {
                LikeItem::Any
            } else if c == '_' {
                LikeItem::One
            } else {
                LikeItem::Char(c)
            };
            if case_insensitive {
                if let LikeItem::Char(ch) = item {
                    items.push(LikeItem::Char(single(ch.to_lowercase()).unwrap_or(ch)));
                    continue;
                }
            }
            // `%%` means the same as `%`.
            if !(item == LikeItem::Any && items.last() == Some(&LikeItem::Any)) {
                items.push(item);
            }
        }
        let bytes = (!items.contains(&LikeItem::One)).then(|| {
            let mut buf = [0u8; 4];
            let mut out = Vec::new();
            for item in &items {
                match item {
                    LikeItem::Char(c) => out.extend(c.encode_utf8(&mut buf).bytes().map(Some)),
                    _ => out.push(None),
                }
            }
            out
        });
        Ok(LikePattern { items, case_insensitive, bytes })
    }

    /// The pattern as text with `\` as escape character (`%`, `_` and `\` escaped): how `toSql` writes it.
    pub fn to_escaped(&self) -> String {
        let mut out = String::new();
        for item in &self.items {
            match item {
                LikeItem::Any => out.push('%'),
                LikeItem::One => out.push('_'),
                LikeItem::Char(c) => {
                    if matches!(c, '%' | '_' | '\\') {
                        out.push('\\');
                    }
                    out.push(*c);
                }
            }
        }
        out
    }

    /// Whether `value` matches the whole pattern.
    pub fn matches(&self, value: &str) -> bool {
        let value = if self.case_insensitive { lower(value) } else { Cow::Borrowed(value) };
        match &self.bytes {
            Some(pat) => wildcard(pat, value.as_bytes(), |p, b| *p == Some(*b)),
            None => {
                let chars: Vec<char> = value.chars().collect();
                wildcard(&self.items, &chars, |item, c| match item {
                    LikeItem::Char(p) => p == c,
                    _ => true,
                })
            }
        }
    }
}

/// Wildcard match with single backtracking point (the last `%`), O(pattern × value) at worst; `eq(p, v)` matches
/// one element.
fn wildcard<P: AnyMarker, V>(pat: &[P], val: &[V], eq: impl Fn(&P, &V) -> bool) -> bool {
    let (mut p, mut v) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while v < val.len() {
        if p < pat.len() && pat[p].is_any() {
            star = Some((p, v));
            p += 1;
        } else if p < pat.len() && eq(&pat[p], &val[v]) {
            p += 1;
            v += 1;
        } else if let Some((sp, sv)) = star {
            p = sp + 1;
            v = sv + 1;
            star = Some((sp, sv + 1));
        } else {
            return false;
        }
    }
    pat[p..].iter().all(AnyMarker::is_any)
}

/// Which pattern elements are `%`.
trait AnyMarker {
    fn is_any(&self) -> bool;
}

impl AnyMarker for LikeItem {
    fn is_any(&self) -> bool {
        *self == LikeItem::Any
    }
}

impl AnyMarker for Option<u8> {
    fn is_any(&self) -> bool {
        self.is_none()
    }
}

/// A tag as `HAS` compares it: spaces trimmed, lower-cased.
pub fn tag_key(s: &str) -> String {
    lower(trim(s)).into_owned()
}

/// The tags of a text value: split at `,`, each trimmed and lower-cased.
pub fn split_tags(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(TAG_SEPARATOR).map(tag_key)
}

/// The separator of tags in a text column.
pub const TAG_SEPARATOR: char = ',';

#[cfg(test)]
mod tests {
    use super::*;

    fn like(p: &str, v: &str) -> bool {
        LikePattern::compile(p, Some('\\'), false).unwrap().matches(v)
    }

    #[test]
    fn like_semantics() {
        assert!(like("Hel%", "Helsinki"));
        assert!(!like("Hel%", "helsinki"));
        assert!(like("%sin%", "Helsinki"));
        assert!(like("H_lsinki", "Helsinki"));
        assert!(like("_oë", "Zoë"));
        assert!(!like("_o", "Zoë"));
        assert!(like("%", ""));
        assert!(!like("_", ""));
        assert!(like("100\\%", "100%"));
        assert!(!like("100\\%", "1000"));
        assert!(like("a%b%c", "aXXbYYc"));
        assert!(!like("a%b%c", "aXXbYY"));
        assert!(LikePattern::compile("%HEL%", None, true).unwrap().matches("helsinki"));
        assert!(LikePattern::compile("x\\", Some('\\'), false).is_err());
        assert_eq!(LikePattern::compile("a!%_\\", Some('!'), false).unwrap().to_escaped(), "a\\%_\\\\");
    }

    #[test]
    fn functions_and_tags() {
        assert_eq!(TextFn::Lower.apply("HELSINKI Ö"), "helsinki ö");
        assert_eq!(TextFn::Upper.apply("straße"), "STRAßE");
        assert_eq!(TextFn::Trim.apply("  a b \t"), "a b \t");
        assert_eq!(apply_all(&[TextFn::Trim, TextFn::Lower], " Helsinki "), "helsinki");
        assert_eq!(split_tags("VIP, gold ,,x").collect::<Vec<_>>(), ["vip", "gold", "", "x"]);
    }
}
