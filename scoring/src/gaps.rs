//! Why a figure is missing, in the reader's language.
//!
//! The atlas states each gap's reason once, in English (`Indicator::missing`), as the data
//! layer writes it from a handful of templates (a point source that covers only some towns, an
//! association the older table does not know, a source without a value, a merged
//! municipality's predecessor). [`reason`] gives the German wording of those templates, word for
//! word where a place name or code is quoted; a reason of another shape is shown as it is.

use crate::vocab::Lang;
use std::borrow::Cow;

/// `text` (a gap reason from the atlas) in `lang`.
pub fn reason(text: &str, lang: Lang) -> Cow<'_, str> {
    match lang {
        Lang::En => Cow::Borrowed(text),
        Lang::De => Cow::Owned(german(text)),
    }
}

fn german(text: &str) -> String {
    // A merged municipality's reason names the predecessor it came from, at the end.
    if let Some((head, code)) = text
        .strip_suffix(')')
        .and_then(|t| t.rsplit_once(" (for predecessor "))
    {
        return format!("{} (für die Vorgängergemeinde {code})", german(head));
    }
    if let Some(covered) =
        text.strip_prefix("no location data for this municipality: the data covers only ")
    {
        let areas: Vec<String> = covered.split("; ").map(area).collect();
        return format!(
            "keine Standortdaten für diese Gemeinde: die Daten decken nur {} ab",
            areas.join("; ")
        );
    }
    if let Some(rest) = text.strip_prefix("association ")
        && let Some(name) = rest.strip_suffix(" (2022) not found by name in the 2019 table")
    {
        let name = name.trim_matches('"');
        return format!(
            "Gemeindeverband „{name}“ (Stand 2022) in der Tabelle von 2019 nicht gefunden"
        );
    }
    if let Some(rest) = text.strip_prefix("the source has no value for ") {
        return format!("die Quelle hat keinen Wert für {rest}");
    }
    text.to_string()
}

/// A covered area as the manifest describes it, in German.
fn area(text: &str) -> String {
    let text = text.replace(" (stale: ", " (veraltet: ");
    match text.strip_prefix("Dresden and neighbours") {
        Some(rest) => format!("Dresden und Nachbargemeinden{rest}"),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_reads_in_german_and_english_stays_as_written() {
        for (en, de) in [
            (
                "no location data for this municipality: the data covers only Stadt Leipzig (stale: 2014)",
                "keine Standortdaten für diese Gemeinde: die Daten decken nur Stadt Leipzig (veraltet: 2014) ab",
            ),
            (
                "no location data for this municipality: the data covers only Stadt Chemnitz; Dresden and neighbours (lon 13.50–14.00, lat 50.90–51.20); Stadt Leipzig",
                "keine Standortdaten für diese Gemeinde: die Daten decken nur Stadt Chemnitz; Dresden und Nachbargemeinden (lon 13.50–14.00, lat 50.90–51.20); Stadt Leipzig ab",
            ),
            (
                "association \"Geyer-Tannenberg\" (2022) not found by name in the 2019 table",
                "Gemeindeverband „Geyer-Tannenberg“ (Stand 2022) in der Tabelle von 2019 nicht gefunden",
            ),
            (
                "the source has no value for 14522450 (-9999) (for predecessor 14522450)",
                "die Quelle hat keinen Wert für 14522450 (-9999) (für die Vorgängergemeinde 14522450)",
            ),
        ] {
            assert_eq!(reason(en, Lang::De), de);
            assert_eq!(reason(en, Lang::En), en);
        }
        assert_eq!(reason("test gap", Lang::De), "test gap");
    }
}
