//! Playgrounds of Leipzig from the Leipzig Open Data Project's RDF (Turtle).

use super::{new_report, point};
use crate::error::{DatasetError, Result};
use crate::facility::{Category, FacilityPoint, check_lonlat};
use crate::readers::rows::point_rows;
use crate::report::{Reject, SourceReport};
use crate::text::decode;
use oxttl::TurtleParser;
use std::collections::{HashMap, HashSet};
use std::path::Path;

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
const LD_SPIELPLATZ: &str = "http://leipzig-data.de/Data/Model/Spielplatz";
const GSP_AS_WKT: &str = "http://www.opengis.net/ont/geosparql#asWKT";

/// What the triples say about one subject.
#[derive(Default)]
struct Resource {
    is_playground: bool,
    wkts: Vec<String>,
    labels: Vec<String>,
}

/// Reads `leisure_leipzig_spielplaetze_ld_2018.ttl`: each `ld:Spielplatz` resource with a
/// `gsp:asWKT "Point(lon lat)"` becomes a [`Category::Playground`] point, named by its
/// `rdfs:label`, in the order the resources first appear.
///
/// One row is one playground point: normally one resource, but the file reuses one IRI
/// (`…/Spielplatz/Topasstrasse`) for two playgrounds with their own points and labels, which RDF
/// merges into one resource with two `asWKT` values; each value is a row (labels paired in file
/// order), so the count matches the 304 blocks of the file.
///
/// Why duplicates by coordinate: the source geocoded several playgrounds of one park to the
/// same point (304 resources, 233 distinct points); for distances and counts they are one
/// place, so a resource at a coordinate identical to an already kept one is a
/// [`Reject::Duplicate`]. A resource without a parsable WKT point is a
/// [`Reject::BadCoordinate`]. A Turtle syntax error is a [`DatasetError::Parse`] with its line.
/// The data is from 2014 (stale) and 6 points lie outside Leipzig (geocoding errors); the
/// polygons sort those out later.
pub fn read_playgrounds_ttl(
    path: &Path,
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    read_playgrounds_ttl_bytes(path, &crate::error::read_file(path)?, source_id)
}

/// [`read_playgrounds_ttl`] on the file's bytes, already in memory; `path` only names the file in
/// errors and the report.
pub fn read_playgrounds_ttl_bytes(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    let (text, encoding) = decode(bytes.to_vec());
    let mut report = new_report(source_id, path, encoding);
    let mut order: Vec<String> = Vec::new();
    let mut resources: HashMap<String, Resource> = HashMap::new();
    for triple in TurtleParser::new().for_slice(&text) {
        let triple = triple.map_err(|e| {
            DatasetError::parse(
                path,
                e.location().start.line + 1,
                format!("Turtle syntax error: {}", e.message()),
            )
        })?;
        let subject = triple.subject.to_string();
        let r = resources.entry(subject.clone()).or_insert_with(|| {
            order.push(subject);
            Resource::default()
        });
        // Without a direct dependency on oxrdf the object is read through its N-Triples form:
        // IRIs as `<…>`, literals as `"…"` optionally followed by `^^<type>` or `@lang`.
        let object = triple.object.to_string();
        match triple.predicate.as_str() {
            RDF_TYPE if object == format!("<{LD_SPIELPLATZ}>") => r.is_playground = true,
            GSP_AS_WKT => r.wkts.extend(literal_value(&object)),
            RDFS_LABEL => r.labels.extend(literal_value(&object)),
            _ => {}
        }
    }
    let mut taken: HashSet<(u64, u64)> = HashSet::new();
    let reused: Vec<String> = order
        .iter()
        .filter(|s| resources[*s].is_playground && resources[*s].wkts.len() > 1)
        .map(|s| s.trim_matches(['<', '>']).to_string())
        .collect();
    // One row per WKT point of a playground resource (and one for a resource without any):
    // (resource, index of the point, its WKT).
    let rows = order
        .iter()
        .filter_map(|s| resources.get(s).filter(|r| r.is_playground))
        .flat_map(|r| {
            let wkts: Vec<Option<&str>> = if r.wkts.is_empty() {
                vec![None]
            } else {
                r.wkts.iter().map(|w| Some(w.as_str())).collect()
            };
            wkts.into_iter().enumerate().map(move |(i, w)| (r, i, w))
        });
    let points = point_rows(&mut report, rows, |(r, i, wkt), out| {
        let (lon, lat) = wkt.and_then(parse_wkt_point).ok_or(Reject::BadCoordinate)?;
        check_lonlat(lon, lat)?;
        if !taken.insert((lon.to_bits(), lat.to_bits())) {
            return Err(Reject::Duplicate);
        }
        // Labels pair with points in file order where the counts agree.
        let points_of_resource = r.wkts.len().max(1);
        let label = if r.labels.len() == points_of_resource {
            r.labels.get(i)
        } else {
            r.labels.first()
        };
        out.push(point(
            Category::Playground,
            (lon, lat),
            label.cloned(),
            source_id,
        ));
        Ok(())
    });
    if let Some(d) = report.rejected.get(&Reject::Duplicate) {
        let d = *d;
        report.note(format!(
            "{d} playground(s) share a geocoded point with an earlier one and were merged into it"
        ));
    }
    if !reused.is_empty() {
        report.note(format!(
            "one IRI used for several playgrounds (one row per point): {}",
            reused.join(", ")
        ));
    }
    Ok((points, report))
}

