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

use crate::error::{DatasetError, Result};
use crate::facility::{Category, FacilityPoint, check_lonlat};
use crate::report::{Reject, SourceReport};
use geo::{
    BoundingRect, Centroid, Coord, LineString, MultiLineString, MultiPolygon, Polygon, Rect,
};
use osmpbf::{BlobReader, BlobType, Element, ElementReader, ErrorKind, RelMemberType};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// The tag table
// ---------------------------------------------------------------------------------------------

/// What an element with a table row's tag counts as. Most rows map straight to a category; the
/// others need a look at further tags, each rule documented on its function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Maps {
    /// This category, unless `access=private`/`no` (see [`is_closed_to_public`]).
    To(Category),
    /// [`Category::Childcare`], unless the element is a childminder ([`is_childminder`]).
    Kindergarten,
    /// A school category from `school:de`, `school`, `isced:level` or the name
    /// ([`school_categories`]); none of them → out of scope.
    School,
    /// A single pool: [`Category::Pool`] only if `access` says it is open to the public
    /// ([`is_public`]); [`Category::IndoorPool`] as well if it is covered ([`is_indoor`]).
    PublicPool,
    /// A public bath (Spaßbad): [`Category::Pool`], plus [`Category::IndoorPool`] if covered.
    Bath,
    /// [`Category::Sport`]; plus [`Category::Pool`] (and maybe [`Category::IndoorPool`]) if
    /// `sport` lists `swimming` — that is how public baths (Schwimmhalle, Freibad) are mapped.
    SportsCentre,
    /// [`Category::RailStation`], unless `station=miniature` (park railways carry no passengers
    /// anywhere useful).
    Station,
    /// `public_transport=station`: [`Category::RailStation`] only with `train=yes`; other such
    /// stations (bus stations) are not rows at all.
    TrainStation,
    /// `leisure=garden`: [`Category::Culture`] only with `garden:type=botanical`; other gardens
    /// are not rows at all.
    BotanicalGarden,
}

/// The tag table: an element carrying `key=value` of a row is a row of the source and counts
/// as what [`Maps`] says. An element matching several rows gets the union of their categories.
/// Keep `docs/osm.md` in step with this table.
const TAG_TABLE: &[(&str, &str, Maps)] = &[
    // Kita (Krippe and Kindergarten). amenity=childcare is deliberately not a row: in German
    // tagging it mixes Krippen with Horte (after-school care) and Kindertagespflege.
    ("amenity", "kindergarten", Maps::Kindergarten),
    ("amenity", "school", Maps::School),
    ("leisure", "sports_centre", Maps::SportsCentre),
    ("leisure", "sports_hall", Maps::To(Category::Sport)),
    // Most leisure=swimming_pool objects are garden pools traced from aerial imagery, without
    // any access tag: only pools tagged as public count.
    ("leisure", "swimming_pool", Maps::PublicPool),
    // Deprecated spelling of leisure=swimming_pool, still on old objects: same rule.
    ("amenity", "swimming_pool", Maps::PublicPool),
    // Spaß- and Freizeitbäder: public baths with slides.
    ("leisure", "water_park", Maps::Bath),
    ("leisure", "playground", Maps::To(Category::Playground)),
    ("leisure", "park", Maps::To(Category::Park)),
    ("amenity", "library", Maps::To(Category::Library)),
    ("amenity", "theatre", Maps::To(Category::Culture)),
    ("amenity", "arts_centre", Maps::To(Category::Culture)),
    ("tourism", "museum", Maps::To(Category::Culture)),
    // Non-commercial galleries; art dealers are shop=art and not a row.
    ("tourism", "gallery", Maps::To(Category::Culture)),
    // Also Tierparks and wildlife parks, which Saxony has many of.
    ("tourism", "zoo", Maps::To(Category::Culture)),
    ("tourism", "aquarium", Maps::To(Category::Culture)),
    // Botanical gardens belong to Culture (see Category::Culture); other gardens are no rows.
    ("leisure", "garden", Maps::BotanicalGarden),
    ("amenity", "cinema", Maps::To(Category::Cinema)),
    ("railway", "station", Maps::Station),
    ("railway", "halt", Maps::Station),
    // Newer public-transport schema; the same element usually also has railway=station.
    ("public_transport", "station", Maps::TrainStation),
];

/// How a school's type tag (or, last, its name) names the school type. Matched against the
/// lower-cased words of the value (split at anything that is not a letter or digit), so that
/// "Fachoberschule" is not an Oberschule and "Grundschule;Oberschule" is both. "Grund- und
/// Oberschule" is read as "Grundschule und Oberschule" first.
const SCHOOL_WORDS: &[(SchoolWord, Category)] = &[
    (SchoolWord::Is("grundschule"), Category::PrimarySchool),
    // school=primary, the international value of the `school` key.
    (SchoolWord::Is("primary"), Category::PrimarySchool),
    (SchoolWord::Is("oberschule"), Category::Oberschule),
    // Saxony's name for the Oberschule until 2013; still on many objects.
    (SchoolWord::Is("mittelschule"), Category::Oberschule),
    // The secondary school a Gemeinschaftsschule replaces for a family is the Oberschule.
    (SchoolWord::Is("gemeinschaftsschule"), Category::Oberschule),
    // Real-, Haupt- and Gesamtschule are the neighbouring Länder's counterparts (the extract
    // reaches beyond the state border; the polygons decide later).
    (SchoolWord::Is("realschule"), Category::Oberschule),
    (SchoolWord::Is("hauptschule"), Category::Oberschule),
    (SchoolWord::Is("gesamtschule"), Category::Oberschule),
    // Unless a word starting with "beruf" comes right before it ("Berufliches Gymnasium",
    // grades 11–13 only): see `school_words`.
    (SchoolWord::Is("gymnasium"), Category::Gymnasium),
    (SchoolWord::Is("förderschule"), Category::SpecialSchool),
    (SchoolWord::Is("foerderschule"), Category::SpecialSchool),
    (SchoolWord::Is("förderzentrum"), Category::SpecialSchool),
    (SchoolWord::Is("sonderschule"), Category::SpecialSchool),
    // Berufsschule, Berufsfachschule, berufsbildende Schule, Berufliches Schulzentrum, …
    (SchoolWord::StartsWith("beruf"), Category::VocationalSchool),
    (SchoolWord::Is("fachoberschule"), Category::VocationalSchool),
    (SchoolWord::Is("fachschule"), Category::VocationalSchool),
    // "BSZ für Technik": Berufliches Schulzentrum, Saxony's vocational school centres.
    (SchoolWord::Is("bsz"), Category::VocationalSchool),
];

