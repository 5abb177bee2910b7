//! OpenStreetMap PBF reader: turns an OSM extract (`.osm.pbf`, e.g. the Saxony extract that the
//! OSM mirrors publish) into [`FacilityPoint`]s through one documented tag table
//! ([`categories_for_tags`]; the same table in prose is `docs/osm.md`).
//!
//! Why: the curated facility files each cover one category and often one city; an OSM extract
//! covers every category statewide, and a user can bring a fresher one than lotse knows of.
//! lotse ships no OSM data itself (ODbL, see `docs/osm.md`); the user brings the file.
//!
//! Conventions, as for the other facility readers:
//! - One row = one OSM element (node, way or relation) that carries a mapped tag (a row of
//!   `TAG_TABLE`). Elements without one (shops, roads, the millions of untagged way nodes) are
//!   not rows and are not counted. Every row is kept (one point per category) or rejected
//!   under a [`Reject`] reason; [`SourceReport::unaccounted`] is 0.
//! - A broken *file* (missing, not a PBF, truncated) is a [`DatasetError`] naming the file; a
//!   broken *element* (a node at 0,0, a way whose nodes are not in the extract) is a counted
//!   rejection. No file content makes this reader panic: a panic inside the PBF decoder is
//!   caught and reported as [`DatasetError::Format`].
//!
//! Geometry: nodes are points as they are; ways and multipolygon relations become their
//! centroid. That needs node coordinates the tagged elements do not carry, so the file is read
//! in up to three passes, each keeping only what the next needs, so memory stays bounded by the
//! mapped elements, not by the ~30 M nodes of a state extract:
//! 1. the mapped elements themselves (tags, node refs of ways, outer member ids of relations);
//! 2. only if a kept multipolygon exists: the node refs of its outer member ways (PBF files
//!    store ways before relations, so pass 1 cannot know which untagged ways it will need);
//! 3. only if a kept way or multipolygon exists: the coordinates of exactly the needed nodes.

mod geometry;
mod pbf;
mod tags;

pub use tags::categories_for_tags;

use crate::error::Result;
use crate::facility::{Category, FacilityPoint, check_lonlat};
use crate::readers::rows::point_rows;
use crate::report::{Reject, SourceReport};
use geometry::{Placed, Unplaceable, multipolygon_point, way_point};
use osmpbf::{Element, RelMemberType};
use pbf::{Pbf, check_framing, par_pass};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use tags::{OUT_NOT_MULTIPOLYGON, Verdict, classify, is_row_key, tag};

/// Which kind of OSM element a row is; the order is the output order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Node,
    Way,
    Relation,
}

/// Where a row's point comes from.
#[derive(Clone, Debug)]
enum Geom {
    /// A node's own coordinate.
    Point(f64, f64),
    /// A way's node ids.
    Way(Vec<i64>),
    /// A multipolygon's outer member way ids.
    Multipolygon(Vec<i64>),
    /// Nothing to place (the row is out of scope).
    None,
}

/// One mapped element, as pass 1 finds it.
#[derive(Clone, Debug)]
struct Row {
    kind: Kind,
    id: i64,
    verdict: Verdict,
    name: Option<String>,
    capacity: Option<String>,
    geom: Geom,
}

/// Reads an OpenStreetMap PBF extract into facility points, one per mapped element and
/// category (see [`categories_for_tags`] and `docs/osm.md`), with `source = source_id`.
///
/// Why this shape: OSM gives every category statewide in one file, so one reader feeds all
/// the distance indicators; the report says how many elements each rule kept or rejected, so a
/// user can judge the extract. Nodes are placed as they are; ways at their centroid
/// (area-weighted if closed, length-weighted if open); multipolygon relations at the
/// area-weighted centroid of their outer rings (inner rings ignored); where rings do not close
/// or cross themselves, at the centroid of their outline (counted in a note). A way or multipolygon
/// with a node or member way missing from the extract is [`Reject::BadCoordinate`], as is any
/// point failing [`check_lonlat`]. `name` comes from `name`; `capacity` from a numeric
/// `capacity` on Kitas and schools only (elsewhere it counts seats, not places or pupils).
/// Points come in element order (nodes, ways, relations, each by id; categories in enum
/// order), so two runs on one file give the same atlas although the passes run in parallel.
///
/// Errors: a missing file is [`DatasetError::Missing`]; a file that is not a PBF, or is
/// truncated or corrupt, is [`DatasetError::Format`] naming it; other read failures are
/// [`DatasetError::Io`].
pub fn read_osm_pbf(path: &Path, source_id: &str) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    read_pbf(path, Pbf::File(path), source_id)
}

