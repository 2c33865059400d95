//! The engine's message catalogue: one table with every catalogued message in English and Finnish, keyed by a
//! stable id, with `{0}`, `{1}`, … for its parameters. An error made from a [`Message`] keeps it
//! ([`crate::Error::message_id`]), so [`crate::Error::localized`] can say the same thing in another language; the
//! dashboard passes its language (`ds.segment(rule, { lang: 'fi' })`, `ds.analyze({ …, lang: 'fi' })`) instead of
//! keeping copies of the texts.
//!
//! A parameter may hold catalogued messages itself, written with [`nested`] (or [`Message::encode`]): they are
//! rendered in the same language, so "found {0}" with `nested("end_of_rule", &[])` says "found end of rule" /
//! "löytyi säännön loppu". The encoding (`\u{2}key\u{1f}param…\u{3}`) nests and may sit inside longer text, which
//! is how catalogued messages travel through serde's string-only errors (option parsing). Messages not in the
//! catalogue yet stay English in every language.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode};

// The import texts are the file readers' (`segmetry-formats` compiles them); here only for the catalogue's tests.
#[cfg(test)]
mod import;
mod serde_text;
mod text;

pub use serde_text::serde_in_finnish;
pub use text::{expand, nested, Lang, Message};

/// The tables `text.rs` renders from: the engine's catalogue.
const TABLES: &[&[(&str, &str, &str)]] = &[CATALOGUE];

impl Message {
    /// An error with `code` whose message is this one (English), localizable with [`crate::Error::localized`].
    pub fn into_error(self, code: ErrorCode) -> Error {
        let mut e = Error::new(code, self.render(Lang::En));
        e.message_id = Some(Box::new(self));
        e
    }
}

/// `e` with its message put in context by the catalogued `key`, whose last placeholder is the message and the
/// ones before it `params` ("option `{0}`: {1}"). The context is localizable as a whole; an inner message that is
/// not catalogued stays English inside it. A caret excerpt after the headline is kept.
pub fn in_context(mut e: Error, key: &'static str, params: &[&str]) -> Error {
    let (inner_en, inner) = match e.message_id.take() {
        Some(m) => (m.render(Lang::En), m.encode()),
        None => (e.message.clone(), e.message.clone()),
    };
    let outer = Message::new(key, params.iter().map(|p| p.to_string()).chain([inner]));
    e.message = e.message.replacen(&inner_en, &outer.render(Lang::En), 1);
    e.message_id = Some(Box::new(outer));
    e
}

/// A text in each language of the catalogue: a built-in group's display name, a group's description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Labels {
    /// English (for a group name: equal to the name).
    pub en: String,
    /// Finnish.
    pub fi: String,
}

impl Labels {
    /// `message` in each language.
    pub fn of(message: &Message) -> Labels {
        Labels { en: message.render(Lang::En), fi: message.render(Lang::Fi) }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Fi => &self.fi,
        }
    }

    /// `prefix: label` in each language; the prefix (a key of the user's options) stays as written.
    pub fn prefixed(&self, prefix: &str) -> Labels {
        Labels { en: format!("{prefix}: {}", self.en), fi: format!("{prefix}: {}", self.fi) }
    }
}

