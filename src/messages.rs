//! The engine's message catalogue: one table with every catalogued message in English and Finnish, keyed by a
//! stable id, with `{0}`, `{1}`, … for its parameters. An error made from a [`Message`] keeps it
//! ([`crate::Error::message_id`]), so [`crate::Error::localized`] can say the same thing in another language; the
//! dashboard passes its language (`ds.segment(rule, { lang: 'fi' })`) instead of keeping copies of the texts.
//!
//! A parameter written `@key` (arguments after `\u{1f}`) is itself a catalogued message, rendered in the same
//! language: "found {0}" with `@end_of_rule` says "found end of rule" / "löytyi säännön loppu". Messages not in
//! the catalogue yet stay English in every language.

use serde::Serialize;

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
    /// The id (a key of [`CATALOGUE`]).
    pub key: &'static str,
    /// The parameters, in placeholder order.
    pub params: Vec<String>,
}

impl Message {
    /// A message with parameters.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(key: &'static str, params: I) -> Message {
        Message { key, params: params.into_iter().map(Into::into).collect() }
    }

    /// A message without parameters.
    pub fn plain(key: &'static str) -> Message {
        Message { key, params: Vec::new() }
    }

    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        render(self.key, &self.params, lang)
    }
}

/// A parameter that is itself the catalogued message `key` with `params` (see the module docs).
pub fn nested(key: &str, params: &[&str]) -> String {
    let mut out = format!("@{key}");
    for p in params {
        out.push('\u{1f}');
        out.push_str(p);
    }
    out
}

/// A built-in group's display name in each language of the catalogue. The group's `name` stays its key (in
/// options, exports and SQL); interfaces show the label of their language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Labels {
    /// English (equal to the name).
    pub en: String,
    /// Finnish.
    pub fi: String,
}

/// The labels of a built-in group name: RFM groups, lifecycle stages, spend tiers, `Cluster N` and
/// `All customers`. `None` for any other name (a user's segment is shown as it was written).
pub fn group_labels(name: &str) -> Option<Labels> {
    let labels = |m: Message| Labels { en: m.render(Lang::En), fi: m.render(Lang::Fi) };
    if let Some(n) = name.strip_prefix("Cluster ").filter(|n| n.parse::<u32>().is_ok()) {
        return Some(labels(Message::new("group_cluster", [n])));
    }
    let (key, ..) = CATALOGUE.iter().find(|(key, en, _)| key.starts_with("group_") && *en == name)?;
    Some(labels(Message::plain(key)))
}