/// [`read_osm_pbf`] on a whole PBF file already in memory; `path` only names the file in errors
/// and the report. For small extracts and the fuzz targets: [`read_osm_pbf`] itself streams the
/// file block by block and never holds it whole.
pub fn read_osm_pbf_bytes(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    read_pbf(path, Pbf::Memory(bytes), source_id)
}

fn read_pbf(
    path: &Path,
    pbf: Pbf<'_>,
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    check_framing(path, pbf)?;
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut report = SourceReport::new(source_id, &file);
    // PBF string tables are UTF-8 by specification.
    report.encoding = "utf-8".to_string();

    // Pass 1: the mapped elements.
    let mut rows = par_pass(path, pbf, pass1_map, Vec::new, concat)?;
    rows.sort_by_key(|r| (r.kind, r.id));

    // Pass 2: the node refs of kept multipolygons' outer member ways.
    let wanted_ways: HashSet<i64> = rows
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Keep(_)))
        .filter_map(|r| match &r.geom {
            Geom::Multipolygon(ways) => Some(ways.iter().copied()),
            _ => None,
        })
        .flatten()
        .collect();
    let member_ways: HashMap<i64, Vec<i64>> = if wanted_ways.is_empty() {
        HashMap::new()
    } else {
        let map = |el: Element<'_>| match el {
            Element::Way(w) if wanted_ways.contains(&w.id()) => vec![(w.id(), w.refs().collect())],
            _ => Vec::new(),
        };
        par_pass(path, pbf, map, Vec::new, concat)?
            .into_iter()
            .collect()
    };

    // Pass 3: the coordinates of the nodes those ways need.
    let mut wanted_nodes: HashSet<i64> = member_ways.values().flatten().copied().collect();
    for r in &rows {
        if let (Verdict::Keep(_), Geom::Way(refs)) = (&r.verdict, &r.geom) {
            wanted_nodes.extend(refs.iter().copied());
        }
    }
    let nodes: HashMap<i64, (f64, f64)> = if wanted_nodes.is_empty() {
        HashMap::new()
    } else {
        let map = |el: Element<'_>| match el {
            Element::Node(n) if wanted_nodes.contains(&n.id()) => {
                vec![(n.id(), (n.lon(), n.lat()))]
            }
            Element::DenseNode(n) if wanted_nodes.contains(&n.id()) => {
                vec![(n.id(), (n.lon(), n.lat()))]
            }
            _ => Vec::new(),
        };
        par_pass(path, pbf, map, Vec::new, concat)?
            .into_iter()
            .collect()
    };
    drop(wanted_nodes);

    let points = place(rows, &member_ways, &nodes, source_id, &mut report);
    Ok((points, report))
}