/// How a [`SCHOOL_WORDS`] row matches one word.
#[derive(Clone, Copy, Debug)]
enum SchoolWord {
    Is(&'static str),
    StartsWith(&'static str),
}

impl SchoolWord {
    fn matches(self, word: &str) -> bool {
        match self {
            SchoolWord::Is(w) => word == w,
            SchoolWord::StartsWith(p) => word.starts_with(p),
        }
    }
}

/// What the table makes of one element.
#[derive(Clone, Debug, PartialEq)]
enum Verdict {
    /// No row matches: not a row of the source.
    Unmapped,
    /// A row, counted in these categories (sorted, distinct).
    Keep(Vec<Category>),
    /// A row that lotse does not use; the reason goes into the report's notes.
    Out(&'static str),
}

const OUT_CHILDMINDER: &str = "childminder (Kindertagespflege) tagged amenity=kindergarten";
const OUT_SCHOOL_UNTYPED: &str =
    "school whose type neither school:de, school, isced:level nor its name tells";
const OUT_POOL_NOT_PUBLIC: &str =
    "swimming pool not tagged access=yes/public/permissive (garden, hotel or club pool)";
const OUT_PRIVATE: &str = "access=private/no (not open to the public)";
const OUT_MINIATURE: &str = "miniature (park) railway station";
const OUT_NOT_MULTIPOLYGON: &str =
    "relation that is not a multipolygon (e.g. type=site): only areas can be placed";

/// The facility categories the tag table gives an element with these tags (sorted, distinct);
/// empty for an element lotse does not use — unmapped, or mapped but out of scope (a private
/// pool, a childminder, a school of unknown type).
///
/// Why public: the table is the judgement a user has to trust, so it is callable (and tested)
/// on its own, without a PBF file; `docs/osm.md` documents it row by row.
pub fn categories_for_tags<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<Category> {
    let tags: Vec<(&str, &str)> = tags.collect();
    match classify(&tags) {
        Verdict::Keep(categories) => categories,
        Verdict::Unmapped | Verdict::Out(_) => Vec::new(),
    }
}

/// Applies every matching table row; kept categories of any row win over out-of-scope verdicts
/// of others (a public sports centre that also carries a private pool's tag is still Sport).
fn classify(tags: &[(&str, &str)]) -> Verdict {
    let mut categories: Vec<Category> = Vec::new();
    let mut out: Option<&'static str> = None;
    for &(k, v) in tags {
        for &(key, value, maps) in TAG_TABLE {
            if k != key || v != value {
                continue;
            }
            match apply(maps, tags) {
                Verdict::Keep(c) => categories.extend(c),
                Verdict::Out(why) => out = out.or(Some(why)),
                Verdict::Unmapped => {}
            }
        }
    }
    if !categories.is_empty() {
        categories.sort();
        categories.dedup();
        Verdict::Keep(categories)
    } else if let Some(why) = out {
        Verdict::Out(why)
    } else {
        Verdict::Unmapped
    }
}

/// One row's rule (see [`Maps`]).
fn apply(maps: Maps, tags: &[(&str, &str)]) -> Verdict {
    let closed = is_closed_to_public(tags);
    match maps {
        Maps::Kindergarten if is_childminder(tags) => Verdict::Out(OUT_CHILDMINDER),
        Maps::Kindergarten => Verdict::Keep(vec![Category::Childcare]),
        Maps::School => {
            let categories = school_categories(tags);
            if categories.is_empty() {
                Verdict::Out(OUT_SCHOOL_UNTYPED)
            } else {
                Verdict::Keep(categories)
            }
        }
        Maps::TrainStation if tag(tags, "train") != Some("yes") => Verdict::Unmapped,
        Maps::BotanicalGarden if tag(tags, "garden:type") != Some("botanical") => Verdict::Unmapped,
        Maps::PublicPool if !is_public(tags) => Verdict::Out(OUT_POOL_NOT_PUBLIC),
        _ if closed => Verdict::Out(OUT_PRIVATE),
        Maps::To(category) => Verdict::Keep(vec![category]),
        Maps::PublicPool | Maps::Bath => Verdict::Keep(pool(tags)),
        Maps::SportsCentre => {
            let mut c = vec![Category::Sport];
            if list_contains(tag(tags, "sport"), "swimming") {
                c.extend(pool(tags));
            }
            Verdict::Keep(c)
        }
        Maps::Station if tag(tags, "station") == Some("miniature") => Verdict::Out(OUT_MINIATURE),
        Maps::Station | Maps::TrainStation => Verdict::Keep(vec![Category::RailStation]),
        Maps::BotanicalGarden => Verdict::Keep(vec![Category::Culture]),
    }
}

/// The value of `key`, if the element has it.
fn tag<'a>(tags: &[(&str, &'a str)], key: &str) -> Option<&'a str> {
    tags.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// Whether a `;`-separated OSM value list (`sport=swimming;diving`) contains `item`.
