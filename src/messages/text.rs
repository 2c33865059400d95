//! The catalogue's mechanism, free of the engine's types: languages, messages with parameters, nested messages
//! and rendering. The including module names the tables it renders from (`super::TABLES`): the engine its
//! catalogue, the file readers (`segmetry-formats`, whose wasm modules compile this file) the import texts of
//! `import.rs` their reader needs, not the engine's whole table. So every message text of the project lives in
//! `src/messages.rs` and `src/messages/`.

/// A language of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English (the default; what `message` holds).
    #[default]
    En,
    /// Finnish.
    Fi,
}

impl Lang {
    /// The language of a BCP 47 tag (`fi`, `fi-FI`, `en-GB`, …); other languages get English.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        if primary == "fi" {
            Lang::Fi
        } else {
            Lang::En
        }
    }
}

/// A catalogued message: its id and parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The id (a key of the catalogue's tables, `super::TABLES`).
    pub key: &'static str,
    /// The parameters, in placeholder order (each may hold [`nested`] messages).
    pub params: Vec<String>,
}

impl Message {
    /// A message with parameters (never inlined, as [`nested`]).
    #[inline(never)]
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(key: &'static str, params: I) -> Message {
        Message { key, params: params.into_iter().map(Into::into).collect() }
    }

    /// A message without parameters.
    pub fn plain(key: &'static str) -> Message {
        Message { key, params: Vec::new() }
    }

    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        render(self.key, &self.params, lang, 0)
    }

    /// The message as text that renders to it in any language: a parameter of another message, or a serde
    /// error's text that [`expand`] turns back into words.
    pub fn encode(&self) -> String {
        let params: Vec<&str> = self.params.iter().map(String::as_str).collect();
        nested(self.key, &params)
    }
}

/// Start, parameter separator and end of an encoded message (control characters no column name or option
/// value uses).
const OPEN: char = '\u{2}';
const SEP: char = '\u{1f}';
const CLOSE: char = '\u{3}';

/// A parameter that is itself the catalogued message `key` with `params` (see the module docs). Error-path code,
/// never inlined: the CSV reader's value parsers (opt-level 3) name their reasons with it in hot loops.
#[cold]
#[inline(never)]
pub fn nested(key: &str, params: &[&str]) -> String {
    let mut out = format!("{OPEN}{key}");
    for p in params {
        out.push(SEP);
        out.push_str(p);
    }
    out.push(CLOSE);
    out
}

/// `text` with every encoded message in it rendered in `lang` (text around them is kept).
pub fn expand(text: &str, lang: Lang) -> String {
    expand_at(text, lang, 0)
}

/// How deep encoded messages are rendered; deeper ones stay as they are. The catalogue nests two or three levels;
/// the bound is for text a caller wrote (a column name or option value holding the control characters), which
/// would otherwise recurse once per level.
const MAX_NESTING: usize = 8;

fn expand_at(text: &str, lang: Lang, depth: usize) -> String {
    if depth >= MAX_NESTING || !text.contains(OPEN) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(open) = rest.find(OPEN) {
        out.push_str(&rest[..open]);
        let body = &rest[open + OPEN.len_utf8()..];
        let Some(close) = matching_close(body) else {
            out.push_str(&rest[open..]);
            return out;
        };
        let parts = split_top(&body[..close]);
        let key = parts.first().map_or("", |k| k.as_str());
        out.push_str(&render(key, &parts[1.min(parts.len())..], lang, depth + 1));
        rest = &body[close + CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// The byte offset of the [`CLOSE`] that ends the message starting at `body` (nested messages skipped).
fn matching_close(body: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in body.char_indices() {
        match c {
            OPEN => depth += 1,
            CLOSE if depth == 0 => return Some(i),
            CLOSE => depth -= 1,
            _ => {}
        }
    }
    None
}

/// `body` split at the separators outside nested messages.
fn split_top(body: &str) -> Vec<String> {
    let (mut parts, mut current, mut depth) = (Vec::new(), String::new(), 0usize);
    for c in body.chars() {
        match c {
            SEP if depth == 0 => parts.push(std::mem::take(&mut current)),
            OPEN => {
                depth += 1;
                current.push(c);
            }
            CLOSE => {
                depth = depth.saturating_sub(1);
                current.push(c);
            }
            _ => current.push(c),
        }
    }
    parts.push(current);
    parts
}

fn render(key: &str, params: &[String], lang: Lang, depth: usize) -> String {
    let Some((_, en, fi)) = super::TABLES.iter().flat_map(|t| t.iter()).find(|(k, ..)| *k == key) else {
        return format!("{key} {}", params.join(" "));
    };
    let template = if lang == Lang::Fi { fi } else { en };
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = *template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| Some((close, after[..close].parse::<usize>().ok()?))) {
            Some((close, i)) => {
                out.push_str(&expand_at(params.get(i).map_or("", String::as_str), lang, depth));
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
