//! Rule errors in Finnish: the engine's message catalogue (`src/messages.rs`) gives the editor's everyday errors —
//! syntax, unknown columns with their "did you mean", type mismatches — in English and Finnish; `localized`
//! swaps the headline and keeps the code, the span and the caret excerpt.

use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Int32Array, RecordBatch, StringArray};
use arrow_schema::{Field, Schema};
use segmetry::ingest::Dataset;
use segmetry::messages::Lang;
use segmetry::segments::{Rule, RuleOptions};
use segmetry::ErrorCode;

fn dataset() -> Dataset {
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("country", Arc::new(StringArray::from(vec!["FI", "SE"]))),
        ("orders_count", Arc::new(Int32Array::from(vec![3, 1]))),
        ("newsletter", Arc::new(BooleanArray::from(vec![true, false]))),
    ];
    let fields: Vec<Field> = columns.iter().map(|(n, a)| Field::new(*n, a.data_type().clone(), true)).collect();
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), columns.into_iter().map(|(_, a)| a).collect()).unwrap();
    Dataset::from_batches(schema, vec![batch]).unwrap()
}

#[test]
fn editor_errors_have_a_finnish_headline() {
    let ds = dataset();
    let options = RuleOptions::with_reference_date("2026-11-01").unwrap();
    for (rule, code, finnish) in [
        ("", ErrorCode::RuleSyntax, "sääntö on tyhjä; kirjoita ehto, esimerkiksi orders_count >= 3"),
        ("orders_cont >= 3", ErrorCode::UnknownColumn, "saraketta `orders_cont` ei ole; tarkoititko `orders_count`?"),
        ("zzz = 1", ErrorCode::UnknownColumn, "saraketta `zzz` ei ole; sarakkeet: `country`, `orders_count`, `newsletter`"),
        ("orders_count >=", ErrorCode::RuleSyntax, "odotettiin arvoa (luku, 'teksti', päivämäärä, TRUE/FALSE, -90d), löytyi säännön loppu"),
        ("country = 'FI", ErrorCode::RuleSyntax, "merkkijono jäi auki; sulje se merkillä '"),
        ("country = FI", ErrorCode::RuleSyntax, "odotettiin arvoa, löytyi `FI`; kirjoita teksti heittomerkkeihin: 'FI'"),
        ("(country = 'FI'", ErrorCode::RuleSyntax, "odotettiin `)`, joka sulkee kohdan 0 sulkeen `(`, löytyi säännön loppu"),
        ("country IN ('FI' 'SE')", ErrorCode::RuleSyntax, "IN-listassa odotettiin `,` tai `)`, löytyi `'SE'`"),
        ("country = 'FI' orders_count", ErrorCode::RuleSyntax, "odottamaton `orders_count`; yhdistä ehdot sanalla AND tai OR"),
        ("orders_count 3", ErrorCode::RuleSyntax, "sarakkeen `orders_count` jälkeen odotettiin operaattoria"),
        ("country = NULL", ErrorCode::RuleSyntax, "NULL ei ole arvo, johon verrata"),
        ("AND = 1", ErrorCode::RuleSyntax, "odotettiin sarakkeen nimeä, löytyi avainsana `AND`"),
        (
            "orders_count = 'x'",
            ErrorCode::TypeMismatch,
            "`orders_count` on tyyppiä int32 (luku), ei vertailukelpoinen tekstin kanssa; vertaa sitä lukuun, esim. \
             orders_count >= 3",
        ),
        (
            "country > 3",
            ErrorCode::TypeMismatch,
            "`country` on tyyppiä utf8 (teksti), ei vertailukelpoinen luvun kanssa; vertaa sitä tekstiin heittomerkeissä, \
             esim. country = 'FI'",
        ),
        ("lower(orders_count) = 1", ErrorCode::TypeMismatch, "ei tekstiä, joten lower() ei sovellu"),
        ("orders_count", ErrorCode::TypeMismatch, "ei totuusarvo, joten se ei kelpaa ehdoksi yksinään"),
        ("newsletter BETWEEN TRUE AND FALSE", ErrorCode::TypeMismatch, "ja totuusarvoille käyvät vain =, != ja IN"),
        ("EXISTS(orders)", ErrorCode::UnknownColumn, "taulua `orders` ei ole linkitetty; linkitä se ensin"),
        ("SUM(orders) > 1", ErrorCode::RuleSyntax, "SUM() tarvitsee linkitetyn taulun sarakkeen: SUM(orders.\"Total\")"),
        ("COUNT(orders)", ErrorCode::RuleSyntax, "vertaa kohtaa COUNT(…) lukuun"),
    ] {
        let en = Rule::parse_for(rule, &ds, &options).unwrap_err();
        let fi = en.clone().localized(Lang::Fi);
        assert_eq!((fi.code, fi.span, &fi.subject), (code, en.span, &en.subject), "{rule}");
        let (en_lines, fi_lines): (Vec<&str>, Vec<&str>) = (en.message.lines().collect(), fi.message.lines().collect());
        assert!(fi_lines[0].contains(finnish), "{rule}:\n  {}\n  want {finnish}", fi_lines[0]);
        assert_ne!(fi_lines[0], en_lines[0], "{rule}");
        // The caret excerpt is the same; English is what it always was.
        assert_eq!(fi_lines[1..], en_lines[1..], "{rule}");
        assert_eq!(en.clone().localized(Lang::En), en, "{rule}");
    }
}

#[test]
fn uncatalogued_messages_stay_english() {
    let ds = dataset();
    let options = RuleOptions::with_reference_date("2026-11-01").unwrap();
    let en = Rule::parse_for("country LIKE 'a' ESCAPE 'ab'", &ds, &options).unwrap_err();
    assert_eq!(en.clone().localized(Lang::Fi).message, en.message);
}