fn list_contains(value: Option<&str>, item: &str) -> bool {
    value.is_some_and(|v| v.split(';').any(|s| s.trim() == item))
}

/// `access=private` or `access=no`: a playground in a housing estate's courtyard, a company
/// gym. Why not for Kitas and schools: there `access` describes the grounds, not who may enrol.
fn is_closed_to_public(tags: &[(&str, &str)]) -> bool {
    matches!(tag(tags, "access"), Some("private" | "no"))
}

/// A pool counts only if it says it is open: `access=yes`, `public` or `permissive`. Why not
/// `customers`: hotel, sauna and fitness-club pools are tagged so; public baths are found by
/// their `leisure=sports_centre` + `sport=swimming` complex instead.
fn is_public(tags: &[(&str, &str)]) -> bool {
    matches!(tag(tags, "access"), Some("yes" | "public" | "permissive"))
}

/// [`Category::Pool`], plus [`Category::IndoorPool`] if the pool is usable all year.
fn pool(tags: &[(&str, &str)]) -> Vec<Category> {
    if is_indoor(tags) {
        vec![Category::Pool, Category::IndoorPool]
    } else {
        vec![Category::Pool]
    }
}

/// A covered pool: `indoor=yes`, `covered=yes`, a `building` tag on the element itself (a
/// Schwimmhalle mapped as its building), or a name saying "Hallenbad"/"Schwimmhalle"/"Hallen-
/// und Freibad" (the usual names, often the only hint on a node).
fn is_indoor(tags: &[(&str, &str)]) -> bool {
    if tag(tags, "indoor") == Some("yes") || tag(tags, "covered") == Some("yes") {
        return true;
    }
    if tag(tags, "building").is_some_and(|b| b != "no") {
        return true;
    }
    tag(tags, "name").is_some_and(|n| {
        let n = n.to_lowercase();
        n.contains("hallenbad") || n.contains("schwimmhalle") || n.contains("hallen- und")
    })
}

/// A childminder (Kindertagespflege: a person caring for up to five children at home) mapped
/// as `amenity=kindergarten`. Why excluded: [`Category::Childcare`] measures the distance to a
/// Kindertageseinrichtung, and childminders' places are neither stable nor public. Recognised
/// by `childcare`, `childcare:type`, `kindergarten:type` or `kindergarten` saying childminder /
/// Tagespflege / Tagesmutter / Tagesvater, or by such a name ("Kindertagespflege Sonnenschein").
fn is_childminder(tags: &[(&str, &str)]) -> bool {
    const WORDS: [&str; 5] = [
        "childminder",
        "tagespflege",
        "tagesmutter",
        "tagesvater",
        "tageseltern",
    ];
    [
        "childcare",
        "childcare:type",
        "kindergarten:type",
        "kindergarten",
        "name",
    ]
    .iter()
    .filter_map(|k| tag(tags, k))
    .any(|v| {
        let v = v.to_lowercase();
        WORDS.iter().any(|w| v.contains(w))
    })
}

/// The categories of a school: from the first of `school:de`, `school`, `isced:level` and
/// `name` that names any. Why this order: `school:de` is the German type in the mappers' own
/// words; `school` is sometimes used the same way; `isced:level` only gives levels; the name
/// ("34. Grundschule Dresden") is right almost always but is not a tag meant for it.
///
/// `isced:level` (values like `1`, `2;3`, `1-3`), honestly approximate for Saxony: 1 →
/// Grundschule; 2 without 3 → Oberschule (grades 5–10); 2 and 3 → Gymnasium (a general school
/// teaching to the Abitur); 3 alone is ambiguous (berufliches Gymnasium, Fachoberschule,
/// Berufsschule) and gives nothing; 0 and 4+ give nothing.
fn school_categories(tags: &[(&str, &str)]) -> Vec<Category> {
    for key in ["school:de", "school"] {
        let c = tag(tags, key).map(school_words).unwrap_or_default();
        if !c.is_empty() {
            return c;
        }
    }
    let c = tag(tags, "isced:level")
        .map(isced_categories)
        .unwrap_or_default();
    if !c.is_empty() {
        return c;
    }
    tag(tags, "name").map(school_words).unwrap_or_default()
}