/// Turns pass 1's rows into points, counting every row in `report`.
fn place(
    rows: Vec<Row>,
    member_ways: &HashMap<i64, Vec<i64>>,
    nodes: &HashMap<i64, (f64, f64)>,
    source_id: &str,
    report: &mut SourceReport,
) -> Vec<FacilityPoint> {
    let mut out_reasons: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut kept_by_kind: BTreeMap<Kind, usize> = BTreeMap::new();
    let (mut ways_incomplete, mut rels_incomplete) = (0usize, 0usize);
    let mut by_outline: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut bad_capacity = 0usize;
    let points = point_rows(report, rows, |row, out| {
        let categories = match row.verdict {
            Verdict::Keep(c) => c,
            Verdict::Out(why) => {
                *out_reasons.entry(why).or_default() += 1;
                return Err(Reject::OutOfScope);
            }
            // Pass 1 keeps no unmapped elements; should one slip through, it is still counted.
            Verdict::Unmapped => return Err(Reject::OutOfScope),
        };
        let placed = match &row.geom {
            Geom::Point(lon, lat) => Ok(Placed {
                lonlat: (*lon, *lat),
                outline: false,
            }),
            Geom::Way(refs) => way_point(refs, nodes).inspect_err(|e| {
                if *e == Unplaceable::Incomplete {
                    ways_incomplete += 1;
                }
            }),
            Geom::Multipolygon(outer) => {
                multipolygon_point(outer, member_ways, nodes).inspect_err(|e| {
                    if *e == Unplaceable::Incomplete {
                        rels_incomplete += 1;
                    }
                })
            }
            Geom::None => Err(Unplaceable::Invalid),
        };
        let Placed {
            lonlat: (lon, lat),
            outline,
        } = placed.map_err(|_| Reject::BadCoordinate)?;
        if outline {
            *by_outline.entry(row.kind).or_default() += 1;
        }
        check_lonlat(lon, lat)?;
        let counts_places = categories.iter().any(|c| {
            matches!(
                c,
                Category::Childcare
                    | Category::PrimarySchool
                    | Category::Oberschule
                    | Category::Gymnasium
                    | Category::SpecialSchool
                    | Category::VocationalSchool
            )
        });
        let capacity = match row.capacity.as_deref() {
            Some(raw) if counts_places => match raw.trim().parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => Some(v),
                _ => {
                    bad_capacity += 1;
                    None
                }
            },
            _ => None,
        };
        for category in categories {
            out.push(FacilityPoint {
                category,
                lon,
                lat,
                name: row.name.clone(),
                source: source_id.to_string(),
                ags_hint: None,
                capacity,
                station_category: None,
            });
        }
        *kept_by_kind.entry(row.kind).or_default() += 1;
        Ok(())
    });
    let kept = |k| kept_by_kind.get(&k).copied().unwrap_or(0);
    report.note(format!(
        "rows are OSM elements with a mapped tag; kept {} node(s) as they are, {} way(s) at their \
         centroid and {} multipolygon(s) at the centroid of their outer rings",
        kept(Kind::Node),
        kept(Kind::Way),
        kept(Kind::Relation)
    ));
    for (why, n) in out_reasons {
        report.note(format!("{n} out of scope: {why}"));
    }
    if ways_incomplete > 0 {
        report.note(format!(
            "{ways_incomplete} way(s) with node(s) missing from the extract (bad coordinate)"
        ));
    }
    if rels_incomplete > 0 {
        report.note(format!(
            "{rels_incomplete} multipolygon(s) with outer member way(s) or nodes missing from the \
             extract (bad coordinate)"
        ));
    }
    if !by_outline.is_empty() {
        let n = |k| by_outline.get(&k).copied().unwrap_or(0);
        report.note(format!(
            "{} closed way(s) and {} multipolygon(s) placed at the centroid of their outline, \
             as their rings do not close or cross themselves",
            n(Kind::Way),
            n(Kind::Relation)
        ));
    }
    if bad_capacity > 0 {
        report.note(format!(
            "{bad_capacity} capacity value(s) that are not a plain number, left empty"
        ));
    }
    points
}

/// Pass 1: an element with a mapped tag becomes a [`Row`]; any other element nothing.
fn pass1_map(el: Element<'_>) -> Vec<Row> {
    match el {
        Element::Node(n) => mapped_row(Kind::Node, n.id(), n.tags(), || {
            Geom::Point(n.lon(), n.lat())
        }),
        Element::DenseNode(n) => mapped_row(Kind::Node, n.id(), n.tags(), || {
            Geom::Point(n.lon(), n.lat())
        }),
        Element::Way(w) => mapped_row(Kind::Way, w.id(), w.tags(), || {
            Geom::Way(w.refs().collect())
        }),
        Element::Relation(r) => {
            let mut rows = mapped_row(Kind::Relation, r.id(), r.tags(), || {
                let outer = r
                    .members()
                    .filter(|m| m.member_type == RelMemberType::Way)
                    // An empty role means outer in old-style multipolygons.
                    .filter(|m| matches!(m.role(), Ok("outer" | "")))
                    .map(|m| m.member_id)
                    .collect();
                Geom::Multipolygon(outer)
            });
            let multipolygon = r.tags().any(|(k, v)| k == "type" && v == "multipolygon");
            for row in &mut rows {
                if !multipolygon && matches!(row.verdict, Verdict::Keep(_)) {
                    row.verdict = Verdict::Out(OUT_NOT_MULTIPOLYGON);
                    row.geom = Geom::None;
                }
            }
            rows
        }
    }
}

/// The row of one element if its tags are mapped; the geometry is only built for kept rows.
fn mapped_row<'a>(
    kind: Kind,
    id: i64,
    tags: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    geom: impl FnOnce() -> Geom,
) -> Vec<Row> {
    if !tags.clone().any(|(k, _)| is_row_key(k)) {
        return Vec::new();
    }
    let tags: Vec<(&str, &str)> = tags.collect();
    let verdict = classify(&tags);
    let geom = match verdict {
        Verdict::Unmapped => return Vec::new(),
        Verdict::Out(_) => Geom::None,
        Verdict::Keep(_) => geom(),
    };
    vec![Row {
        kind,
        id,
        verdict,
        name: tag(&tags, "name").map(str::to_string),
        capacity: tag(&tags, "capacity").map(str::to_string),
        geom,
    }]
}

fn concat<T>(mut a: Vec<T>, mut b: Vec<T>) -> Vec<T> {
    if a.len() < b.len() {
        std::mem::swap(&mut a, &mut b);
    }
    a.append(&mut b);
    a
}