fn render(key: &str, params: &[String], lang: Lang) -> String {
    let Some((_, en, fi)) = CATALOGUE.iter().find(|(k, ..)| *k == key) else {
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
                out.push_str(&param(params.get(i).map_or("", String::as_str), lang));
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

fn param(p: &str, lang: Lang) -> String {
    match p.strip_prefix('@') {
        Some(nested) => {
            let mut parts = nested.split('\u{1f}');
            let key = parts.next().unwrap_or("");
            let params: Vec<String> = parts.map(str::to_string).collect();
            render(key, &params, lang)
        }
        None => p.to_string(),
    }
}

/// `(id, English, Finnish)`.
pub const CATALOGUE: &[(&str, &str, &str)] = &[
    // Built-in group names (see [`group_labels`]; the English text is the group's name).
    ("group_all_customers", "All customers", "Kaikki asiakkaat"),
    ("group_champions", "Champions", "Mestarit"),
    ("group_loyal_customers", "Loyal Customers", "Uskolliset asiakkaat"),
    ("group_potential_loyalists", "Potential Loyalists", "Tulevat kanta-asiakkaat"),
    ("group_new_customers", "New Customers", "Uudet asiakkaat"),
    ("group_promising", "Promising", "Lupaavat"),
    ("group_need_attention", "Need Attention", "Huomiota kaipaavat"),
    ("group_about_to_sleep", "About to Sleep", "Nukahtamassa"),
    ("group_at_risk", "At Risk", "Vaarassa"),
    ("group_cant_lose_them", "Can't Lose Them", "Ei saa menettää"),
    ("group_hibernating", "Hibernating", "Horroksessa"),
    ("group_lost", "Lost", "Menetetyt"),
    ("group_prospects", "Prospects", "Ostamattomat"),
    ("group_unscored", "Unscored", "Pisteyttämättömät"),
    ("group_prospect", "Prospect", "Ostamaton"),
    ("group_new", "New", "Uusi"),
    ("group_occasional", "Occasional", "Satunnainen"),
    ("group_loyal", "Loyal", "Uskollinen"),
    ("group_lapsed", "Lapsed", "Hiipunut"),
    ("group_unclassified", "Unclassified", "Luokittelematon"),
    ("group_high", "High", "Korkea"),
    ("group_medium", "Medium", "Keskitaso"),
    ("group_low", "Low", "Matala"),
    ("group_likely_lost", "Likely lost", "Todennäköisesti menetetty"),
    ("group_cluster", "Cluster {0}", "Klusteri {0}"),
    // Parser and lexer.
    (
        "empty_rule",
        "the rule is empty; write a condition such as orders_count >= 3",
        "sääntö on tyhjä; kirjoita ehto, esimerkiksi orders_count >= 3",
    ),
    ("end_of_rule", "end of rule", "säännön loppu"),
    ("unmatched_paren", "unmatched `)`", "pariton `)`"),
    (
        "unexpected_join",
        "unexpected {0}; join conditions with AND or OR",
        "odottamaton {0}; yhdistä ehdot sanalla AND tai OR",
    ),
    ("unterminated_string", "unterminated string; close it with '", "merkkijono jäi auki; sulje se merkillä '"),
    (
        "unterminated_name",
        "unterminated quoted column name; close it with \"",
        "lainausmerkeissä oleva sarakkeen nimi jäi auki; sulje se merkillä \"",
    ),
    (
        "expected_close_paren",
        "expected `)` to close the `(` at offset {0}, found {1}",
        "odotettiin `)`, joka sulkee kohdan {0} sulkeen `(`, löytyi {1}",
    ),
    ("expected_column", "expected a column name, found {0}", "odotettiin sarakkeen nimeä, löytyi {0}"),
    (
        "expected_column_keyword",
        "expected a column name, found the keyword {0}; a column with that name must be double-quoted: \"{1}\"",
        "odotettiin sarakkeen nimeä, löytyi avainsana {0}; sen niminen sarake kirjoitetaan lainausmerkkeihin: \"{1}\"",
    ),
    (
        "expected_column_string",
        "expected a column name, found the string {0}; column names go first and in double quotes if unusual: \"{1}\"",
        "odotettiin sarakkeen nimeä, löytyi merkkijono {0}; sarakkeen nimi tulee ensin, erikoinen nimi \
         lainausmerkeissä: \"{1}\"",
    ),
    (
        "expected_operator",
        "expected an operator after `{0}` (=, !=, <, <=, >, >=, BETWEEN, IN, IS NULL, CONTAINS, STARTS WITH, ENDS \
         WITH, LIKE, ILIKE, HAS), found {1}",
        "sarakkeen `{0}` jälkeen odotettiin operaattoria (=, !=, <, <=, >, >=, BETWEEN, IN, IS NULL, CONTAINS, \
         STARTS WITH, ENDS WITH, LIKE, ILIKE, HAS), löytyi {1}",
    ),
    (
        "expected_value",
        "expected a value (number, 'text', date, TRUE/FALSE, -90d), found {0}",
        "odotettiin arvoa (luku, 'teksti', päivämäärä, TRUE/FALSE, -90d), löytyi {0}",
    ),
    (
        "expected_value_word",
        "expected a value, found `{0}`; put text in single quotes: '{0}'",
        "odotettiin arvoa, löytyi `{0}`; kirjoita teksti heittomerkkeihin: '{0}'",
    ),
    (
        "expected_value_column",
        "expected a value, found the column name \"{0}\"; text values use single quotes: '{0}'",
        "odotettiin arvoa, löytyi sarakkeen nimi \"{0}\"; tekstiarvot kirjoitetaan heittomerkkeihin: '{0}'",
    ),
    (
        "null_value",
        "NULL is not a value to compare with (in SQL, `= NULL` is never true); write `column IS NULL` or `column IS \
         NOT NULL`",
        "NULL ei ole arvo, johon verrata (SQL:ssä `= NULL` ei ole koskaan tosi); kirjoita `sarake IS NULL` tai \
         `sarake IS NOT NULL`",
    ),
    (
        "expected_list_separator",
        "expected `,` or `)` in the {0} list, found {1}",
        "{0}-listassa odotettiin `,` tai `)`, löytyi {1}",
    ),
    // Link aggregates (`COUNT(orders WHERE …) >= 2`).
    (
        "expected_link_name",
        "expected the name of a linked table after {0}(, e.g. orders",
        "odotettiin linkitetyn taulun nimeä kohdan {0}( jälkeen, esim. orders",
    ),
    (
        "link_needs_column",
        "{0}() needs a column of the linked table: {0}({1}.\"Total\")",
        "{0}() tarvitsee linkitetyn taulun sarakkeen: {0}({1}.\"Total\")",
    ),
    (
        "link_counts_rows",
        "{0}() counts rows; write {0}({1} WHERE …) without a column",
        "{0}() laskee rivejä; kirjoita {0}({1} WHERE …) ilman saraketta",
    ),
    (
        "expected_link_close",
        "expected `)` to close {0}(, found {1}",
        "odotettiin `)`, joka sulkee kohdan {0}(, löytyi {1}",
    ),
    (
        "link_compare",
        "compare {0}(…) with a number, e.g. {0}(…) >= 2",
        "vertaa kohtaa {0}(…) lukuun, esim. {0}(…) >= 2",
    ),
    (
        "no_link",
        "no table is linked as `{0}`; link one first: ds.link('{0}', orders, { on: 'Email' })",
        "taulua `{0}` ei ole linkitetty; linkitä se ensin: ds.link('{0}', orders, { on: 'Email' })",
    ),
    (
        "no_such_link",
        "no table is linked as `{0}`; the linked tables are {1}",
        "taulua `{0}` ei ole linkitetty; linkitetyt taulut: {1}",
    ),
    // Resolution: unknown columns and type mismatches.
    (
        "unknown_column_suggest",
        "there is no column `{0}`; did you mean `{1}`?",
        "saraketta `{0}` ei ole; tarkoititko `{1}`?",
    ),
    ("unknown_column_list", "there is no column `{0}`; the columns are: {1}", "saraketta `{0}` ei ole; sarakkeet: {1}"),
    ("type_mismatch", "`{0}` is {1} ({2}), {3}; {4}", "`{0}` on tyyppiä {1} ({2}), {3}; {4}"),
    ("family_number", "number", "luku"),
    ("family_text", "text", "teksti"),
    ("family_bool", "bool", "totuusarvo"),
    ("family_tag_list", "tag list", "tunnistelista"),
    ("family_date", "date", "päivämäärä"),
    ("family_timestamp", "timestamp", "aikaleima"),
    ("not_cmp_number", "not comparable with a number", "ei vertailukelpoinen luvun kanssa"),
    ("not_cmp_text", "not comparable with text", "ei vertailukelpoinen tekstin kanssa"),
    ("not_cmp_bool", "not comparable with TRUE/FALSE", "ei vertailukelpoinen arvojen TRUE/FALSE kanssa"),
    ("not_cmp_date", "not comparable with a date", "ei vertailukelpoinen päivämäärän kanssa"),
    ("not_cmp_timestamp", "not comparable with a timestamp", "ei vertailukelpoinen aikaleiman kanssa"),
    ("not_text_function", "not text, so {0}() does not apply", "ei tekstiä, joten {0}() ei sovellu"),
    ("not_text_ops", "not text, so {0} do not apply", "ei tekstiä, joten {0} eivät sovellu"),
    ("only_has", "so only HAS and IS NULL apply", "joten vain HAS ja IS NULL soveltuvat"),
    (
        "not_bool_alone",
        "not bool, so it cannot stand alone as a condition",
        "ei totuusarvo, joten se ei kelpaa ehdoksi yksinään",
    ),
    ("bools_only_eq", "and bools only support =, != and IN", "ja totuusarvoille käyvät vain =, != ja IN"),
    ("example_number", "compare it with a number, e.g. {0} >= 3", "vertaa sitä lukuun, esim. {0} >= 3"),
    (
        "example_text",
        "compare it with text in single quotes, e.g. {0} = '{1}'",
        "vertaa sitä tekstiin heittomerkeissä, esim. {0} = '{1}'",
    ),
    (
        "example_bool",
        "use it on its own ({0}), or compare it with TRUE or FALSE, e.g. {0} = FALSE",
        "käytä sitä sellaisenaan ({0}) tai vertaa arvoon TRUE tai FALSE, esim. {0} = FALSE",
    ),
    (
        "example_tag_list",
        "test its elements with HAS, e.g. {0} HAS 'vip' or {0} HAS ANY ('vip', 'gold')",
        "testaa sen alkioita sanalla HAS, esim. {0} HAS 'vip' tai {0} HAS ANY ('vip', 'gold')",
    ),
    (
        "example_date",
        "compare it with a date or relative date, e.g. {0} >= 2026-08-03 or {0} >= -90d",
        "vertaa sitä päivämäärään tai suhteelliseen päivään, esim. {0} >= 2026-08-03 tai {0} >= -90d",
    ),
    (
        "example_timestamp",
        "compare it with a timestamp, date or relative date, e.g. {0} >= 2026-08-03T12:00:00Z or {0} >= -90d",
        "vertaa sitä aikaleimaan, päivämäärään tai suhteelliseen päivään, esim. {0} >= 2026-08-03T12:00:00Z tai {0} \
         >= -90d",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(t: &str) -> Vec<usize> {
        let mut v: Vec<usize> =
            t.split('{').skip(1).filter_map(|s| s.split('}').next().and_then(|n| n.parse().ok())).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Every entry has both languages with the same placeholders, and ids are unique.
    #[test]
    fn catalogue_is_complete() {
        let mut keys = std::collections::HashSet::new();
        for (key, en, fi) in CATALOGUE {
            assert!(keys.insert(*key), "{key} twice");
            assert!(!en.is_empty() && !fi.is_empty() && en != fi, "{key}");
            assert_eq!(placeholders(en), placeholders(fi), "{key}");
        }
    }

    /// Every built-in group name has labels, and the English label is the name itself.
    #[test]
    fn every_builtin_group_has_labels() {
        use crate::metrics::options::ALL_CUSTOMERS;
        use crate::models::clv::tiers::TIERS;
        use crate::segments::builtin::{LIFECYCLE_STAGES, RFM_SEGMENT_NAMES};
        let names =
            RFM_SEGMENT_NAMES.iter().chain(&LIFECYCLE_STAGES).chain(&TIERS).chain(&[ALL_CUSTOMERS, "Cluster 12"]);
        for name in names {
            let labels = group_labels(name).unwrap_or_else(|| panic!("{name} has no labels"));
            assert_eq!(labels.en, *name);
            assert_ne!(labels.fi, *name, "{name}");
        }
        assert_eq!(group_labels("Cluster 3").map(|l| l.fi), Some("Klusteri 3".into()));
        assert_eq!(group_labels("Cluster x"), None);
        assert_eq!(group_labels("Helsinki VIPs"), None);
    }

    #[test]
    fn renders_nested_parameters_in_the_same_language() {
        let m = Message::new("unexpected_join", [nested("end_of_rule", &[])]);
        assert_eq!(m.render(Lang::En), "unexpected end of rule; join conditions with AND or OR");
        assert_eq!(m.render(Lang::Fi), "odottamaton säännön loppu; yhdistä ehdot sanalla AND tai OR");
        let m = Message::new(
            "type_mismatch",
            [
                "tier".into(),
                "int8".into(),
                nested("family_number", &[]),
                nested("not_cmp_text", &[]),
                nested("example_number", &["tier"]),
            ],
        );
        assert_eq!(
            m.render(Lang::Fi),
            "`tier` on tyyppiä int8 (luku), ei vertailukelpoinen tekstin kanssa; vertaa sitä lukuun, esim. tier >= 3"
        );
        assert_eq!(Lang::from_tag("fi-FI"), Lang::Fi);
        assert_eq!(Lang::from_tag("sv"), Lang::En);
    }
}
