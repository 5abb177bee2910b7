//! Reading raw text the way German open data writes it: byte-order marks, Latin-1 files,
//! decimal commas and spaces as thousands separators.

use crate::error::Result;
use std::path::Path;

/// How a file's bytes were decoded; reported so that an unexpected encoding is visible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8WithBom,
    /// Not valid UTF-8: decoded as ISO-8859-1 (every byte is one character).
    Latin1,
}

impl Encoding {
    /// Short name for reports.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8WithBom => "utf-8 (BOM removed)",
            Encoding::Latin1 => "latin-1 (not UTF-8)",
        }
    }
}

/// Reads a whole file as text: strips a UTF-8 BOM, and falls back to Latin-1 when the bytes are
/// not UTF-8 (old exports of German offices often are).
pub fn read_text(path: &Path) -> Result<(String, Encoding)> {
    let bytes = crate::error::read_file(path)?;
    Ok(decode(bytes))
}

/// Decodes bytes as [`read_text`] does.
pub fn decode(bytes: Vec<u8>) -> (String, Encoding) {
    let (body, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest.to_vec(), true),
        None => (bytes, false),
    };
    match String::from_utf8(body) {
        Ok(s) if bom => (s, Encoding::Utf8WithBom),
        Ok(s) => (s, Encoding::Utf8),
        Err(e) => (
            e.into_bytes().iter().map(|&b| b as char).collect(),
            Encoding::Latin1,
        ),
    }
}

/// Parses a number as German and international files write it: `1 234,5`, `1.234,5`,
/// `"13,736883"`, `1234.5`, `556 780`. Empty strings, `-`, `–` and `.` (the statistical
/// offices' "no value" marks) give `None`; anything else that is not a number is an error
/// message for the caller to attach a file and line to.
pub fn parse_number(raw: &str) -> Result<Option<f64>, String> {
    let s = raw.trim().trim_matches('"').trim();
    if s.is_empty() || matches!(s, "-" | "–" | "." | "x" | "/") {
        return Ok(None);
    }
    let mut cleaned: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    if cleaned.contains(',') {
        // Decimal comma: dots, if any, are thousands separators.
        cleaned = cleaned.replace('.', "").replace(',', ".");
    }
    match cleaned.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(format!("not a number: {raw:?}")),
    }
}

/// The 8-digit AGS of a 12-digit ARS (Regionalschlüssel): Land, Regierungsbezirk and Kreis
/// (5 digits) followed by the municipality's own 3 digits. The association digits in between
/// are dropped; cutting the ARS after 8 digits instead would give wrong codes.
pub fn ars_to_ags(ars: &str) -> Option<String> {
    let ars = ars.trim();
    if ars.len() == 12 && ars.bytes().all(|b| b.is_ascii_digit()) {
        Some(format!("{}{}", &ars[..5], &ars[9..]))
    } else {
        None
    }
}

/// Normalises an AGS written without its leading zero (as some tables store the keys of Länder
/// 01–09) to 8 digits; `None` if it is not 7 or 8 digits.
pub fn normalise_ags(raw: &str) -> Option<String> {
    let s = raw.trim().trim_matches('"');
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match s.len() {
        8 => Some(s.to_string()),
        7 => Some(format!("0{s}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_and_international_numbers() {
        assert_eq!(parse_number("1 234,5"), Ok(Some(1234.5)));
        assert_eq!(parse_number("1.234,5"), Ok(Some(1234.5)));
        assert_eq!(parse_number("\"13,736883\""), Ok(Some(13.736883)));
        assert_eq!(parse_number("556 780"), Ok(Some(556780.0)));
        assert_eq!(parse_number("5.72"), Ok(Some(5.72)));
        assert_eq!(parse_number("-9999"), Ok(Some(-9999.0)));
        assert_eq!(parse_number("–"), Ok(None));
        assert_eq!(parse_number(""), Ok(None));
        assert!(parse_number("abc").is_err());
        assert!(parse_number("NaN").is_err());
        assert!(parse_number("1e400").is_err());
    }

    #[test]
    fn ars_and_ags() {
        assert_eq!(ars_to_ags("145215103120").as_deref(), Some("14521120"));
        assert_eq!(ars_to_ags("146120000000").as_deref(), Some("14612000"));
        assert_eq!(ars_to_ags("1461200"), None);
        assert_eq!(normalise_ags("1001000").as_deref(), Some("01001000"));
        assert_eq!(normalise_ags("14612000").as_deref(), Some("14612000"));
        assert_eq!(normalise_ags("14x12000"), None);
    }

    #[test]
    fn decoding() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFa;b".to_vec()),
            ("a;b".into(), Encoding::Utf8WithBom)
        );
        assert_eq!(
            decode(b"Gr\xf6\xdfe".to_vec()),
            ("Größe".into(), Encoding::Latin1)
        );
        assert_eq!(
            decode("Größe".as_bytes().to_vec()),
            ("Größe".into(), Encoding::Utf8)
        );
    }
}
