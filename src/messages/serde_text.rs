//! serde's own option-error texts in Finnish. Options are parsed by serde, whose errors (`unknown variant`,
//! `invalid type`, `missing field`, …) are English sentences built inside serde; the catalogued headline around
//! them is translated, so without this a Finnish error read "virheellinen argumentti `difference`: unknown variant
//! …". serde writes these sentences in a fixed form (serde::de::Error's provided methods and `Unexpected`'s
//! Display), so they are translated phrase by phrase from the first phrase serde starts them with; text before it
//! (the catalogued headline, option names) is left alone.

/// The phrases serde starts its errors with, and their Finnish.
const LEADS: &[(&str, &str)] = &[
    ("unknown variant `", "tuntematon vaihtoehto `"),
    ("unknown field `", "tuntematon kenttä `"),
    ("invalid type: ", "väärä tyyppi: "),
    ("invalid value: ", "virheellinen arvo: "),
    ("invalid length ", "väärä pituus "),
    ("missing field `", "puuttuva kenttä `"),
    ("duplicate field `", "kenttä kahdesti `"),
];

/// The rest of serde's sentence: what it expected and what it got (`Unexpected`'s words).
const PHRASES: &[(&str, &str)] = &[
    (", expected one of ", ", odotettiin jotakin näistä: "),
    (", expected ", ", odotettiin "),
    (", there are no fields", ", kenttiä ei ole"),
    (", there are no variants", ", vaihtoehtoja ei ole"),
    ("` or `", "` tai `"),
    ("string \"", "merkkijono \""),
    ("integer `", "kokonaisluku `"),
    ("floating point `", "liukuluku `"),
    ("boolean `", "totuusarvo `"),
    ("unit value", "tyhjä arvo"),
    ("a sequence", "taulukko"),
    ("sequence", "taulukko"),
    ("a string", "merkkijono"),
    ("a boolean", "totuusarvo"),
    ("a map", "objekti"),
    ("map", "objekti"),
];

/// `message` with serde's sentence in it, from its first phrase on, in Finnish; unchanged without one.
pub fn serde_in_finnish(message: &str) -> String {
    let Some((at, lead, fi)) =
        LEADS.iter().filter_map(|&(en, fi)| message.find(en).map(|at| (at, en, fi))).min_by_key(|&(at, ..)| at)
    else {
        return message.to_string();
    };
    let mut out = String::with_capacity(message.len() + 16);
    out.push_str(&message[..at]);
    out.push_str(fi);
    let mut rest = &message[at + lead.len()..];
    'scan: while !rest.is_empty() {
        for &(en, fi) in PHRASES {
            if let Some(tail) = rest.strip_prefix(en) {
                out.push_str(fi);
                rest = tail;
                continue 'scan;
            }
        }
        let next = rest.chars().next().map_or(1, char::len_utf8);
        out.push_str(&rest[..next]);
        rest = &rest[next..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::serde_in_finnish as fi;

    #[test]
    fn translates_serde_sentences_after_the_headline() {
        assert_eq!(
            fi("virheellinen argumentti `difference`: unknown variant `relatve`, expected `absolute` or `relative`"),
            "virheellinen argumentti `difference`: tuntematon vaihtoehto `relatve`, odotettiin `absolute` tai `relative`"
        );
        assert_eq!(
            fi("x: unknown variant `hlom`, expected one of `none`, `bonferroni`, `holm`, `bh`"),
            "x: tuntematon vaihtoehto `hlom`, odotettiin jotakin näistä: `none`, `bonferroni`, `holm`, `bh`"
        );
        assert_eq!(
            fi("x: invalid type: string \"x\", expected f64"),
            "x: väärä tyyppi: merkkijono \"x\", odotettiin f64"
        );
        assert_eq!(fi("x: invalid type: map, expected a sequence"), "x: väärä tyyppi: objekti, odotettiin taulukko");
        assert_eq!(fi("x: missing field `column`"), "x: puuttuva kenttä `column`");
        assert_eq!(fi("x: unknown field `k`, there are no fields"), "x: tuntematon kenttä `k`, kenttiä ei ole");
    }

    #[test]
    fn leaves_other_text_alone() {
        // No serde sentence: nothing changes, even words serde would use.
        assert_eq!(fi("column `map` or `sequence`, expected"), "column `map` or `sequence`, expected");
        // The headline before serde's sentence keeps its words.
        assert_eq!(fi("map `a`: missing field `b`"), "map `a`: puuttuva kenttä `b`");
    }
}