/// The categories the words of a school type (or name) name, per [`SCHOOL_WORDS`].
fn school_words(text: &str) -> Vec<Category> {
    let text = text.to_lowercase().replace("grund- und", "grundschule und");
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    for (i, word) in words.iter().enumerate() {
        for &(pattern, category) in SCHOOL_WORDS {
            if !pattern.matches(word) {
                continue;
            }
            let vocational_gymnasium =
                category == Category::Gymnasium && i > 0 && words[i - 1].starts_with("beruf");
            if !vocational_gymnasium {
                out.push(category);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The categories of an `isced:level` value (see [`school_categories`]).
fn isced_categories(value: &str) -> Vec<Category> {
    let mut levels = HashSet::new();
    for part in value.split([';', ',']) {
        let part = part.trim();
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a.trim().parse::<u8>(), b.trim().parse::<u8>()),
            None => (part.parse::<u8>(), part.parse::<u8>()),
        };
        if let (Ok(a), Ok(b)) = (a, b)
            && a <= b
            && b <= 8
        {
            levels.extend(a..=b);
        }
    }
    let mut out = Vec::new();
    if levels.contains(&1) {
        out.push(Category::PrimarySchool);
    }
    match (levels.contains(&2), levels.contains(&3)) {
        (true, true) => out.push(Category::Gymnasium),
        (true, false) => out.push(Category::Oberschule),
        _ => {}
    }
    out
}

/// Whether a tag can start a table row: a cheap test run on every one of the file's elements
/// before their tags are collected.
fn is_row_key(key: &str) -> bool {
    TAG_TABLE.iter().any(|(k, _, _)| *k == key)
}

// ---------------------------------------------------------------------------------------------
// Reading the file
// ---------------------------------------------------------------------------------------------

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

/// Where the PBF bytes are read from: a file (streamed) or memory.
#[derive(Clone, Copy)]
enum Pbf<'a> {
    File(&'a Path),
    Memory(&'a [u8]),
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
    let mut points = Vec::new();
    let mut out_reasons: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut kept_by_kind: BTreeMap<Kind, usize> = BTreeMap::new();
    let (mut ways_incomplete, mut rels_incomplete) = (0usize, 0usize);
    let mut by_outline: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut bad_capacity = 0usize;
    for row in rows {
        report.rows_read += 1;
        let categories = match row.verdict {
            Verdict::Keep(c) => c,
            Verdict::Out(why) => {
                report.reject(Reject::OutOfScope);
                *out_reasons.entry(why).or_default() += 1;
                continue;
            }
            // Pass 1 keeps no unmapped elements; should one slip through, it is still counted.
            Verdict::Unmapped => {
                report.reject(Reject::OutOfScope);
                continue;
            }
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
        let Ok(Placed {
            lonlat: (lon, lat),
            outline,
        }) = placed
        else {
            report.reject(Reject::BadCoordinate);
            continue;
        };
        if outline {
            *by_outline.entry(row.kind).or_default() += 1;
        }
        if let Err(why) = check_lonlat(lon, lat) {
            report.reject(why);
            continue;
        }
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
            points.push(FacilityPoint {
                category,
                lon,
                lat,
                name: row.name.clone(),
                source: source_id.to_string(),
                ags_hint: None,
                capacity,
            });
        }
        *kept_by_kind.entry(row.kind).or_default() += 1;
        report.rows_kept += 1;
    }
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

/// One parallel pass over the file. A decoder error becomes a [`DatasetError`] naming the
/// file; so does a panic inside the decoder (osmpbf panics on some corrupt values, e.g. an
/// unknown relation member type), because a user's broken download must not crash lotse.
fn par_pass<T, MP, ID, RD>(
    path: &Path,
    pbf: Pbf<'_>,
    map: MP,
    identity: ID,
    reduce: RD,
) -> Result<T>
where
    MP: for<'a> Fn(Element<'a>) -> T + Sync + Send,
    ID: Fn() -> T + Sync + Send,
    RD: Fn(T, T) -> T + Sync + Send,
    T: Send,
{
    let run = || match pbf {
        Pbf::File(file) => ElementReader::from_path(file)
            .map_err(|e| pbf_error(path, e))
            .map(|reader| reader.par_map_reduce(map, identity, reduce)),
        Pbf::Memory(bytes) => {
            Ok(ElementReader::new(Cursor::new(bytes)).par_map_reduce(map, identity, reduce))
        }
    };
    match catch_unwind(AssertUnwindSafe(run)) {
        Ok(Err(e)) => Err(e),
        Ok(Ok(Ok(t))) => Ok(t),
        Ok(Ok(Err(e))) => Err(pbf_error(path, e)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown error".to_string());
            Err(DatasetError::format(
                path,
                format!("corrupt OSM PBF file: the decoder failed ({what})"),
            ))
        }
    }
}

/// An osmpbf error as a [`DatasetError`]: an early end of file is truncation (a broken
/// download), other I/O errors are I/O, everything else is a corrupt file.
fn pbf_error(path: &Path, e: osmpbf::Error) -> DatasetError {
    let io_kind = match e.kind() {
        ErrorKind::Io(io) => Some(io.kind()),
        _ => None,
    };
    match io_kind {
        Some(std::io::ErrorKind::NotFound) => DatasetError::Missing {
            path: path.to_path_buf(),
        },
        Some(std::io::ErrorKind::UnexpectedEof) => {
            DatasetError::format(path, format!("truncated OSM PBF file: {e}"))
        }
        Some(_) => match e.into_kind() {
            ErrorKind::Io(source) => DatasetError::Io {
                path: path.to_path_buf(),
                source,
            },
            other => DatasetError::format(path, format!("not a valid OSM PBF file: {other:?}")),
        },
        None => DatasetError::format(path, format!("not a valid OSM PBF file: {e}")),
    }
}

/// Checks the file's block structure before any element is read, because osmpbf stops quietly
/// when a file ends inside a block header: every block must lie within the file and the file
/// must end exactly after the last one (else it was truncated), the first block must be an
/// `OSMHeader` (else it is not a PBF, e.g. an `.osm` XML file), and the header may require no
/// feature this reader does not understand (a full-history file would count every version).
fn check_framing(path: &Path, pbf: Pbf<'_>) -> Result<()> {
    let len = match pbf {
        Pbf::Memory(bytes) => bytes.len() as u64,
        Pbf::File(file) => match std::fs::metadata(file) {
            Ok(m) => m.len(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(DatasetError::Missing {
                    path: path.to_path_buf(),
                });
            }
            Err(e) => {
                return Err(DatasetError::Io {
                    path: path.to_path_buf(),
                    source: e,
                });
            }
        },
    };
    if len == 0 {
        return Err(DatasetError::format(
            path,
            "empty file, not an OSM PBF file",
        ));
    }
    match pbf {
        Pbf::File(file) => check_blocks(
            path,
            len,
            BlobReader::seekable_from_path(file).map_err(|e| pbf_error(path, e))?,
        )?,
        Pbf::Memory(bytes) => check_blocks(
            path,
            len,
            BlobReader::new_seekable(Cursor::new(bytes)).map_err(|e| pbf_error(path, e))?,
        )?,
    }
    match pbf {
        Pbf::File(file) => check_header(
            path,
            BlobReader::from_path(file).map_err(|e| pbf_error(path, e))?,
        ),
        Pbf::Memory(bytes) => check_header(path, BlobReader::new(Cursor::new(bytes))),
    }
}

/// The block walk of [`check_framing`] over a file of `len` bytes.
fn check_blocks<R: Read + Seek + Send>(
    path: &Path,
    len: u64,
    mut blobs: BlobReader<R>,
) -> Result<()> {
    let mut first = true;
    loop {
        let start = blobs
            .seek_raw(SeekFrom::Current(0))
            .map_err(|e| pbf_error(path, e))?;
        let Some(next) = blobs.next_header_skip_blob() else {
            if start != len {
                return Err(DatasetError::format(
                    path,
                    format!(
                        "truncated OSM PBF file: {} byte(s) at offset {start} do not form a block",
                        len - start
                    ),
                ));
            }
            break;
        };
        let (header, _) = next.map_err(|e| pbf_error(path, e))?;
        if header.get_blob_size() < 0 {
            return Err(DatasetError::format(
                path,
                format!("corrupt OSM PBF file: negative block size at offset {start}"),
            ));
        }
        let end = blobs
            .seek_raw(SeekFrom::Current(0))
            .map_err(|e| pbf_error(path, e))?;
        if end > len {
            return Err(DatasetError::format(
                path,
                format!(
                    "truncated OSM PBF file: the block at offset {start} ends at byte {end}, \
                     but the file has {len} bytes"
                ),
            ));
        }
        if first && header.blob_type() != BlobType::OsmHeader {
            return Err(DatasetError::format(
                path,
                "not an OSM PBF file: it does not start with an OSMHeader block",
            ));
        }
        first = false;
    }
    Ok(())
}

/// Decodes the header block and refuses required features this reader does not handle.
fn check_header<R: Read + Send>(path: &Path, mut blobs: BlobReader<R>) -> Result<()> {
    let Some(blob) = blobs.next() else {
        return Err(DatasetError::format(
            path,
            "empty file, not an OSM PBF file",
        ));
    };
    let blob = blob.map_err(|e| pbf_error(path, e))?;
    let header = catch_unwind(AssertUnwindSafe(|| blob.to_headerblock()))
        .map_err(|_| DatasetError::format(path, "corrupt OSM PBF header block"))?
        .map_err(|e| pbf_error(path, e))?;
    for feature in header.required_features() {
        if !matches!(feature.as_str(), "OsmSchema-V0.6" | "DenseNodes") {
            return Err(DatasetError::format(
                path,
                format!(
                    "the OSM PBF file requires the feature {feature:?}, which lotse does not \
                     support (use a current extract, not a history file)"
                ),
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Geometry
// ---------------------------------------------------------------------------------------------

/// Why a way or multipolygon could not be placed (both are [`Reject::BadCoordinate`]; the
/// report's notes tell them apart).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unplaceable {
    /// A node or member way is not in the extract (clipped at its border, or a broken file).
    Incomplete,
    /// No nodes, a node failing [`check_lonlat`], or no centroid.
    Invalid,
}

/// The coordinates of `refs`, each checked with [`check_lonlat`].
fn coords(refs: &[i64], nodes: &HashMap<i64, (f64, f64)>) -> Result<Vec<(f64, f64)>, Unplaceable> {
    if refs.is_empty() {
        return Err(Unplaceable::Invalid);
    }
    refs.iter()
        .map(|id| {
            let &(lon, lat) = nodes.get(id).ok_or(Unplaceable::Incomplete)?;
            check_lonlat(lon, lat).map_err(|_| Unplaceable::Invalid)?;
            Ok((lon, lat))
        })
        .collect()
}

/// A way's or multipolygon's point. `outline` says it is the centroid of the outline instead
/// of the area, because the area could not give one (rings that do not close, or a
/// self-intersecting ring whose area centroid lies outside the shape's bounding box).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Placed {
    lonlat: (f64, f64),
    outline: bool,
}

/// A way's point: the area-weighted centroid of a closed way (first node = last, at least four
/// nodes), else the length-weighted centroid of the line. Why not the mean of the nodes: a
/// park's curved edge has many nodes on one side and would pull the mean towards it.
fn way_point(refs: &[i64], nodes: &HashMap<i64, (f64, f64)>) -> Result<Placed, Unplaceable> {
    let pts = coords(refs, nodes)?;
    let frame = Frame::at(pts[0]);
    let line = LineString::from(pts.iter().map(|&p| frame.to_plane(p)).collect::<Vec<_>>());
    let area = is_ring(refs).then(|| Polygon::new(line.clone(), vec![]).centroid());
    place_area_or_outline(&frame, area, &line)
}

/// The area centroid if there is one and it lies within the outline's bounding box (always
/// true for a valid shape; a self-intersecting ring with near-zero area can put it anywhere),
/// else the outline's length-weighted centroid (`outline` set if an area was tried).
fn place_area_or_outline<G>(
    frame: &Frame,
    area: Option<Option<geo::Point<f64>>>,
    outline: &G,
) -> Result<Placed, Unplaceable>
where
    G: Centroid<Output = Option<geo::Point<f64>>> + BoundingRect<f64>,
{
    let bbox: Option<Rect<f64>> = outline.bounding_rect().into();
    if let Some(Some(c)) = area
        && let Some(b) = bbox
    {
        const EPS: f64 = 1e-9;
        let (lo, hi) = (b.min(), b.max());
        if c.x() >= lo.x - EPS && c.x() <= hi.x + EPS && c.y() >= lo.y - EPS && c.y() <= hi.y + EPS
        {
            return Ok(Placed {
                lonlat: frame.to_lonlat(c.0),
                outline: false,
            });
        }
    }
    outline
        .centroid()
        .map(|c| Placed {
            lonlat: frame.to_lonlat(c.0),
            outline: area.is_some(),
        })
        .ok_or(Unplaceable::Invalid)
}

fn is_ring(refs: &[i64]) -> bool {
    refs.len() >= 4 && refs.first() == refs.last()
}

/// A multipolygon's point: the area-weighted centroid of its outer rings, joined from the
/// outer member ways; inner rings (holes) are ignored, as they move the point little. If the
/// ways do not close into rings (a broken multipolygon), the length-weighted centroid of the
/// outline (`outline` set).
fn multipolygon_point(
    outer: &[i64],
    ways: &HashMap<i64, Vec<i64>>,
    nodes: &HashMap<i64, (f64, f64)>,
) -> Result<Placed, Unplaceable> {
    if outer.is_empty() {
        return Err(Unplaceable::Invalid);
    }
    let members: Vec<Vec<i64>> = outer
        .iter()
        .map(|id| ways.get(id).cloned().ok_or(Unplaceable::Incomplete))
        .collect::<Result<_, _>>()?;
    let rings = join_rings(members.clone());
    let closed = rings.is_some();
    let lines: Vec<Vec<(f64, f64)>> = rings
        .unwrap_or(members)
        .iter()
        .map(|refs| coords(refs, nodes))
        .collect::<Result<_, _>>()?;
    let frame = Frame::at(lines[0][0]);
    let outline = MultiLineString::new(
        lines
            .iter()
            .map(|pts| LineString::from(pts.iter().map(|&p| frame.to_plane(p)).collect::<Vec<_>>()))
            .collect(),
    );
    let area = closed.then(|| {
        MultiPolygon::new(
            outline
                .0
                .iter()
                .map(|r| Polygon::new(r.clone(), vec![]))
                .collect(),
        )
        .centroid()
    });
    let placed = place_area_or_outline(&frame, area, &outline)?;
    Ok(Placed {
        outline: placed.outline || !closed,
        ..placed
    })
}

/// Joins ways (node id lists) end to end into closed rings, reversing ways as needed, as a
/// multipolygon's outer ways are split and drawn in either direction. `None` if any ring stays
/// open.
fn join_rings(mut pending: Vec<Vec<i64>>) -> Option<Vec<Vec<i64>>> {
    pending.retain(|w| !w.is_empty());
    let mut rings = Vec::new();
    while let Some(mut ring) = pending.pop() {
        while !is_ring(&ring) {
            let end = *ring.last()?;
            let i = pending
                .iter()
                .position(|w| w.first() == Some(&end) || w.last() == Some(&end))?;
            let mut next = pending.swap_remove(i);
            if next.first() != Some(&end) {
                next.reverse();
            }
            ring.extend_from_slice(&next[1..]);
            if ring.len() > 1 && ring.first() == ring.last() && ring.len() < 4 {
                return None; // a there-and-back line, no area
            }
        }
        rings.push(ring);
    }
    if rings.is_empty() { None } else { Some(rings) }
}

/// A local plane around a reference point, with longitude scaled by cos(latitude), so that
/// lengths (for line centroids) are true to scale; area centroids do not depend on it.
struct Frame {
    lon0: f64,
    lat0: f64,
    k: f64,
}

impl Frame {
    fn at((lon0, lat0): (f64, f64)) -> Frame {
        let k = lat0.to_radians().cos();
        Frame {
            lon0,
            lat0,
            k: if k > 1e-9 { k } else { 1.0 },
        }
    }

    fn to_plane(&self, (lon, lat): (f64, f64)) -> Coord<f64> {
        Coord {
            x: (lon - self.lon0) * self.k,
            y: lat - self.lat0,
        }
    }

    fn to_lonlat(&self, c: Coord<f64>) -> (f64, f64) {
        (self.lon0 + c.x / self.k, self.lat0 + c.y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cats(tags: &[(&str, &str)]) -> Vec<Category> {
        categories_for_tags(tags.iter().copied())
    }

    fn verdict(tags: &[(&str, &str)]) -> Verdict {
        classify(tags)
    }

    #[test]
    fn simple_rows() {
        use Category::*;
        assert_eq!(cats(&[("leisure", "playground")]), vec![Playground]);
        assert_eq!(cats(&[("leisure", "park")]), vec![Park]);
        assert_eq!(cats(&[("amenity", "library")]), vec![Library]);
        assert_eq!(cats(&[("amenity", "cinema")]), vec![Cinema]);
        for (k, v) in [
            ("amenity", "theatre"),
            ("amenity", "arts_centre"),
            ("tourism", "museum"),
            ("tourism", "gallery"),
            ("tourism", "zoo"),
            ("tourism", "aquarium"),
        ] {
            assert_eq!(cats(&[(k, v)]), vec![Culture], "{k}={v}");
        }
        assert_eq!(cats(&[("leisure", "sports_hall")]), vec![Sport]);
        assert_eq!(cats(&[("leisure", "sports_centre")]), vec![Sport]);
        assert_eq!(verdict(&[("shop", "bakery")]), Verdict::Unmapped);
        assert_eq!(verdict(&[]), Verdict::Unmapped);
    }

    #[test]
    fn childcare_but_not_childminders() {
        assert_eq!(
            cats(&[("amenity", "kindergarten")]),
            vec![Category::Childcare]
        );
        // Kitas' grounds are often access=private; that does not make the Kita private.
        assert_eq!(
            cats(&[("amenity", "kindergarten"), ("access", "private")]),
            vec![Category::Childcare]
        );
        for tags in [
            [
                ("amenity", "kindergarten"),
                ("kindergarten:type", "childminder"),
            ],
            [("amenity", "kindergarten"), ("childcare", "Tagespflege")],
            [
                ("amenity", "kindergarten"),
                ("name", "Kindertagespflege Wirbelwind"),
            ],
            [("amenity", "kindergarten"), ("name", "Tagesmutter Anja")],
        ] {
            assert_eq!(verdict(&tags), Verdict::Out(OUT_CHILDMINDER), "{tags:?}");
        }
        assert_eq!(verdict(&[("amenity", "childcare")]), Verdict::Unmapped);
    }

    #[test]
    fn schools_by_type_tag() {
        use Category::*;
        let school = |k: &'static str, v: &'static str| cats(&[("amenity", "school"), (k, v)]);
        assert_eq!(school("school:de", "Grundschule"), vec![PrimarySchool]);
        assert_eq!(school("school:de", "Oberschule"), vec![Oberschule]);
        assert_eq!(school("school:de", "Mittelschule"), vec![Oberschule]);
        assert_eq!(school("school:de", "Gemeinschaftsschule"), vec![Oberschule]);
        assert_eq!(school("school:de", "Realschule"), vec![Oberschule]);
        assert_eq!(school("school:de", "Gymnasium"), vec![Gymnasium]);
        assert_eq!(school("school:de", "Förderschule"), vec![SpecialSchool]);
        assert_eq!(school("school:de", "Berufsschule"), vec![VocationalSchool]);
        assert_eq!(
            school("school:de", "Berufsbildende Schule"),
            vec![VocationalSchool]
        );
        assert_eq!(
            school("school:de", "Berufliches Gymnasium"),
            vec![VocationalSchool]
        );
        assert_eq!(
            school("school:de", "Fachoberschule"),
            vec![VocationalSchool]
        );
        assert_eq!(
            school("school:de", "Grund- und Oberschule"),
            vec![PrimarySchool, Oberschule]
        );
        assert_eq!(
            school("school:de", "Grundschule;Oberschule"),
            vec![PrimarySchool, Oberschule]
        );
        assert_eq!(school("school", "primary"), vec![PrimarySchool]);
        assert_eq!(school("school", "Gymnasium"), vec![Gymnasium]);
        // school:de wins over isced:level.
        assert_eq!(
            cats(&[
                ("amenity", "school"),
                ("school:de", "Gymnasium"),
                ("isced:level", "1")
            ]),
            vec![Gymnasium]
        );
    }

    #[test]
    fn schools_by_isced_level_and_name() {
        use Category::*;
        let isced = |v: &'static str| cats(&[("amenity", "school"), ("isced:level", v)]);
        assert_eq!(isced("1"), vec![PrimarySchool]);
        assert_eq!(isced("2"), vec![Oberschule]);
        assert_eq!(isced("2;3"), vec![Gymnasium]);
        assert_eq!(isced("2-3"), vec![Gymnasium]);
        assert_eq!(isced("1;2"), vec![PrimarySchool, Oberschule]);
        assert_eq!(isced("1-3"), vec![PrimarySchool, Gymnasium]);
        assert_eq!(isced("3"), Vec::<Category>::new());
        assert_eq!(isced("0"), Vec::<Category>::new());
        assert_eq!(isced("rubbish"), Vec::<Category>::new());
        assert_eq!(
            cats(&[("amenity", "school"), ("name", "34. Grundschule Dresden")]),
            vec![PrimarySchool]
        );
        assert_eq!(
            cats(&[("amenity", "school"), ("name", "BSZ für Technik Dresden")]),
            vec![VocationalSchool]
        );
        // Unrecognised school:de falls through to isced:level.
        assert_eq!(
            cats(&[
                ("amenity", "school"),
                ("school:de", "Freie Waldorfschule"),
                ("isced:level", "1")
            ]),
            vec![PrimarySchool]
        );
        assert_eq!(
            verdict(&[("amenity", "school"), ("name", "Freie Schule Elbmarsch")]),
            Verdict::Out(OUT_SCHOOL_UNTYPED)
        );
    }

    #[test]
    fn pools() {
        use Category::*;
        assert_eq!(
            verdict(&[("leisure", "swimming_pool")]),
            Verdict::Out(OUT_POOL_NOT_PUBLIC)
        );
        assert_eq!(
            verdict(&[("leisure", "swimming_pool"), ("access", "private")]),
            Verdict::Out(OUT_POOL_NOT_PUBLIC)
        );
        assert_eq!(
            verdict(&[("leisure", "swimming_pool"), ("access", "customers")]),
            Verdict::Out(OUT_POOL_NOT_PUBLIC)
        );
        assert_eq!(
            cats(&[("leisure", "swimming_pool"), ("access", "yes")]),
            vec![Pool]
        );
        assert_eq!(
            cats(&[
                ("leisure", "swimming_pool"),
                ("access", "public"),
                ("indoor", "yes")
            ]),
            vec![Pool, IndoorPool]
        );
        assert_eq!(
            cats(&[
                ("amenity", "swimming_pool"),
                ("access", "yes"),
                ("covered", "yes")
            ]),
            vec![Pool, IndoorPool]
        );
        assert_eq!(
            cats(&[("leisure", "sports_centre"), ("sport", "swimming")]),
            vec![Pool, Sport]
        );
        assert_eq!(
            cats(&[
                ("leisure", "sports_centre"),
                ("sport", "fitness;swimming"),
                ("building", "yes")
            ]),
            vec![Pool, IndoorPool, Sport]
        );
        assert_eq!(
            cats(&[
                ("leisure", "sports_centre"),
                ("sport", "swimming"),
                ("name", "Schwimmhalle Nord")
            ]),
            vec![Pool, IndoorPool, Sport]
        );
        assert_eq!(cats(&[("leisure", "water_park")]), vec![Pool]);
        assert_eq!(
            cats(&[("leisure", "water_park"), ("building", "yes")]),
            vec![Pool, IndoorPool]
        );
    }

    #[test]
    fn access_private_stations_and_gardens() {
        use Category::*;
        assert_eq!(
            verdict(&[("leisure", "playground"), ("access", "private")]),
            Verdict::Out(OUT_PRIVATE)
        );
        assert_eq!(
            verdict(&[("leisure", "sports_centre"), ("access", "no")]),
            Verdict::Out(OUT_PRIVATE)
        );
        assert_eq!(cats(&[("railway", "station")]), vec![RailStation]);
        assert_eq!(cats(&[("railway", "halt")]), vec![RailStation]);
        assert_eq!(
            verdict(&[("railway", "station"), ("station", "miniature")]),
            Verdict::Out(OUT_MINIATURE)
        );
        assert_eq!(
            cats(&[
                ("public_transport", "station"),
                ("train", "yes"),
                ("railway", "station")
            ]),
            vec![RailStation]
        );
        assert_eq!(
            verdict(&[("public_transport", "station"), ("bus", "yes")]),
            Verdict::Unmapped
        );
        assert_eq!(
            cats(&[("leisure", "garden"), ("garden:type", "botanical")]),
            vec![Culture]
        );
        assert_eq!(verdict(&[("leisure", "garden")]), Verdict::Unmapped);
        // One element, two rows: the union.
        assert_eq!(
            cats(&[("amenity", "library"), ("tourism", "museum")]),
            vec![Library, Culture]
        );
    }

    #[test]
    fn rings_are_joined_in_either_direction() {
        let rings = join_rings(vec![vec![1, 2, 3], vec![1, 5, 4], vec![3, 4]]).expect("closes");
        assert_eq!(rings.len(), 1);
        assert!(is_ring(&rings[0]));
        assert_eq!(rings[0].len(), 6);
        assert!(join_rings(vec![vec![1, 2, 3], vec![3, 4]]).is_none());
        assert_eq!(
            join_rings(vec![vec![1, 2, 3, 1], vec![7, 8, 9, 7]]).map(|r| r.len()),
            Some(2)
        );
        assert!(join_rings(vec![vec![1, 2], vec![2, 1]]).is_none());
    }

    #[test]
    fn centroids() {
        let nodes: HashMap<i64, (f64, f64)> = [
            (1, (13.0, 51.0)),
            (2, (13.002, 51.0)),
            (3, (13.002, 51.001)),
            (4, (13.001, 51.001)),
            (5, (13.001, 51.002)),
            (6, (13.0, 51.002)),
            (7, (0.0, 0.0)),
        ]
        .into_iter()
        .collect();
        // An L: area centroid (5/6, 5/6) in 0.001° units, not the node mean (1, 1).
        let p = way_point(&[1, 2, 3, 4, 5, 6, 1], &nodes).expect("placed");
        assert!(!p.outline);
        assert!((p.lonlat.0 - 13.000_833_333).abs() < 1e-8, "{p:?}");
        assert!((p.lonlat.1 - 51.000_833_333).abs() < 1e-8, "{p:?}");
        assert_eq!(way_point(&[1, 2, 99], &nodes), Err(Unplaceable::Incomplete));
        assert_eq!(way_point(&[1, 7, 2], &nodes), Err(Unplaceable::Invalid));
        assert_eq!(way_point(&[], &nodes), Err(Unplaceable::Invalid));
        // A single node way is its node.
        assert_eq!(
            way_point(&[2], &nodes),
            Ok(Placed {
                lonlat: (13.002, 51.0),
                outline: false
            })
        );
        let ways: HashMap<i64, Vec<i64>> = [(10, vec![1, 2, 3, 4]), (11, vec![1, 6, 5, 4])]
            .into_iter()
            .collect();
        let p = multipolygon_point(&[10, 11], &ways, &nodes).expect("placed");
        assert!(!p.outline);
        assert!((p.lonlat.0 - 13.000_833_333).abs() < 1e-8, "{p:?}");
        assert!((p.lonlat.1 - 51.000_833_333).abs() < 1e-8, "{p:?}");
        assert_eq!(
            multipolygon_point(&[10, 12], &ways, &nodes),
            Err(Unplaceable::Incomplete)
        );
        let p = multipolygon_point(&[10], &ways, &nodes).expect("outline");
        assert!(p.outline);
    }

    #[test]
    fn a_self_intersecting_ring_stays_within_its_box() {
        // A bow tie whose two lobes almost cancel: the area formula divides by ~0 and would
        // put the point anywhere; the outline's centroid is used instead.
        let nodes: HashMap<i64, (f64, f64)> = [
            (1, (13.0, 51.0)),
            (2, (13.002, 51.002)),
            (3, (13.002, 51.0)),
            (4, (13.0, 51.002_000_01)),
        ]
        .into_iter()
        .collect();
        let p = way_point(&[1, 2, 3, 4, 1], &nodes).expect("placed");
        assert!(p.outline, "{p:?}");
        let (lon, lat) = p.lonlat;
        assert!(
            (13.0..=13.002).contains(&lon) && (51.0..=51.002_000_01).contains(&lat),
            "{p:?}"
        );
    }
}
