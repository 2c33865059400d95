//! The file readers' messages: CSV and Parquet import errors, the import report's warnings and the reasons a value
//! cannot be read. The readers' wasm modules (`segmetry-formats`) compile this table with `text.rs` and nothing
//! else of the catalogue (see `formats/src/messages.rs`); the engine never shows these texts itself. Three tables,
//! so that each reader's module links its own texts only. Rows are `(id, English, Finnish)`, as in
//! [`super::CATALOGUE`].

/// Both readers' texts: their common options, cancellation and the pandas index column.
pub const READERS: &[(&str, &str, &str)] = &[
    ("opt_bool", "{0} must be true or false", "{0}-asetuksen pitää olla true tai false"),
    (
        "opt_batch_size",
        "batchSize must be an integer between 1 and 10000000",
        "batchSize-asetuksen pitää olla kokonaisluku väliltä 1–10000000",
    ),
    ("cancelled", "the conversion was cancelled; nothing was loaded", "muunnos peruttiin; mitään ei ladattu"),
    (
        "unknown_format",
        "could not tell whether this is CSV, Parquet or Arrow: it is not text and has no Parquet or Arrow magic \
         bytes. Pass format: 'csv', 'parquet' or 'arrow'",
        "tiedostosta ei voi päätellä, onko se CSV-, Parquet- vai Arrow-tiedosto: se ei ole tekstiä, eikä siinä ole \
         Parquetin tai Arrow'n tunnistetavuja. Anna format: 'csv', 'parquet' tai 'arrow'",
    ),
    (
        "typing_not_csv",
        "{0} applies to CSV files; this {1} file stores its own column types. Leave the option out, or convert the \
         types after loading",
        "{0}-asetus koskee CSV-tiedostoja; tämä {1}-tiedosto tallentaa omat saraketyyppinsä. Jätä asetus pois tai \
         muunna tyypit latauksen jälkeen",
    ),
    (
        "warn_index_dropped",
        "column '{0}' is the row index pandas wrote, not data; it was left out",
        "sarake '{0}' on pandasin kirjoittama rivi-indeksi eikä dataa; se jätettiin pois",
    ),
];

