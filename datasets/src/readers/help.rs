//! Help contacts for newcomers: the public offices a skilled worker or family can turn to in a
//! district, so that a ranking ends with "who to ask there", not just a number.

use crate::error::Result;
use crate::readers::facilities::encoding_label;
use crate::report::{Reject, SourceReport};
use crate::table::Table;
use scoring::atlas::HelpContact;
use std::path::Path;

/// Reads `help_sn_contacts.csv` (`,`; `name`, `kind`, `district_ags5`, `town`, `website`,
/// `note`, …) into [`HelpContact`]s, one per row.
///
/// `district_ags5` is `|`-separated (statewide offices list all 13 districts). `inferred` is
/// set where the note says the row's existence was inferred or derived rather than checked
/// ("existence inferred from …", "derived: …": the 7 unverified Fachkräfteallianzen and the 13
/// Ausländerbehörden); a note that only says a *website* or *address* was not verified leaves it
/// false, because the office itself is backed by a cited page. The page must show inferred
/// contacts as such. Row rejections: an empty name → [`Reject::SourceMissing`]; a district code
/// that is not 5 digits (or none at all) → [`Reject::UnknownAgs`].
pub fn read_help_contacts(
    path: &Path,
    source_id: &str,
) -> Result<(Vec<HelpContact>, SourceReport)> {
    read_help_contacts_bytes(path, &crate::error::read_file(path)?, source_id)
}

/// [`read_help_contacts`] on the file's bytes, already in memory; `path` only names the file in
/// errors and the report.
pub fn read_help_contacts_bytes(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
) -> Result<(Vec<HelpContact>, SourceReport)> {
    let table = Table::from_bytes(path, bytes, b',')?;
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut report = SourceReport::new(source_id, &file);
    report.encoding = encoding_label(table.encoding).to_string();
    let (name, kind, districts) = (
        table.col("name")?,
        table.col("kind")?,
        table.col("district_ags5")?,
    );
    let (town, website, note) = (
        table.col("town")?,
        table.col("website")?,
        table.col("note")?,
    );
    let mut contacts = Vec::new();
    for row in &table.rows {
        report.rows_read += 1;
        let contact_name = table.text(row, name);
        if contact_name.is_empty() {
            report.reject(Reject::SourceMissing);
            continue;
        }
        let codes: Vec<String> = table
            .text(row, districts)
            .split('|')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        let valid = |c: &String| c.len() == 5 && c.bytes().all(|b| b.is_ascii_digit());
        if codes.is_empty() || !codes.iter().all(valid) {
            report.reject(Reject::UnknownAgs);
            continue;
        }
        let note_text = table.text(row, note).to_string();
        contacts.push(HelpContact {
            name: contact_name.to_string(),
            kind: table.text(row, kind).to_string(),
            district_ags5: codes,
            town: table.text(row, town).to_string(),
            website: table.text(row, website).to_string(),
            inferred: is_inferred(&note_text),
            note: note_text,
        });
        report.rows_kept += 1;
    }
    let inferred = contacts.iter().filter(|c| c.inferred).count();
    report.note(format!(
        "{inferred} of {} contacts are inferred or derived, not verified by an own page",
        contacts.len()
    ));
    Ok((contacts, report))
}

/// Whether a note marks the row's existence as inferred or derived (see [`read_help_contacts`]).
fn is_inferred(note: &str) -> bool {
    let n = note.trim().to_lowercase();
    n.contains("inferred") || n.starts_with("derived")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn fixture(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    const HEADER: &str =
        "name,kind,districts_served,district_ags5,town,website,since,source,note\n";

    #[test]
    fn help_fixture() {
        let text = format!(
            "{HEADER}\
             IQ Netzwerk,recognition_counselling_network,Sachsen,14511|14612 | 14713,,https://iq,,src,free counselling; website not verified here\n\
             Fachkräfteallianz Dresden,regional_skilled_worker_alliance,Dresden,14612,Dresden,https://dd,,src,existence inferred from the SMWA statement\n\
             Ausländerbehörde Chemnitz,auslaenderbehoerde,Chemnitz,14511,Chemnitz,https://c,,src,\"derived: in Saxony the Landkreise act as authorities\"\n\
             ,welcome_center,Leipzig,14713,Leipzig,,,src,no name\n\
             Irgendwo,welcome_center,?,145,Leipzig,,,src,bad code\n\
             Nirgends,welcome_center,?,,Leipzig,,,src,no code\n"
        );
        let f = fixture(&text);
        let (contacts, r) = read_help_contacts(f.path(), "help").unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (6, 3));
        assert_eq!(r.rejected.get(&Reject::SourceMissing), Some(&1));
        assert_eq!(r.rejected.get(&Reject::UnknownAgs), Some(&2));
        assert_eq!(r.unaccounted(), 0);
        assert_eq!(contacts[0].district_ags5, ["14511", "14612", "14713"]);
        assert!(
            !contacts[0].inferred,
            "an unverified website is not an inferred office"
        );
        assert!(contacts[1].inferred && contacts[2].inferred);
        assert_eq!(
            contacts[2].note,
            "derived: in Saxony the Landkreise act as authorities"
        );
        // A truncated record is a file error with its line.
        let f = fixture(&format!("{HEADER}IQ,kind,Sachsen,14511\n"));
        let err = read_help_contacts(f.path(), "help")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn real_help_contacts() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/data/raw/help/help_sn_contacts.csv"
        );
        let (contacts, r) = read_help_contacts(Path::new(path), "help").unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (45, 45));
        assert_eq!(r.unaccounted(), 0);
        assert_eq!(
            contacts.iter().filter(|c| c.inferred).count(),
            20,
            "7 alliances + 13 authorities"
        );
        // 8 statewide offices, but the three Fachinformationszentren list only their own city.
        let all_districts = contacts.iter().filter(|c| c.district_ags5.len() == 13);
        assert_eq!(all_districts.count(), 5);
        assert_eq!(
            contacts
                .iter()
                .filter(|c| c.kind == "auslaenderbehoerde")
                .count(),
            13
        );
    }
}
