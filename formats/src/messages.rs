//! The readers' messages in English and Finnish: the engine's catalogue mechanism (`src/messages/text.rs`) with
//! the import texts only (`src/messages/import.rs`), compiled here from the engine's files as `type_name` is. The
//! texts stay in one place, the engine's catalogue directory, while this module links neither the engine's error
//! types nor its other texts, and each reader's module only its own (docs/sizes.md).

#[path = "../../src/messages/import.rs"]
#[allow(dead_code)] // a one-reader build links only its reader's table.
mod import;
#[path = "../../src/messages/text.rs"]
#[allow(dead_code)] // `expand` and `Message::encode` serve the engine's option parsing only.
mod text;

#[cfg(feature = "csv")]
pub use text::nested;
pub use text::{Lang, Message};

/// The tables `text.rs` renders from: the texts of the readers this build has.
const TABLES: &[&[(&str, &str, &str)]] = &[import::READERS, CSV, PARQUET];

/// The catalogue's own id equal to `key`, if this build has that text (JS asks for texts by name).
#[cfg(target_arch = "wasm32")]
pub fn known_key(key: &str) -> Option<&'static str> {
    TABLES.iter().flat_map(|t| t.iter()).map(|(k, ..)| *k).find(|k| *k == key)
}
#[cfg(feature = "csv")]
const CSV: &[(&str, &str, &str)] = import::CSV;
#[cfg(not(feature = "csv"))]
const CSV: &[(&str, &str, &str)] = &[];
#[cfg(feature = "parquet")]
const PARQUET: &[(&str, &str, &str)] = import::PARQUET;
#[cfg(not(feature = "parquet"))]
const PARQUET: &[(&str, &str, &str)] = &[];

#[cfg(test)]
mod tests {
    use super::*;

    /// Import texts render in both languages, with reasons nested in the same language.
    #[test]
    fn renders_import_texts() {
        let why = nested("why_int", &[]);
        let m = Message::new("csv_bad_value", ["3", "Orders", "2", "kolme", "int64", why.as_str()]);
        assert_eq!(
            m.render(Lang::En),
            "CSV line 3, column 'Orders' (field 2): 'kolme' cannot be read as int64 (not a whole number in the int64 \
             range). Fix the value, or read the column as text with types: { 'Orders': 'utf8' }"
        );
        assert_eq!(
            m.render(Lang::Fi),
            "CSV-rivi 3, sarake 'Orders' (kenttä 2): arvoa 'kolme' ei voi lukea tyyppinä int64 (ei kokonaisluku \
             int64-lukualueella). Korjaa arvo tai lue sarake tekstinä asetuksella types: { 'Orders': 'utf8' }"
        );
        let w = Message::new("warn_stays_text", ["Zip", "00100", &nested("why_leading_zero", &[])]);
        assert_eq!(
            w.render(Lang::Fi),
            "sarake 'Zip' pysyy tekstinä: arvot, kuten 00100, alkavat nollalla, joten ne ovat tunnuksia eivätkä \
             lukuja. Anna types: { 'Zip': 'int64' } (tai 'float64'), niin se luetaan lukuina"
        );
    }
}