/// The CSV reader's texts: errors, reasons a value cannot be read, options and the import report's warnings.
pub const CSV: &[(&str, &str, &str)] = &[
    // CSV: text and encoding.
    (
        "csv_not_utf8",
        "CSV line {0}, column {1}: byte 0x{2} is not UTF-8 text. The file is in another encoding: pass encoding: \
         'auto' (the default) or the file's encoding, e.g. encoding: 'windows-1252'",
        "CSV-rivi {0}, sarake {1}: tavu 0x{2} ei ole UTF-8-tekstiä. Tiedosto on toisessa merkistössä: anna \
         encoding: 'auto' (oletus) tai tiedoston merkistö, esim. encoding: 'windows-1252'",
    ),
    (
        "csv_odd_utf16",
        "the file has an odd number of bytes, so it is not UTF-16 text; pass its real encoding, e.g. encoding: \
         'utf-8'",
        "tiedostossa on pariton määrä tavuja, joten se ei ole UTF-16-tekstiä; anna sen oikea merkistö, esim. \
         encoding: 'utf-8'",
    ),
    (
        "csv_half_surrogate",
        "byte {0} is half of a UTF-16 surrogate pair without its other half; the file is damaged or not UTF-16: \
         pass its real encoding, e.g. encoding: 'utf-8'",
        "tavu {0} on UTF-16-merkkiparin puolikas ilman toista puoliskoa; tiedosto on vioittunut tai ei ole \
         UTF-16-tekstiä: anna sen oikea merkistö, esim. encoding: 'utf-8'",
    ),
    (
        "csv_nul",
        "CSV line {0}, column {1}: a NUL character; this looks like a binary file, or UTF-16 text read as another \
         encoding (pass encoding: 'utf-16le')",
        "CSV-rivi {0}, sarake {1}: NUL-merkki; tämä näyttää binääritiedostolta tai toisella merkistöllä luetulta \
         UTF-16-tekstiltä (anna encoding: 'utf-16le')",
    ),
    (
        "csv_empty",
        "the CSV file is empty: it needs a header line with column names and at least one data line",
        "CSV-tiedosto on tyhjä: siinä pitää olla otsikkorivi sarakkeiden nimineen ja vähintään yksi datarivi",
    ),
    // CSV: records and values.
    (
        "csv_unclosed_quote",
        "CSV line {0}, column {1}: a quoted field starts here but its closing quote is missing, so everything after \
         it ({2} more lines) would be one value. Close the quote; inside quoted values write a quote as two quotes \
         (\"\"), e.g. \"6\"\" pipe\"",
        "CSV-rivi {0}, sarake {1}: tästä alkaa lainausmerkeissä oleva kenttä, mutta sen loppulainausmerkki \
         puuttuu, joten kaikki sen jälkeen (rivejä lisää: {2}) olisi yksi arvo. Sulje lainaus; \
         lainausmerkeissä olevan arvon sisällä lainausmerkki kirjoitetaan kahdesti (\"\"), esim. \"6\"\" putki\"",
    ),
    (
        "csv_extra_fields",
        "CSV line {0} has {1} fields but the first line (line {2}) has {3}. A value probably contains the delimiter \
         {4} without being quoted: put such values in double quotes (\"Smith, John\"), or fix the extra field \
         (field {5})",
        "CSV-rivillä {0} on {1} kenttää, mutta ensimmäisellä rivillä (rivi {2}) on {3}. Jossakin arvossa on \
         luultavasti erotin {4} ilman lainausmerkkejä: kirjoita tällaiset arvot lainausmerkkeihin (\"Virtanen, \
         Matti\") tai korjaa ylimääräinen kenttä (kenttä {5})",
    ),
    (
        "csv_missing_fields",
        "CSV line {0} has {1} fields but the first line (line {2}) has {3} (delimiter {4}). A field is missing, or a \
         line break inside an unquoted value split the row in two: add the missing field (empty is fine: two \
         delimiters in a row), or quote values that contain line breaks",
        "CSV-rivillä {0} on {1} kenttää, mutta ensimmäisellä rivillä (rivi {2}) on {3} (erotin {4}). Kenttä \
         puuttuu, tai lainausmerkeittä kirjoitetun arvon rivinvaihto jakoi rivin kahtia: lisää puuttuva kenttä \
         (tyhjä kelpaa: kaksi erotinta peräkkäin) tai kirjoita rivinvaihtoja sisältävät arvot lainausmerkkeihin",
    ),
    ("delim_tab", "\\t (tab)", "\\t (sarkain)"),
    ("delim_comma", "',' (comma)", "',' (pilkku)"),
    ("delim_semicolon", "';' (semicolon)", "';' (puolipiste)"),
    ("delim_pipe", "'|' (pipe)", "'|' (pystyviiva)"),
    (
        "csv_delimiter_detected",
        "{0} (detected; pass the `delimiter` option if that is wrong)",
        "{0} (tunnistettu; anna asetus `delimiter`, jos se on väärä)",
    ),
    (
        "csv_bad_value",
        "CSV line {0}, column '{1}' (field {2}): '{3}' cannot be read as {4} ({5}). Fix the value, or read the \
         column as text with types: { '{1}': 'utf8' }",
        "CSV-rivi {0}, sarake '{1}' (kenttä {2}): arvoa '{3}' ei voi lukea tyyppinä {4} ({5}). Korjaa arvo tai \
         lue sarake tekstinä asetuksella types: { '{1}': 'utf8' }",
    ),
    ("why_int", "not a whole number in the int64 range", "ei kokonaisluku int64-lukualueella"),
    (
        "why_bool",
        "not one of true/false, yes/no, y/n, kyllä/ei, ja/nej, ja/nein, 1/0",
        "ei mikään arvoista true/false, yes/no, y/n, kyllä/ei, ja/nej, ja/nein, 1/0",
    ),
    ("why_date", "not a date such as 2025-09-16 or 16.9.2025", "ei päivämäärä, kuten 2025-09-16 tai 16.9.2025"),
    ("why_valid_date", "not a valid date", "ei kelvollinen päivämäärä"),
    (
        "why_stamp",
        "not a timestamp such as 2025-09-16 07:42:00, 2025-09-16T07:42:00+03:00 or 16.9.2025 7:42",
        "ei aikaleima, kuten 2025-09-16 07:42:00, 2025-09-16T07:42:00+03:00 tai 16.9.2025 7:42",
    ),
    (
        "why_fraction",
        "it has more fractional digits than the column's unit keeps",
        "siinä on enemmän sekunnin desimaaleja kuin sarakkeen yksikkö säilyttää",
    ),
    ("why_unit_range", "out of the range of the unit", "yksikön lukualueen ulkopuolella"),
    (
        "why_zone_rules",
        "the time zone rules built in for {0} start in {1}; write this value with its UTC offset (e.g. +02:00) or \
         read the column as text",
        "aikavyöhykkeen {0} sisäänrakennetut säännöt alkavat vuodesta {1}; kirjoita arvo UTC-siirtymän kanssa \
         (esim. +02:00) tai lue sarake tekstinä",
    ),
    ("why_number", "not a number", "ei luku"),
    ("why_number_en", "not a number with a decimal point (locale 'en')", "ei desimaalipisteellinen luku (locale 'en')"),
    (
        "why_number_fi",
        "not a number with a decimal comma (locale 'fi'/'sv')",
        "ei desimaalipilkullinen luku (locale 'fi'/'sv')",
    ),
    (
        "why_number_de",
        "not a number with a decimal comma and point thousands (locale 'de')",
        "ei luku, jossa on desimaalipilkku ja tuhaterottimena piste (locale 'de')",
    ),
    ("why_exponent", "exponent notation is not read as a decimal", "eksponenttimuotoa ei lueta desimaaliluvuksi"),
    (
        "why_decimals",
        "it has {0} decimals and the type keeps {1}",
        "siinä on {0} desimaalia, mutta tyyppi säilyttää {1}",
    ),
    ("why_digits", "it has more than {0} digits in all", "siinä on yhteensä yli {0} numeroa"),
    // CSV options.
    (
        "opt_encoding",
        "encoding must be 'auto', 'utf-8', 'windows-1252' (also 'latin1'), 'utf-16le' or 'utf-16be', got '{0}'",
        "encoding-asetuksen pitää olla 'auto', 'utf-8', 'windows-1252' (myös 'latin1'), 'utf-16le' tai \
         'utf-16be', saatiin '{0}'",
    ),
    (
        "opt_locale",
        "locale must be 'auto', 'fi', 'sv', 'de' or 'en', got '{0}'",
        "locale-asetuksen pitää olla 'auto', 'fi', 'sv', 'de' tai 'en', saatiin '{0}'",
    ),
    (
        "opt_quote",
        "quote must be one ASCII character such as '\"'",
        "quote-asetuksen pitää olla yksi ASCII-merkki, esim. '\"'",
    ),
    (
        "opt_delimiter",
        "delimiter must be one ASCII character other than a line break or the quote, got {0}",
        "delimiter-asetuksen pitää olla yksi ASCII-merkki, joka ei ole rivinvaihto eikä lainausmerkki, saatiin {0}",
    ),
    (
        "opt_bad_type",
        "types['{0}'] = '{1}': {2}; use one of utf8, int64, float64, bool, date32, timestamp, timestamp[ms], \
         timestamp[ms, Europe/Helsinki], decimal128(12, 2)",
        "types['{0}'] = '{1}': {2}; käytä jotakin näistä: utf8, int64, float64, bool, date32, timestamp, \
         timestamp[ms], timestamp[ms, Europe/Helsinki], decimal128(12, 2)",
    ),
    ("why_negative_scale", "the scale must be 0 or more", "desimaalien määrän pitää olla 0 tai enemmän"),
    (
        "why_not_csv_type",
        "not a type segmetry can read a CSV column as",
        "ei tyyppi, jona segmetry osaa lukea CSV-sarakkeen",
    ),
    (
        "opt_types_no_column",
        "types names column '{0}', which this file does not have; its columns: {1}",
        "types-asetus nimeää sarakkeen '{0}', jota tiedostossa ei ole; sen sarakkeet: {1}",
    ),
    (
        "opt_unknown_zone",
        "unknown time zone '{0}'; known zones: {1}, or a fixed offset such as '+02:00'",
        "tuntematon aikavyöhyke '{0}'; tunnetut vyöhykkeet: {1} tai kiinteä siirtymä, kuten '+02:00'",
    ),
    (
        "opt_ambiguous_locale",
        "column '{0}': {1} such as {2} read differently under different locales; pass locale ('en', 'fi', 'sv' or \
         'de') to say which",
        "sarake '{0}': {1}, kuten {2}, luetaan eri alueasetuksilla eri tavoin; kerro oikea asetuksella locale \
         ('en', 'fi', 'sv' tai 'de')",
    ),
    ("what_numbers", "numbers", "luvut"),
    (
        "opt_char",
        "{0} must be a one-character string such as ',' or '\\t'",
        "{0}-asetuksen pitää olla yhden merkin merkkijono, esim. ',' tai '\\t'",
    ),
    ("opt_string", "{0} must be a string", "{0}-asetuksen pitää olla merkkijono"),
    (
        "opt_types_shape",
        "types must be an object mapping column names to Arrow type names, e.g. { 'Zip': 'utf8' }",
        "types-asetuksen pitää olla olio, joka antaa sarakkeiden nimille Arrow-tyyppien nimet, esim. { 'Zip': 'utf8' }",
    ),
    (
        "opt_null_values",
        "nullValues must be an array of strings such as ['NA', 'null']",
        "nullValues-asetuksen pitää olla merkkijonotaulukko, esim. ['NA', 'null']",
    ),
    ("opt_null_strings", "nullValues must contain only strings", "nullValues-asetuksessa saa olla vain merkkijonoja"),
    ("what_dates", "dates", "päivämäärät"),
    // The import report's warnings.
    (
        "warn_unnamed_column",
        "column {0} has no name in the header; it was named '{1}'",
        "sarakkeella {0} ei ole nimeä otsikkorivillä; se nimettiin '{1}'",
    ),
    (
        "warn_repeated_name",
        "column {0} repeats the name '{1}'; it was renamed '{2}'",
        "sarake {0} toistaa nimen '{1}'; se nimettiin uudelleen '{2}'",
    ),
    (
        "warn_windows_1252",
        "the file is not UTF-8 text; it was read as Windows-1252 (what Excel saves on Finnish and other Western \
         Windows). If letters such as ä or ö look wrong, pass the file's encoding, e.g. encoding: 'utf-16le'",
        "tiedosto ei ole UTF-8-tekstiä; se luettiin Windows-1252-merkistönä (jota Excel tallentaa suomenkielisessä \
         ja muissa länsieurooppalaisissa Windowseissa). Jos kirjaimet, kuten ä tai ö, näyttävät väärältä, anna \
         tiedoston merkistö, esim. encoding: 'utf-16le'",
    ),
    (
        "warn_apostrophe",
        "column '{0}': the spreadsheet's protective apostrophe was removed from values such as {1}; the column stays \
         text",
        "sarake '{0}': taulukkolaskennan suojaava heittomerkki poistettiin arvoista, kuten {1}; sarake pysyy \
         tekstinä",
    ),
    (
        "warn_stays_text",
        "column '{0}' stays text: values such as {1} {2}. Pass types: { '{0}': 'int64' } (or 'float64') to read it \
         as numbers",
        "sarake '{0}' pysyy tekstinä: arvot, kuten {1}, {2}. Anna types: { '{0}': 'int64' } (tai 'float64'), \
         niin se luetaan lukuina",
    ),
    (
        "why_leading_zero",
        "have leading zeros, so they are codes rather than numbers",
        "alkavat nollalla, joten ne ovat tunnuksia eivätkä lukuja",
    ),
    ("why_leading_plus", "start with '+', like phone numbers", "alkavat merkillä '+' kuten puhelinnumerot"),
    (
        "why_too_many_digits",
        "have more than 15 significant digits, which a float64 (and a spreadsheet) would round",
        "sisältävät yli 15 merkitsevää numeroa, jotka float64 (ja taulukkolaskenta) pyöristäisi",
    ),
    (
        "warn_mixed_currency",
        "column '{0}' stays text: it mixes currencies ({1}), which must not be summed together",
        "sarake '{0}' pysyy tekstinä: siinä on eri valuuttoja ({1}), joita ei saa laskea yhteen",
    ),
    (
        "warn_currency_removed",
        "column '{0}' holds {1} amounts; read as float64 without the currency",
        "sarakkeessa '{0}' on rahamääriä valuutassa {1}; luettiin float64-lukuina ilman valuuttaa",
    ),
    (
        "warn_ambiguous_number",
        "column '{0}' stays text: values such as {1} read as different numbers with a decimal point (locale 'en': \
         1,020 = 1020) and a decimal comma (locale 'fi': 1,020 = 1.02). Pass locale: 'en', 'fi', 'sv' or 'de'",
        "sarake '{0}' pysyy tekstinä: arvot, kuten {1}, ovat eri lukuja desimaalipisteellä (locale 'en': 1,020 = \
         1020) ja desimaalipilkulla (locale 'fi': 1,020 = 1,02). Anna locale: 'en', 'fi', 'sv' tai 'de'",
    ),
    (
        "warn_ambiguous_date",
        "column '{0}' stays text: dates such as {1} read differently month-first (locale 'en') and day-first \
         (locale 'fi', 'sv', 'de'). Pass the locale",
        "sarake '{0}' pysyy tekstinä: päivämäärät, kuten {1}, luetaan eri tavoin kuukausi ensin (locale 'en') ja \
         päivä ensin (locale 'fi', 'sv', 'de'). Anna locale",
    ),
    (
        "warn_locale_mismatch",
        "column '{0}' stays text: {1} such as {2} are not written as locale '{3}' writes them. Pass locale: 'auto' \
         (or the matching locale), or types: { '{0}': 'utf8' } to keep it text quietly",
        "sarake '{0}' pysyy tekstinä: {1}, kuten {2}, on kirjoitettu eri tavoin kuin alueasetus '{3}' ne \
         kirjoittaa. Anna locale: 'auto' (tai oikea alueasetus) tai types: { '{0}': 'utf8' }, niin sarake pysyy \
         tekstinä ilman varoitusta",
    ),
];