/// The labels of a built-in group name: RFM groups, lifecycle stages, spend tiers, `Cluster N`, `Unclustered`
/// and `All customers`. `None` for any other name (a user's segment is shown as it was written).
pub fn group_labels(name: &str) -> Option<Labels> {
    if let Some(n) = name.strip_prefix("Cluster ").filter(|n| n.parse::<u32>().is_ok()) {
        return Some(Labels::of(&Message::new("group_cluster", [n])));
    }
    let (key, ..) = CATALOGUE.iter().find(|(key, en, _)| key.starts_with("group_") && *en == name)?;
    Some(Labels::of(&Message::plain(key)))
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
    ("group_unclustered", "Unclustered", "Klusteroimattomat"),
    // Built-in group descriptions (`descriptions` of a group; see `segments::builtin`).
    (
        "desc_champions",
        "Bought most recently (R = 5), and buy often and spend the most (FM 4–5).",
        "Ostaneet viimeksi (R = 5), ostavat usein ja käyttävät eniten rahaa (FM 4–5).",
    ),
    (
        "desc_loyal_customers",
        "Buy often and spend a lot (FM 4–5), and bought fairly recently (R 3–4).",
        "Ostavat usein ja käyttävät paljon rahaa (FM 4–5), ja ostaneet melko äskettäin (R 3–4).",
    ),
    (
        "desc_potential_loyalists",
        "Recent customers (R 4–5) with average frequency and spend (FM 2–3).",
        "Äskettäin ostaneet (R 4–5), joiden ostotiheys ja rahankäyttö ovat keskitasoa (FM 2–3).",
    ),
    (
        "desc_new_customers",
        "Bought most recently (R = 5) but rarely and little so far (FM = 1).",
        "Ostaneet viimeksi (R = 5), mutta toistaiseksi harvoin ja vähän (FM = 1).",
    ),
    (
        "desc_promising",
        "Bought recently (R = 4) but rarely and little so far (FM = 1).",
        "Ostaneet äskettäin (R = 4), mutta toistaiseksi harvoin ja vähän (FM = 1).",
    ),
    (
        "desc_need_attention",
        "Middle of the road on recency, frequency and spend (R = 3, FM = 3).",
        "Keskitasoa ostojen tuoreudessa, tiheydessä ja rahankäytössä (R = 3, FM = 3).",
    ),
    (
        "desc_about_to_sleep",
        "Middling recency (R = 3) with low frequency and spend (FM 1–2).",
        "Keskinkertainen tuoreus (R = 3), vähäinen ostotiheys ja rahankäyttö (FM 1–2).",
    ),
    (
        "desc_at_risk",
        "Used to buy often and spend well (FM 3–4) but not for a long time (R 1–2).",
        "Ostivat ennen usein ja paljon (FM 3–4), mutta eivät ole ostaneet pitkään aikaan (R 1–2).",
    ),
    (
        "desc_cant_lose_them",
        "Among the best buyers and spenders (FM = 5) but not for a long time (R 1–2).",
        "Parhaita ostajia ja rahankäyttäjiä (FM = 5), mutta eivät ole ostaneet pitkään aikaan (R 1–2).",
    ),
    (
        "desc_hibernating",
        "Long since the last order (R = 2), with low frequency and spend (FM 1–2).",
        "Viimeisestä tilauksesta on pitkä aika (R = 2), vähäinen ostotiheys ja rahankäyttö (FM 1–2).",
    ),
    (
        "desc_lost",
        "The oldest last orders (R = 1), with low frequency and spend (FM 1–2).",
        "Vanhimmat viimeiset tilaukset (R = 1), vähäinen ostotiheys ja rahankäyttö (FM 1–2).",
    ),
    (
        "desc_prospects",
        "Customers with no orders yet ({0} ≤ 0); not scored.",
        "Asiakkaat, joilla ei vielä ole tilauksia ({0} ≤ 0); ei pisteytetty.",
    ),
    (
        "desc_rfm_unscored",
        "Customers with orders but a missing recency, frequency or monetary value; not scored.",
        "Asiakkaat, joilla on tilauksia mutta puuttuva tuoreus, ostotiheys tai rahamäärä; ei pisteytetty.",
    ),
    ("desc_prospect", "Customers with no orders yet.", "Asiakkaat, joilla ei vielä ole tilauksia."),
    ("orders_one", "1 order", "1 tilaus"),
    ("orders_many", "{0} orders", "{0} tilausta"),
    ("recent_within", "last order at most {0} days ago", "viimeinen tilaus on enintään {0} päivän takaa"),
    ("counted_from", " (days counted back from {0})", " (päivät laskettu taaksepäin päivästä {0})"),
    (
        "desc_new_tenure",
        "Customers with 1 to {0} whose {1} and first order at most {2} days ago{3}.",
        "Asiakkaat, joilla on 1–{0} ja joiden {1} ja ensimmäinen tilaus enintään {2} päivän takaa{3}.",
    ),
    ("desc_new", "Customers with 1 to {0} whose {1}{2}.", "Asiakkaat, joilla on 1–{0} ja joiden {1}{2}."),
    (
        "desc_occasional",
        "Customers with orders but neither new nor loyal (fewer than {0}) whose {1}{2}.",
        "Asiakkaat, joilla on tilauksia mutta jotka eivät ole uusia eivätkä uskollisia (alle {0}) ja joiden {1}{2}.",
    ),
    ("desc_loyal", "Customers with {0} or more whose {1}{2}.", "Asiakkaat, joilla on vähintään {0} ja joiden {1}{2}."),
    (
        "desc_lapsed",
        "Customers whose last order is more than {0} days ago{1}.",
        "Asiakkaat, joiden viimeisestä tilauksesta on yli {0} päivää{1}.",
    ),
    (
        "desc_unclassified",
        "Customers whose stage cannot be told because a needed value is missing.",
        "Asiakkaat, joiden vaihetta ei voi päätellä, koska tarvittava arvo puuttuu.",
    ),
    ("by_clv", "predicted lifetime value over {0} days", "ennustetun elinkaariarvon ({0} päivää)"),
    ("by_purchases", "expected purchases in the next {0} days", "odotettujen ostojen (seuraavat {0} päivää)"),
    (
        "desc_tier_high",
        "The top {0} of likely-active customers by {1}.",
        "Todennäköisesti aktiivisten asiakkaiden ylin {0} {1} mukaan.",
    ),
    (
        "desc_tier_medium",
        "The next {0} of likely-active customers by {1}.",
        "Todennäköisesti aktiivisten asiakkaiden seuraava {0} {1} mukaan.",
    ),
    (
        "desc_tier_low",
        "The remaining likely-active customers, lowest {0}.",
        "Loput todennäköisesti aktiiviset asiakkaat, pienimmät {0} mukaan.",
    ),
    (
        "desc_tier_lost",
        "Customers the purchase model gives less than a {0} chance of still buying (P(alive)).",
        "Asiakkaat, joiden todennäköisyys ostaa vielä on ostomallin mukaan alle {0} (P(alive)).",
    ),
    (
        "desc_tier_unscored",
        "Customers without a prediction because an input is missing or invalid.",
        "Asiakkaat ilman ennustetta, koska jokin syöte puuttuu tai on virheellinen.",
    ),
    (
        "desc_cluster",
        "{0} of {1} clustered customers ({2}%), centered on {3}.",
        "{0}/{1} klusteroidusta asiakkaasta ({2} %), keskipiste {3}.",
    ),
    (
        "desc_unclustered",
        "{0} customers with a missing value in {1}; not clustered.",
        "{0} asiakasta, joilta puuttuu arvo sarakkeista {1}; ei klusteroitu.",
    ),
    // Errors of analyze and its options (`ds.analyze({ …, lang })`).
    ("invalid_argument", "invalid argument `{0}`: {1}", "virheellinen argumentti `{0}`: {1}"),
    ("in_option", "option `{0}`: {1}", "asetus `{0}`: {1}"),
    ("in_segment", "segment `{0}`: {1}", "segmentti `{0}`: {1}"),
    ("in_builtin", "builtin `{0}`: {1}", "valmis segmentointi `{0}`: {1}"),
    ("in_metric", "metric `{0}`: {1}", "mittari `{0}`: {1}"),
    (
        "column_defaulted",
        "{2} (`{0}` defaults to `{1}`; name your column with `{0}: '…'`, or pass `{0}: null` to analyze without it)",
        "{2} (`{0}` on oletuksena `{1}`; nimeä sarakkeesi asetuksella `{0}: '…'` tai anna `{0}: null`, niin analyysi \
         tehdään ilman sitä)",
    ),
    ("unknown_option_suggest", "unknown option; did you mean `{0}`?", "tuntematon asetus; tarkoititko `{0}`?"),
    ("unknown_option_list", "unknown option; the options are {0}", "tuntematon asetus; asetukset ovat {0}"),
    (
        "unknown_builtin",
        "unknown builtin `{0}`; use 'rfm', 'lifecycle', 'clusters' or 'spendTier'",
        "tuntematon valmis segmentointi `{0}`; käytä arvoa 'rfm', 'lifecycle', 'clusters' tai 'spendTier'",
    ),
    (
        "unknown_metric_key_suggest",
        "unknown key `{0}`; did you mean `{1}`?",
        "tuntematon avain `{0}`; tarkoititko `{1}`?",
    ),
    (
        "unknown_metric_key_list",
        "unknown key `{0}`; a metric's keys are {1}",
        "tuntematon avain `{0}`; mittarin avaimet ovat {1}",
    ),
    (
        "unknown_metric_type",
        "unknown metric type `{0}`; the types are 'proportion', 'mean', 'ratio' and 'nps'",
        "tuntematon mittarityyppi `{0}`; tyypit ovat 'proportion', 'mean', 'ratio' ja 'nps'",
    ),
    (
        "unknown_metric_role",
        "unknown metric role `{0}`; the roles are 'goal', 'secondary' and 'guardrail'",
        "tuntematon mittarin rooli `{0}`; roolit ovat 'goal', 'secondary' ja 'guardrail'",
    ),
    ("metric_name_empty", "metric names must not be empty", "mittarin nimi ei saa olla tyhjä"),
    (
        "ratio_shape",
        "a ratio metric is { type: 'ratio', numerator: 'Column', denominator: 'Column' }, without `column`",
        "suhdemittari kirjoitetaan { type: 'ratio', numerator: 'Sarake', denominator: 'Sarake' } ilman avainta \
         `column`",
    ),
    (
        "ratio_keys_need_type",
        "`numerator` and `denominator` need `type: 'ratio'`",
        "`numerator` ja `denominator` vaativat asetuksen `type: 'ratio'`",
    ),
    (
        "metric_needs_column",
        "needs `column` (or `type: 'ratio'` with `numerator` and `denominator`)",
        "tarvitsee avaimen `column` (tai `type: 'ratio'` sekä `numerator` ja `denominator`)",
    ),
    (
        "covariate_applies",
        "`covariate` (CUPED) applies to mean and proportion metrics",
        "`covariate` (CUPED) soveltuu vain keskiarvo- ja osuusmittareille",
    ),
    (
        "metric_type_mismatch",
        "metric `{0}` names column `{1}`, which is {2}; a {3} metric needs {4}",
        "mittari `{0}` käyttää saraketta `{1}`, jonka tyyppi on {2}; {3}-mittarille kelpaa {4}",
    ),
    (
        "option_type_mismatch",
        "option `{0}` names column `{1}`, which is {2}; it must be {3}",
        "asetus `{0}` käyttää saraketta `{1}`, jonka tyyppi on {2}; sen pitää olla {3}",
    ),
    ("want_proportion", "a bool column, numbers 0/1 or yes/no text", "totuusarvosarake, luvut 0/1 tai kyllä/ei-teksti"),
    ("want_ratio", "a numeric or bool column", "luku- tai totuusarvosarake"),
    (
        "want_numeric",
        "a numeric column (integer, float or decimal)",
        "lukusarake (kokonaisluku, liukuluku tai desimaaliluku)",
    ),
    (
        "want_conversion",
        "a bool column or a numeric column of 0/1 values",
        "totuusarvosarake tai lukusarake, jonka arvot ovat 0/1",
    ),
    (
        "variant_type",
        "the variant column `{0}` is {1}; variants must be text (utf8 or dictionary), integers or bools",
        "varianttisarake `{0}` on tyyppiä {1}; variantin pitää olla tekstiä (utf8 tai sanakirja), kokonaisluku tai \
         totuusarvo",
    ),
    (
        "too_many_variants",
        "the variant column `{0}` has more than {1} distinct values; is it really the column that holds the A/B \
         assignment?",
        "varianttisarakkeessa `{0}` on yli {1} eri arvoa; onko se varmasti sarake, jossa on A/B-jako?",
    ),
    ("variant_option_empty", "must name the column holding the variant", "pitää nimetä sarake, jossa variantti on"),
    (
        "no_control",
        "there is no variant `{0}` in column `{1}`; the variants are {2}",
        "sarakkeessa `{1}` ei ole varianttia `{0}`; variantit ovat {2}",
    ),
    (
        "conversion_not_01",
        "the conversion column `{0}` holds {1} at row {2}; a numeric conversion column must hold only 0 and 1 (or \
         null)",
        "konversiosarakkeessa `{0}` on arvo {1} rivillä {2}; numeerisessa konversiosarakkeessa saa olla vain 0 ja 1 \
         (tai tyhjä)",
    ),
    (
        "not_finite",
        "column `{0}` holds {1} at row {2}; metric values must be finite numbers (or null)",
        "sarakkeessa `{0}` on arvo {1} rivillä {2}; mittarin arvojen pitää olla äärellisiä lukuja (tai tyhjiä)",
    ),
    (
        "between_0_and_1",
        "must lie strictly between 0 and 1, e.g. {0}; got {1}",
        "pitää olla aidosti välillä 0–1, esim. {0}; saatiin {1}",
    ),
    (
        "covariate_needs_revenue",
        "CUPED adjusts revenue, so it needs the `revenue` option",
        "CUPED korjaa tuloa, joten se tarvitsee asetuksen `revenue`",
    ),
    (
        "duplicate_segment",
        "two segments are called `{0}`; rename one",
        "kaksi segmenttiä on nimeltään `{0}`; nimeä toinen uudelleen",
    ),
    // Loading Arrow IPC (`loadDataset(bytes, { lang })`).
    (
        "not_arrow_ipc",
        "the input ({0} bytes, starting {1}) is neither an Arrow IPC stream nor an Arrow IPC file; CSV and Parquet \
         files must be converted first (the dashboard does this for dropped files)",
        "syöte ({0} tavua, alkaa {1}) ei ole Arrow IPC -virta eikä Arrow IPC -tiedosto; CSV- ja Parquet-tiedostot \
         pitää muuntaa ensin (koontinäyttö tekee sen pudotetuille tiedostoille)",
    ),
    (
        "arrow_stream_truncated",
        "the Arrow stream is truncated: it ends inside a message after {0} bytes; make sure the whole file or buffer \
         was passed",
        "Arrow-virta on katkennut: se päättyy kesken viestin {0} tavun jälkeen; varmista, että koko tiedosto tai \
         puskuri annettiin",
    ),
    (
        "arrow_file_truncated",
        "the Arrow file is truncated or damaged ({0} bytes, no valid footer); make sure the whole file was passed",
        "Arrow-tiedosto on katkennut tai vioittunut ({0} tavua, ei kelvollista loppuosaa); varmista, että koko \
         tiedosto annettiin",
    ),
    (
        "unsupported_column_type",
        "column `{0}` has type {1}, which segmetry cannot read; {2}",
        "sarakkeen `{0}` tyyppi on {1}, jota segmetry ei osaa lukea; {2}",
    ),
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
    // The prepare verbs (`aggregate`, `join`, `customerFeatures` with `{ lang }`).
    ("in_value", "values.{0}: {1}", "asetus `values.{0}`: {1}"),
    (
        "agg_no_values",
        "give at least one output column, e.g. { orders_count: 'count_distinct(Name)' }",
        "anna vähintään yksi tulossarake, esim. { orders_count: 'count_distinct(Name)' }",
    ),
    (
        "agg_duplicate_output",
        "the output column `{0}` appears twice (the key column is `{1}`); rename one",
        "tulossarake `{0}` esiintyy kahdesti (avainsarake on `{1}`); nimeä toinen uudelleen",
    ),
    ("agg_end", "the end", "lausekkeen loppu"),
    (
        "agg_expected_function",
        "expected an aggregate such as sum(Total), found {0}; the functions are: {1}",
        "odotettiin koostefunktiota, kuten sum(Total), löytyi {0}; funktiot ovat: {1}",
    ),
    (
        "agg_unknown_suggest",
        "unknown aggregate `{0}`; did you mean `{1}`?",
        "tuntematon koostefunktio `{0}`; tarkoititko `{1}`?",
    ),
    (
        "agg_unknown_list",
        "unknown aggregate `{0}`; the functions are: {1}",
        "tuntematon koostefunktio `{0}`; funktiot ovat: {1}",
    ),
    ("agg_expected_open", "expected `(` after {0}, found {1}", "funktion {0} jälkeen odotettiin `(`, löytyi {1}"),
    ("agg_after_close", "unexpected {0} after the closing `)`", "odottamaton {0} loppusulkeen `)` jälkeen"),
    (
        "agg_sum_if_args",
        "sum_if takes a column and a rule: sum_if(Total, \"Financial Status\" = 'paid')",
        "sum_if tarvitsee sarakkeen ja säännön: sum_if(Total, \"Financial Status\" = 'paid')",
    ),
    (
        "agg_one_column",
        "{0} takes one column; put names with spaces in double quotes",
        "{0} ottaa yhden sarakkeen; kirjoita välilyöntejä sisältävät nimet lainausmerkkeihin",
    ),
    ("agg_missing_close", "missing `)`", "`)` puuttuu"),
    (
        "agg_needs_column",
        "{0} needs a column, e.g. {0}(Total) or {0}(\"Created at\")",
        "{0} tarvitsee sarakkeen, esim. {0}(Total) tai {0}(\"Created at\")",
    ),
    (
        "agg_needs_rule",
        "{0} needs a rule, e.g. {0}(\"Financial Status\" = 'paid')",
        "{0} tarvitsee säännön, esim. {0}(\"Financial Status\" = 'paid')",
    ),
    (
        "agg_type_mismatch",
        "{0}() cannot use `{1}`, which is {2}; {3}",
        "{0}() ei voi käyttää saraketta `{1}`, jonka tyyppi on {2}; {3}",
    ),
    (
        "agg_hint_bool",
        "for true/false columns use any(...) or all(...)",
        "käytä totuusarvosarakkeille funktiota any(...) tai all(...)",
    ),
    (
        "agg_hint_number",
        "it needs a number column; import the column as float64 (types option of loadFile) if it holds amounts",
        "se tarvitsee lukusarakkeen; jos sarakkeessa on rahamääriä, tuo se tyyppinä float64 (loadFile-funktion \
         types-asetus)",
    ),
    (
        "agg_sum_overflow",
        "the sum of `{0}` does not fit in 64 bits; convert it to float64",
        "sarakkeen `{0}` summa ei mahdu 64 bittiin; muunna sarake tyypiksi float64",
    ),
    (
        "join_no_key",
        "name the key column: on: 'Email' or on: ['Email Address', 'Email']",
        "nimeä avainsarake: on: 'Email' tai on: ['Email Address', 'Email']",
    ),
    (
        "join_duplicate_keys",
        "the right table has {0} key value(s) in `{1}` that appear more than once, e.g. `{2}`{3}; a join needs one \
         right row per key, so aggregate the right table first, e.g. right.aggregate({ by: '{1}', values: { … } })",
        "oikean taulun sarakkeessa `{1}` on useammin kuin kerran esiintyviä avainarvoja ({0} kpl), esim. `{2}`{3}; \
         liitos tarvitsee yhden oikean rivin avainta kohden, joten kokoa oikea taulu ensin, esim. \
         right.aggregate({ by: '{1}', values: { … } })",
    ),
    (
        "join_duplicate_hint",
        " (with normalizeKey: 'email' or 'text' even more keys may coincide)",
        " (asetuksella normalizeKey: 'email' tai 'text' vielä useampi avain voi osua yhteen)",
    ),
    (
        "join_fill_mismatch",
        "fill value {0} does not fit column `{1}`, which is {2}",
        "täyttöarvo {0} ei sovi sarakkeeseen `{1}`, jonka tyyppi on {2}",
    ),
    (
        "features_relative_where",
        "the where rule uses a relative date (today, -90d); give referenceDate as YYYY-MM-DD",
        "where-säännössä on suhteellinen päivä (today, -90d); anna referenceDate muodossa VVVV-KK-PP",
    ),
    (
        "features_wrong_type",
        "`{0}` column `{1}` is {2}, but it must be {3}; import it with the types option of loadFile",
        "`{0}`-sarake `{1}` on tyyppiä {2}, mutta sen pitää olla {3}; tuo se loadFile-funktion types-asetuksella",
    ),
    ("want_date", "a date or timestamp", "päivämäärä tai aikaleima"),
    ("want_number", "a number", "luku"),
    (
        "unknown_normalize_key",
        "`{0}` is not a key normalization; use 'email', 'text' or 'none'",
        "`{0}` ei ole avaimen normalisointi; käytä arvoa 'email', 'text' tai 'none'",
    ),
    (
        "key_type",
        "column `{0}` is {1} and cannot be a key; use a text or integer column (an e-mail, an id)",
        "sarake `{0}` on tyyppiä {1} eikä kelpaa avaimeksi; käytä teksti- tai kokonaislukusaraketta (sähköposti, \
         tunniste)",
    ),
    // Built-in segmentations' options (`ds.rfm({ …, lang })`, `ds.lifecycle({ …, lang })`).
    (
        "builtin_not_numeric",
        "option `{0}` names column `{1}`, which is {2} ({3}); it must hold {4}: an integer, float or decimal column, \
         or a date or timestamp column; choose another column or convert this one before loading",
        "asetus `{0}` käyttää saraketta `{1}`, jonka tyyppi on {2} ({3}); siinä pitää olla {4}: kokonaisluku-, \
         liukuluku- tai desimaalisarake tai päivämäärä- tai aikaleimasarake; valitse toinen sarake tai muunna tämä \
         ennen lataamista",
    ),
    ("kind_bool", "true/false values", "totuusarvoja"),
    ("kind_text", "text", "tekstiä"),
    ("kind_other", "not numbers", "ei lukuja"),
    (
        "holds_dates_number",
        "option `{0}` names column `{1}`, which holds dates; it must hold {2} (a number)",
        "asetus `{0}` käyttää saraketta `{1}`, jossa on päivämääriä; siinä pitää olla {2} (luku)",
    ),
    (
        "holds_dates",
        "option `{0}` names column `{1}`, which holds dates; it must hold {2}",
        "asetus `{0}` käyttää saraketta `{1}`, jossa on päivämääriä; siinä pitää olla {2}",
    ),
    (
        "purpose_days_last",
        "the days since the last order, or the date of the last order",
        "päivät viimeisestä tilauksesta tai viimeisen tilauksen päivämäärä",
    ),
    (
        "purpose_days_first",
        "the days since the first order, or the date of the first order",
        "päivät ensimmäisestä tilauksesta tai ensimmäisen tilauksen päivämäärä",
    ),
    ("purpose_orders", "a number of orders", "tilausten määrä"),
    ("purpose_money", "an amount of money", "rahamäärä"),
    ("purpose_cluster", "numbers to cluster on", "lukuja, joiden mukaan klusteroidaan"),
    ("purpose_link", "numbers, dates or timestamps", "lukuja, päivämääriä tai aikaleimoja"),
    ("purpose_repeat", "the number of repeat purchases", "toistuvien ostojen määrä"),
    ("purpose_repeat_span", "the time from the first to the last purchase", "aika ensimmäisestä ostosta viimeiseen"),
    (
        "purpose_age",
        "the time from the first purchase to the reference date",
        "aika ensimmäisestä ostosta viitepäivään",
    ),
    ("purpose_mean_value", "the mean repeat-order value", "toistuvien tilausten keskimääräinen arvo"),
    ("purpose_first_date", "the date of the first order", "ensimmäisen tilauksen päivämäärä"),
    ("purpose_last_date", "the date of the last order", "viimeisen tilauksen päivämäärä"),
    ("purpose_days_since_last", "the days since the last order", "päivät viimeisestä tilauksesta"),
    ("purpose_total_spent", "the total spent", "ostojen yhteissumma"),
    (
        "clv_needed_with_frequency",
        "is needed with `frequency`: name the column (or leave out `frequency`)",
        "tarvitaan, kun `frequency` on annettu: nimeä sarake (tai jätä `frequency` pois)",
    ),
    (
        "clv_reference_for_days",
        "is needed with lastOrderDays: the date the days count to",
        "tarvitaan lastOrderDays-asetuksen kanssa: päivä, johon päivät lasketaan",
    ),
    (
        "clv_reference_no_orders",
        "cannot default to the latest last order: no row has one",
        "ei voi oletuksena olla viimeisin tilauspäivä: yhdelläkään rivillä ei ole tilauspäivää",
    ),
    ("clv_days_positive", "must be a number of days > 0 (e.g. {0})", "pitää olla päivien määrä > 0 (esim. {0})"),
    (
        "clv_discount_rate",
        "must be a rate per month > −1 (0.01 = 1 % a month)",
        "pitää olla kuukausikorko > −1 (0.01 = 1 % kuukaudessa)",
    ),
    (
        "clv_too_few_rows",
        "only {0} row(s) have usable inputs; the purchase model needs customers with a frequency ≥ 0, 0 ≤ recency ≤ T \
         and T > 0",
        "vain {0} rivillä on käyttökelpoiset syötteet; ostomalli tarvitsee asiakkaita, joilla frequency ≥ 0, \
         0 ≤ recency ≤ T ja T > 0",
    ),
    (
        "clv_not_finite",
        "the purchase model could not be fitted: the likelihood is not finite",
        "ostomallia ei voitu sovittaa: uskottavuus ei ole äärellinen",
    ),
    (
        "clv_tier_shares",
        "highShare and mediumShare must be shares between 0 and 1 that add up to at most 1 (e.g. 0.2 and 0.3)",
        "highShare ja mediumShare pitää olla osuuksia väliltä 0–1, joiden summa on enintään 1 (esim. 0.2 ja 0.3)",
    ),
    (
        "clv_lost_below",
        "must be a probability between 0 and 1 (e.g. 0.3)",
        "pitää olla todennäköisyys väliltä 0–1 (esim. 0.3)",
    ),
    ("holdout_date_column", "must name a date or timestamp column", "pitää nimetä päivämäärä- tai aikaleimasarake"),
    ("holdout_amount_column", "must name a number column", "pitää nimetä lukusarake"),
    (
        "holdout_end_after_cutoff",
        "must be after calibrationEnd (the holdout period is the days between them)",
        "pitää olla calibrationEnd-päivän jälkeen (vertailujakso on niiden väliset päivät)",
    ),
    (
        "option_column_empty",
        "must not be empty; name a column of the dataset",
        "ei saa olla tyhjä; nimeä jokin aineiston sarake",
    ),
    ("option_column_or_none", "must name a column, or be left out", "pitää nimetä sarake tai jättää pois"),
    (
        "rfm_id_empty",
        "must name a column, or be left out to break ties by row order",
        "pitää nimetä sarake tai jättää pois, jolloin tasatilanteet ratkaistaan rivijärjestyksellä",
    ),
    (
        "lifecycle_new_max",
        "must be at least 1 (a new customer has ordered)",
        "pitää olla vähintään 1 (uusi asiakas on tilannut)",
    ),
    (
        "lifecycle_loyal_min",
        "must be greater than thresholds.newMaxOrders ({0}), or the New and Loyal stages would overlap",
        "pitää olla suurempi kuin thresholds.newMaxOrders ({0}), muuten vaiheet New ja Loyal menisivät päällekkäin",
    ),
    ("days_at_least_0", "must be a number of days ≥ 0", "pitää olla päivien määrä ≥ 0"),
    (
        "days_or_null",
        "must be a number of days ≥ 0, or null to ignore tenure",
        "pitää olla päivien määrä ≥ 0 tai null, jolloin asiakkuuden kestoa ei huomioida",
    ),
    // Rarer option errors of segments, links and member exports.
    (
        "reference_date_invalid",
        "`{0}` is not a date; write it as YYYY-MM-DD (e.g. 2024-06-30) or YYYY-MM-DDTHH:MM:SSZ (UTC)",
        "`{0}` ei ole päivämäärä; kirjoita se muodossa VVVV-KK-PP (esim. 2024-06-30) tai VVVV-KK-PPTHH:MM:SSZ (UTC)",
    ),
    ("reference_date_required", "is required (YYYY-MM-DD)", "on pakollinen (VVVV-KK-PP)"),
    (
        "link_name_invalid",
        "`{0}` cannot name a link; use letters, digits and _ (not a keyword), e.g. 'orders'",
        "`{0}` ei kelpaa linkin nimeksi; käytä kirjaimia, numeroita ja merkkiä _ (ei avainsanaa), esim. 'orders'",
    ),
    (
        "link_table_invalid",
        "`{0}` does not name a table; give the table or view the link's rows are in, e.g. 'analytics.orders'",
        "`{0}` ei nimeä taulua; anna taulu tai näkymä, jossa linkin rivit ovat, esim. 'analytics.orders'",
    ),
    (
        "export_no_columns",
        "name at least one column, e.g. columns: ['Email']",
        "nimeä vähintään yksi sarake, esim. columns: ['Email']",
    ),
    (
        "member_id_type",
        "id column `{0}` is {1}; member ids must be an integer, float, decimal or text column",
        "tunnistesarake `{0}` on tyyppiä {1}; jäsenten tunnisteiden pitää olla kokonaisluku-, liukuluku-, desimaali- \
         tai tekstisarake",
    ),
    // Clusters' options (`ds.clusters({ …, lang })`).
    (
        "clusters_too_few_rows",
        "only {0} of {1} rows have a value in every chosen column; clustering needs at least 2",
        "vain {0}/{1} rivillä on arvo kaikissa valituissa sarakkeissa; klusterointi tarvitsee vähintään 2",
    ),
    (
        "clusters_constant",
        "every chosen column has a single value over the rows with values; choose columns that vary",
        "jokaisessa valitussa sarakkeessa on vain yksi arvo niillä riveillä, joilla on arvot; valitse sarakkeita, \
         joiden arvot vaihtelevat",
    ),
    (
        "clusters_k_rows",
        "is {0} but only {1} rows have a value in every chosen column",
        "on {0}, mutta vain {1} rivillä on arvo kaikissa valituissa sarakkeissa",
    ),
    (
        "clusters_choose_k_rows",
        "only {0} rows have a value in every chosen column; choosing k needs at least 3",
        "vain {0} rivillä on arvo kaikissa valituissa sarakkeissa; k:n valinta tarvitsee vähintään 3",
    ),
    (
        "clusters_k_points",
        "is {0} but the rows hold fewer than {0} distinct points on the chosen columns",
        "on {0}, mutta riveillä on valituissa sarakkeissa alle {0} erillistä pistettä",
    ),
    (
        "clusters_few_points",
        "the rows hold too few distinct points on the chosen columns to form 2 clusters",
        "riveillä on valituissa sarakkeissa liian vähän erillisiä pisteitä 2 klusteriin",
    ),
    (
        "clusters_no_columns",
        "name at least one numeric column to cluster on",
        "nimeä vähintään yksi lukusarake, jonka mukaan klusteroidaan",
    ),
    ("clusters_empty_name", "column names must not be empty", "sarakkeiden nimet eivät saa olla tyhjiä"),
    ("clusters_listed_twice", "`{0}` is listed twice", "`{0}` on listassa kahdesti"),
    ("must_be_between", "must be between {0} and {1} (got {2})", "pitää olla välillä {0}–{1} (saatiin {2})"),
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

    /// Every entry of the engine's and the readers' tables has both languages with the same placeholders, and
    /// ids are unique across both.
    #[test]
    fn catalogue_is_complete() {
        let mut keys = std::collections::HashSet::new();
        let tables = [CATALOGUE, import::READERS, import::CSV, import::PARQUET];
        for (key, en, fi) in tables.iter().flat_map(|t| t.iter()) {
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
        // A column named like an old-style nested parameter is text, not a message.
        assert_eq!(Message::new("in_metric", ["@end_of_rule", "x"]).render(Lang::Fi), "mittari `@end_of_rule`: x");
    }

    /// Messages nest to any depth inside parameters and inside longer text (serde's string errors).
    #[test]
    fn expands_encoded_messages_in_text() {
        let inner = Message::new("unknown_metric_key_suggest", ["colum", "column"]);
        let text = format!("`metrics`: {}", nested("in_metric", &["rev", &inner.encode()]));
        assert_eq!(expand(&text, Lang::En), "`metrics`: metric `rev`: unknown key `colum`; did you mean `column`?");
        assert_eq!(
            expand(&text, Lang::Fi),
            "`metrics`: mittari `rev`: tuntematon avain `colum`; tarkoititko `column`?"
        );
        assert_eq!(expand("no message \u{2}open", Lang::Fi), "no message \u{2}open");
        // Text a caller wrote may hold the control characters, nested 100,000 deep: rendered in bounded depth
        // (no stack overflow) and linear time.
        let deep = nested("in_metric", &["x", "y"]);
        let hostile = format!("{}{}", "\u{2}in_metric\u{1f}".repeat(100_000), "\u{3}".repeat(100_000));
        let out = expand(&hostile, Lang::Fi);
        assert!(out.contains('\u{2}') && out.len() < hostile.len() * 2, "{}", out.len());
        assert_eq!(expand(&deep, Lang::Fi), "mittari `x`: y");
    }

    /// A context around a catalogued error is localized as a whole; the caret excerpt after the headline stays.
    #[test]
    fn context_localizes_prefix_and_message() {
        let e = Message::new("unknown_column_suggest", ["Varaint", "Variant"]).into_error(ErrorCode::UnknownColumn);
        let e = Error { message: format!("{}\n  excerpt", e.message), ..e };
        let e = in_context(e, "in_option", &["variant"]);
        assert_eq!(e.message, "option `variant`: there is no column `Varaint`; did you mean `Variant`?\n  excerpt");
        let fi = e.localized(Lang::Fi);
        assert_eq!(fi.message, "asetus `variant`: saraketta `Varaint` ei ole; tarkoititko `Variant`?\n  excerpt");
        assert_eq!(fi.code, ErrorCode::UnknownColumn);
        // Not catalogued: the context is localized, the inner text stays English.
        let e = in_context(Error::new(ErrorCode::Internal, "boom"), "in_segment", &["s"]);
        assert_eq!(e.message, "segment `s`: boom");
        assert_eq!(e.localized(Lang::Fi).message, "segmentti `s`: boom");
        assert_eq!(Lang::from_tag("sv"), Lang::En);
    }
}