/// The lexical value of a literal in N-Triples form (`"x"`, `"x"^^<t>`, `"x"@de`), unescaped
/// for the escapes WKT and labels can contain; `None` for IRIs and blank nodes.
fn literal_value(ntriples: &str) -> Option<String> {
    let rest = ntriples.strip_prefix('"')?;
    let end = rest.rfind('"')?;
    let raw = &rest[..end];
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// `Point(lon lat)` (any case, optional spaces) as (lon, lat); `None` for anything else.
fn parse_wkt_point(wkt: &str) -> Option<(f64, f64)> {
    let s = wkt.trim();
    let (head, rest) = s.split_at_checked(5)?;
    if !head.eq_ignore_ascii_case("point") {
        return None;
    }
    let inner = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
    let mut parts = inner.split_whitespace();
    let lon: f64 = parts.next()?.parse().ok()?;
    let lat: f64 = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    Some((lon, lat))
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{fixture, raw};
    use super::*;

    const TTL: &str = r#"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ld: <http://leipzig-data.de/Data/Model/> .
@prefix gsp: <http://www.opengis.net/ont/geosparql#> .

<http://x/a> gsp:asWKT "Point(12.37 51.34)" ; a ld:Spielplatz, ld:Treffpunkt ;
    rdfs:label "Spielplatz \"A\"" .
<http://x/b> gsp:asWKT "Point(12.37 51.34)" ; a ld:Spielplatz ; rdfs:label "B" .
<http://x/c> gsp:asWKT "POINT (12.38 51.35)" ; a ld:Spielplatz .
<http://x/d> a ld:Spielplatz ; rdfs:label "no point" .
<http://x/e> gsp:asWKT "Point(abc 51.3)" ; a ld:Spielplatz .
<http://x/f> gsp:asWKT "Point(0 0)" ; a ld:Spielplatz .
<http://x/g> gsp:asWKT "Point(12.4 51.3)" ; a ld:Treffpunkt .
<http://x/h> gsp:asWKT "Point(12.5 51.3)" ; a ld:Spielplatz ; rdfs:label "H1" .
<http://x/h> gsp:asWKT "Point(12.6 51.3)" ; a ld:Spielplatz ; rdfs:label "H2" .
"#;

    #[test]
    fn playgrounds_fixture() {
        let f = fixture(TTL, ".ttl");
        let (points, r) = read_playgrounds_ttl(f.path(), "pg").unwrap();
        assert_eq!(
            (r.rows_read, r.rows_kept),
            (8, 4),
            "g is no Spielplatz; h is two"
        );
        assert_eq!(r.rejected.get(&Reject::Duplicate), Some(&1));
        assert_eq!(r.rejected.get(&Reject::BadCoordinate), Some(&3));
        assert_eq!(r.unaccounted(), 0);
        assert_eq!(points[0].name.as_deref(), Some("Spielplatz \"A\""));
        assert_eq!((points[0].lon, points[0].lat), (12.37, 51.34));
        assert_eq!((points[1].lon, points[1].lat), (12.38, 51.35));
        assert_eq!(points[2].name.as_deref(), Some("H1"));
        assert_eq!(points[3].name.as_deref(), Some("H2"));
        assert!(
            r.notes.iter().any(|n| n.contains("http://x/h")),
            "{:?}",
            r.notes
        );
    }

    #[test]
    fn broken_turtle_names_the_line() {
        let broken = TTL.replace(
            "a ld:Spielplatz ; rdfs:label \"B\" .",
            "a ld:Spielplatz ; rdfs:label \"B .",
        );
        let f = fixture(&broken, ".ttl");
        let err = read_playgrounds_ttl(f.path(), "pg")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 7"), "{err}");
    }

    #[test]
    fn wkt_points() {
        assert_eq!(parse_wkt_point("Point(12.5 51.25)"), Some((12.5, 51.25)));
        assert_eq!(
            parse_wkt_point(" POINT ( 12.5  51.25 ) "),
            Some((12.5, 51.25))
        );
        assert_eq!(parse_wkt_point("Point(12.5)"), None);
        assert_eq!(parse_wkt_point("Point(1 2 3)"), None);
        assert_eq!(parse_wkt_point("LINESTRING(1 2, 3 4)"), None);
        assert_eq!(parse_wkt_point("Pö"), None);
        assert_eq!(literal_value("\"a\\\"b\"^^<http://t>"), Some("a\"b".into()));
        assert_eq!(literal_value("<http://x>"), None);
    }

    #[test]
    fn real_playgrounds() {
        let (_, r) = read_playgrounds_ttl(
            &raw("facilities/leisure_leipzig_spielplaetze_ld_2018.ttl"),
            "pg",
        )
        .unwrap();
        assert_eq!(r.rows_read, 304);
        assert_eq!(r.rows_kept, 233, "distinct points");
        assert_eq!(r.rejected.get(&Reject::Duplicate), Some(&71));
        assert_eq!(r.unaccounted(), 0);
    }
}