/// The Parquet reader's texts.
pub const PARQUET: &[(&str, &str, &str)] = &[
    (
        "warn_skipped_column",
        "column '{0}' ({1}) was left out: segmetry cannot analyse that type",
        "sarake '{0}' ({1}) jätettiin pois: segmetry ei osaa analysoida sen tyyppiä",
    ),
    (
        "parquet_damaged",
        "the Parquet file is damaged or truncated and could not be read: {0}. Export or download it again",
        "Parquet-tiedosto on vioittunut tai katkennut, eikä sitä voitu lukea: {0}. Vie tai lataa se uudelleen",
    ),
    (
        "parquet_too_short",
        "this is not a Parquet file: it has {0} bytes, fewer than the 12 of an empty Parquet file",
        "tämä ei ole Parquet-tiedosto: siinä on {0} tavua, vähemmän kuin tyhjän Parquet-tiedoston 12",
    ),
    (
        "parquet_encrypted",
        "this Parquet file is encrypted (PARE), which segmetry does not read; export it without encryption",
        "tämä Parquet-tiedosto on salattu (PARE), eikä segmetry lue salattuja tiedostoja; vie se ilman salausta",
    ),
    (
        "parquet_no_magic",
        "this is not a Parquet file: it does not start with the bytes PAR1. If it is CSV or Arrow, pass format: \
         'csv' or 'arrow' (or a file name with that extension)",
        "tämä ei ole Parquet-tiedosto: se ei ala tavuilla PAR1. Jos se on CSV- tai Arrow-tiedosto, anna format: \
         'csv' tai 'arrow' (tai tiedostonimi, jossa on se pääte)",
    ),
    (
        "parquet_no_footer",
        "the Parquet file is truncated: it starts like Parquet but does not end with PAR1 (its footer is missing; \
         {0} bytes were given). It was probably cut off while copying, downloading or uploading: get the complete \
         file",
        "Parquet-tiedosto on katkennut: se alkaa kuin Parquet mutta ei pääty tavuihin PAR1 (sen loppuosa puuttuu; \
         annettiin {0} tavua). Se katkesi luultavasti kopioitaessa, ladattaessa tai lähetettäessä: hae koko \
         tiedosto",
    ),
    (
        "parquet_footer_size",
        "the Parquet file is truncated or damaged: its footer claims {0} bytes of metadata but the file has only {1} \
         bytes. Get the complete file",
        "Parquet-tiedosto on katkennut tai vioittunut: sen loppuosan mukaan metatietoja on {0} tavua, mutta \
         tiedostossa on vain {1} tavua. Hae koko tiedosto",
    ),
    (
        "parquet_chunk_outside",
        "the Parquet file is truncated or damaged: column '{0}' of row group {1} points at bytes {2}..{3} but the \
         file has only {4}. Get the complete file",
        "Parquet-tiedosto on katkennut tai vioittunut: riviryhmän {1} sarake '{0}' viittaa tavuihin {2}..{3}, \
         mutta tiedostossa on vain {4}. Hae koko tiedosto",
    ),
    (
        "parquet_unsupported_one",
        "the Parquet file has 1 column of a type segmetry cannot analyse: {0}. Nested types (lists, structs, maps), \
         binary, time-of-day and interval columns are not supported. Pass skipUnsupported: true to load the other \
         columns without them, or flatten them before exporting",
        "Parquet-tiedostossa on 1 sarake, jonka tyyppiä segmetry ei osaa analysoida: {0}. Sisäkkäisiä tyyppejä \
         (listat, tietueet, hakemistot), binääri-, kellonaika- ja aikavälisarakkeita ei tueta. Anna \
         skipUnsupported: true, niin muut sarakkeet ladataan ilman niitä, tai litistä ne ennen vientiä",
    ),
    (
        "parquet_unsupported_many",
        "the Parquet file has {0} columns of a type segmetry cannot analyse: {1}. Nested types (lists, structs, \
         maps), binary, time-of-day and interval columns are not supported. Pass skipUnsupported: true to load the \
         other columns without them, or flatten them before exporting",
        "Parquet-tiedostossa on {0} saraketta, joiden tyyppiä segmetry ei osaa analysoida: {1}. Sisäkkäisiä \
         tyyppejä (listat, tietueet, hakemistot), binääri-, kellonaika- ja aikavälisarakkeita ei tueta. Anna \
         skipUnsupported: true, niin muut sarakkeet ladataan ilman niitä, tai litistä ne ennen vientiä",
    ),
    (
        "parquet_too_large",
        "the Parquet file decodes to about {0} MB, more than a browser tab can hold ({1} MB); load fewer columns or \
         split the file",
        "Parquet-tiedosto vie purettuna noin {0} Mt, enemmän kuin selaimen välilehti jaksaa pitää muistissa ({1} \
         Mt); lataa vähemmän sarakkeita tai jaa tiedosto osiin",
    ),
];
