//! The OSM PBF reader on a real PBF file: the test writes a small OSM XML file covering every
//! row of the tag table (plus a private pool, a childminder, an unmapped shop, a node at 0,0,
//! ways and multipolygons with missing members), converts it with osmium-tool (`osmium cat`)
//! and checks categories, centroids and rejections exactly.
//!
//! Needs `osmium` on PATH (Debian/Ubuntu: `apt-get install osmium-tool`). Without it the tests
//! fail with that message rather than pass silently: a reader of binary files that is never
//! run on one is not tested.

use datasets::DatasetError;
use datasets::facility::{Category, FacilityPoint};
use datasets::readers::osm::{read_osm_pbf, read_osm_pbf_bytes};
use datasets::report::{Reject, SourceReport};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// An untagged way node or a tagged node: id, lon, lat, tags.
type N = (i64, f64, f64, &'static [(&'static str, &'static str)]);

/// Tagged nodes, one per row of the tag table and its exceptions. Longitudes step by 0.001°.
const TAGGED_NODES: &[N] = &[
    (
        1,
        13.700,
        51.05,
        &[
            ("amenity", "kindergarten"),
            ("name", "Kita Sonnenschein"),
            ("capacity", "120"),
        ],
    ),
    (
        2,
        13.701,
        51.05,
        &[
            ("amenity", "kindergarten"),
            ("name", "Kindertagespflege Wirbelwind"),
        ],
    ),
    (
        3,
        13.702,
        51.05,
        &[
            ("amenity", "school"),
            ("school:de", "Grundschule"),
            ("name", "12. Grundschule"),
            ("capacity", "ca. 300"),
        ],
    ),
    (
        4,
        13.703,
        51.05,
        &[
            ("amenity", "school"),
            ("school:de", "Grund- und Oberschule"),
        ],
    ),
    (
        5,
        13.704,
        51.05,
        &[("amenity", "school"), ("isced:level", "2;3")],
    ),
    (
        6,
        13.705,
        51.05,
        &[("amenity", "school"), ("school:de", "Förderschule")],
    ),
    (
        7,
        13.706,
        51.05,
        &[
            ("amenity", "school"),
            ("school:de", "Berufliches Gymnasium"),
        ],
    ),
    (
        8,
        13.707,
        51.05,
        &[("amenity", "school"), ("name", "Freie Schule Elbtal")],
    ),
    (
        9,
        13.708,
        51.05,
        &[("leisure", "swimming_pool"), ("access", "private")],
    ),
    (
        10,
        13.709,
        51.05,
        &[("shop", "bakery"), ("name", "Bäckerei")],
    ),
    (
        11,
        0.0,
        0.0,
        &[("amenity", "library"), ("name", "Null Island")],
    ),
    (
        12,
        13.710,
        51.05,
        &[("amenity", "cinema"), ("capacity", "200")],
    ),
    (
        13,
        13.711,
        51.05,
        &[("railway", "halt"), ("name", "Dresden-Strehlen")],
    ),
    (
        14,
        13.712,
        51.05,
        &[
            ("railway", "station"),
            ("public_transport", "station"),
            ("train", "yes"),
        ],
    ),
    (
        15,
        13.713,
        51.05,
        &[("public_transport", "station"), ("bus", "yes")],
    ),
    (16, 13.714, 51.05, &[("amenity", "theatre")]),
    (17, 13.715, 51.05, &[("tourism", "gallery")]),
    (18, 13.716, 51.05, &[("amenity", "arts_centre")]),
    (
        19,
        13.717,
        51.05,
        &[
            ("amenity", "swimming_pool"),
            ("access", "public"),
            ("indoor", "yes"),
        ],
    ),
    (
        20,
        13.718,
        51.05,
        &[("leisure", "playground"), ("access", "private")],
    ),
    (
        21,
        13.719,
        51.05,
        &[("railway", "station"), ("station", "miniature")],
    ),
    (22, 13.720, 51.05, &[("leisure", "sports_hall")]),
    (
        23,
        13.721,
        51.05,
        &[("amenity", "library"), ("name", "Stadtbibliothek")],
    ),
];

/// Untagged way nodes: `base + (dx, dy) * 0.001°` for each shape.
fn shape_nodes() -> Vec<N> {
    let mut v = Vec::new();
    let mut add = |first_id: i64, base: (f64, f64), pts: &[(f64, f64)]| {
        for (i, (dx, dy)) in pts.iter().enumerate() {
            v.push((
                first_id + i as i64,
                base.0 + dx * 0.001,
                base.1 + dy * 0.001,
                &[][..],
            ));
        }
    };
    let rect = [(0.0, 0.0), (4.0, 0.0), (4.0, 2.0), (0.0, 2.0)];
    let triangle = [(0.0, 0.0), (3.0, 0.0), (0.0, 3.0)];
    let square2 = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)];
    let square1 = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)];
    let ell = [
        (0.0, 0.0),
        (2.0, 0.0),
        (2.0, 1.0),
        (1.0, 1.0),
        (1.0, 2.0),
        (0.0, 2.0),
    ];
    let collinear = [(0.0, 0.0), (0.2, 0.0), (2.0, 0.0)];
    let inner = [(0.2, 0.2), (0.4, 0.2), (0.4, 0.4), (0.2, 0.4)];
    let segment = [(0.0, 0.0), (2.0, 0.0)];
    add(101, (13.72, 51.06), &rect); // w1 park
    add(111, (13.73, 51.06), &triangle); // w2 playground
    add(121, (13.74, 51.06), &square2); // w3 bath
    add(131, (13.75, 51.06), &square1); // w4 public pool
    add(141, (13.76, 51.06), &ell); // w5 museum
    add(151, (13.77, 51.06), &collinear); // w6 open playground
    add(161, (13.71, 51.07), &square1); // w7 library (one node missing), w8 garden pool
    add(171, (13.78, 51.06), &ell); // r1 park (outer ways)
    add(181, (13.78, 51.06), &inner); // r1 inner ring
    add(191, (13.79, 51.06), &square2); // r4 botanical garden
    add(201, (13.80, 51.06), &segment); // r5 aquarium, outer does not close
    v
}

/// Ways: id, node refs, tags.
type W = (i64, &'static [i64], &'static [(&'static str, &'static str)]);

const WAYS: &[W] = &[
    (
        1,
        &[101, 102, 103, 104, 101],
        &[("leisure", "park"), ("name", "Stadtpark")],
    ),
    (2, &[111, 112, 113, 111], &[("leisure", "playground")]),
    (
        3,
        &[121, 122, 123, 124, 121],
        &[
            ("leisure", "sports_centre"),
            ("sport", "swimming"),
            ("building", "yes"),
            ("name", "Schwimmhalle"),
        ],
    ),
    (
        4,
        &[131, 132, 133, 134, 131],
        &[("leisure", "swimming_pool"), ("access", "yes")],
    ),
    (
        5,
        &[141, 142, 143, 144, 145, 146, 141],
        &[("tourism", "museum")],
    ),
    // Drawn as an open line by mistake: length-weighted centroid, not the node mean.
    (6, &[151, 152, 153], &[("leisure", "playground")]),
    // Node 999 is not in the file (clipped extract).
    (7, &[161, 162, 999, 161], &[("amenity", "library")]),
    (
        8,
        &[161, 162, 163, 164, 161],
        &[("leisure", "swimming_pool")],
    ),
    // Untagged members of the multipolygons; 11 runs backwards.
    (10, &[171, 172, 173, 174], &[]),
    (11, &[171, 176, 175, 174], &[]),
    (12, &[181, 182, 183, 184, 181], &[]),
    (13, &[191, 192, 193, 194, 191], &[]),
    (14, &[201, 202], &[]),
];

/// Relations: id, members (type, ref, role), tags.
type R = (
    i64,
    &'static [(&'static str, i64, &'static str)],
    &'static [(&'static str, &'static str)],
);

const RELATIONS: &[R] = &[
    (
        1,
        &[
            ("way", 10, "outer"),
            ("way", 11, "outer"),
            ("way", 12, "inner"),
        ],
        &[
            ("type", "multipolygon"),
            ("leisure", "park"),
            ("name", "Großer Garten"),
        ],
    ),
    // Way 5000 is not in the file.
    (
        2,
        &[("way", 5000, "outer")],
        &[("type", "multipolygon"), ("tourism", "zoo")],
    ),
    (
        3,
        &[("way", 5, "")],
        &[
            ("type", "site"),
            ("amenity", "school"),
            ("school:de", "Grundschule"),
        ],
    ),
    // Old-style multipolygon: empty role means outer.
    (
        4,
        &[("way", 13, "")],
        &[
            ("type", "multipolygon"),
            ("leisure", "garden"),
            ("garden:type", "botanical"),
        ],
    ),
    (
        5,
        &[("way", 14, "outer")],
        &[("type", "multipolygon"), ("tourism", "aquarium")],
    ),
];

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn tags_xml(out: &mut String, tags: &[(&str, &str)]) {
    for (k, v) in tags {
        let _ = writeln!(
            out,
            r#"  <tag k="{}" v="{}"/>"#,
            xml_escape(k),
            xml_escape(v)
        );
    }
}

fn osm_xml() -> String {
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str("<osm version=\"0.6\" generator=\"lotse test\">\n");
    let mut nodes: Vec<N> = TAGGED_NODES.to_vec();
    nodes.extend(shape_nodes());
    nodes.sort_by_key(|n| n.0);
    for (id, lon, lat, tags) in nodes {
        let _ = writeln!(
            x,
            r#" <node id="{id}" version="1" lat="{lat:.7}" lon="{lon:.7}">"#
        );
        tags_xml(&mut x, tags);
        x.push_str(" </node>\n");
    }
    for (id, refs, tags) in WAYS {
        let _ = writeln!(x, r#" <way id="{id}" version="1">"#);
        for r in *refs {
            let _ = writeln!(x, r#"  <nd ref="{r}"/>"#);
        }
        tags_xml(&mut x, tags);
        x.push_str(" </way>\n");
    }
    for (id, members, tags) in RELATIONS {
        let _ = writeln!(x, r#" <relation id="{id}" version="1">"#);
        for (t, r, role) in *members {
            let _ = writeln!(x, r#"  <member type="{t}" ref="{r}" role="{role}"/>"#);
        }
        tags_xml(&mut x, tags);
        x.push_str(" </relation>\n");
    }
    x.push_str("</osm>\n");
    x
}

/// Converts the test XML to PBF with osmium; `dense` chooses DenseNodes (osmium's default) or
/// plain nodes, so both encodings are read.
fn make_pbf(dir: &Path, dense: bool) -> PathBuf {
    let osm = dir.join("in.osm");
    std::fs::write(&osm, osm_xml()).expect("write test XML");
    let pbf = dir.join(if dense {
        "dense.osm.pbf"
    } else {
        "plain.osm.pbf"
    });
    let mut cmd = Command::new("osmium");
    cmd.arg("cat")
        .arg(&osm)
        .arg("-o")
        .arg(&pbf)
        .arg("--overwrite");
    if !dense {
        cmd.arg("-f").arg("pbf,pbf_dense_nodes=false");
    }
    let out = match cmd.output() {
        Ok(out) => out,
        Err(e) => panic!(
            "cannot run `osmium` ({e}): this test needs osmium-tool on PATH; install it with \
             `apt-get install osmium-tool` (Debian/Ubuntu) or `brew install osmium-tool`"
        ),
    };
    assert!(
        out.status.success(),
        "osmium cat failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    pbf
}

fn read(path: &Path) -> (Vec<FacilityPoint>, SourceReport) {
    read_osm_pbf(path, "osm_test").expect("the test PBF reads")
}

/// One expected point: category, lon, lat, name, capacity.
type Expected = (Category, f64, f64, Option<&'static str>, Option<f64>);

/// (category, lon, lat, name, capacity) of every expected point, in output order: nodes,
/// ways, relations by id, categories in their enum order.
fn expected() -> Vec<Expected> {
    use Category::*;
    let s = Some;
    vec![
        (
            Childcare,
            13.700,
            51.05,
            s("Kita Sonnenschein"),
            Some(120.0),
        ),
        // "ca. 300" is no number: no capacity, a note.
        (PrimarySchool, 13.702, 51.05, s("12. Grundschule"), None),
        (PrimarySchool, 13.703, 51.05, None, None),
        (Oberschule, 13.703, 51.05, None, None),
        (Gymnasium, 13.704, 51.05, None, None),
        (SpecialSchool, 13.705, 51.05, None, None),
        (VocationalSchool, 13.706, 51.05, None, None),
        // A cinema's capacity is seats, not places: not taken.
        (Cinema, 13.710, 51.05, None, None),
        (RailStation, 13.711, 51.05, s("Dresden-Strehlen"), None),
        // railway=station and public_transport=station on one node: one point.
        (RailStation, 13.712, 51.05, None, None),
        (Culture, 13.714, 51.05, None, None),
        (Culture, 13.715, 51.05, None, None),
        (Culture, 13.716, 51.05, None, None),
        (Pool, 13.717, 51.05, None, None),
        (IndoorPool, 13.717, 51.05, None, None),
        (Sport, 13.720, 51.05, None, None),
        (Library, 13.721, 51.05, s("Stadtbibliothek"), None),
        // w1: rectangle 4 × 2 → its centre.
        (Park, 13.722, 51.061, s("Stadtpark"), None),
        // w2: triangle → mean of its corners.
        (Playground, 13.731, 51.061, None, None),
        // w3: a Schwimmhalle mapped as sports centre building.
        (Pool, 13.741, 51.061, s("Schwimmhalle"), None),
        (IndoorPool, 13.741, 51.061, s("Schwimmhalle"), None),
        (Sport, 13.741, 51.061, s("Schwimmhalle"), None),
        (Pool, 13.7505, 51.0605, None, None),
        // w5: an L; area centroid (5/6, 5/6), the node mean would be (1, 1).
        (
            Culture,
            13.76 + 0.005 / 6.0,
            51.06 + 0.005 / 6.0,
            None,
            None,
        ),
        // w6: open line 0, 0.2, 2: length-weighted 1.0, the node mean would be 0.733.
        (Playground, 13.771, 51.06, None, None),
        // r1: the L again, from two outer ways (one reversed); the inner ring is ignored.
        (
            Park,
            13.78 + 0.005 / 6.0,
            51.06 + 0.005 / 6.0,
            s("Großer Garten"),
            None,
        ),
        (Culture, 13.791, 51.061, None, None),
        // r5: outer does not close: centre of the outline.
        (Culture, 13.801, 51.06, None, None),
    ]
}

fn check(points: &[FacilityPoint], report: &SourceReport, file: &str) {
    let want = expected();
    let got: Vec<_> = points
        .iter()
        .map(|p| (p.category, p.lon, p.lat, p.name.as_deref(), p.capacity))
        .collect();
    assert_eq!(got.len(), want.len(), "points: {got:#?}");
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g.0, w.0, "category: got {g:?}, want {w:?}");
        assert!((g.1 - w.1).abs() < 1e-6, "lon: got {g:?}, want {w:?}");
        assert!((g.2 - w.2).abs() < 1e-6, "lat: got {g:?}, want {w:?}");
        assert_eq!(g.3, w.3, "name: got {g:?}, want {w:?}");
        assert_eq!(g.4, w.4, "capacity: got {g:?}, want {w:?}");
    }
    assert!(
        points
            .iter()
            .all(|p| p.source == "osm_test" && p.ags_hint.is_none())
    );

    // 23 tagged nodes minus the bakery and the bus station, 8 tagged ways, 5 relations.
    assert_eq!(report.rows_read, 21 + 8 + 5, "{report:#?}");
    assert_eq!(report.rows_kept, 15 + 6 + 3, "{report:#?}");
    assert_eq!(report.unaccounted(), 0);
    // Childminder, untyped school, private pool node, private playground, miniature
    // railway, garden pool way, site relation.
    assert_eq!(
        report.rejected.get(&Reject::OutOfScope),
        Some(&7),
        "{report:#?}"
    );
    // Node at 0,0, way with a missing node, multipolygon with a missing way.
    assert_eq!(
        report.rejected.get(&Reject::BadCoordinate),
        Some(&3),
        "{report:#?}"
    );
    assert_eq!(report.rejected.len(), 2, "{report:#?}");
    assert_eq!(report.file, file);
    assert_eq!(report.source, "osm_test");
    for needle in [
        "kept 15 node(s) as they are, 6 way(s) at their centroid and 3 multipolygon(s)",
        "1 out of scope: childminder",
        "1 out of scope: school whose type",
        "2 out of scope: swimming pool not tagged access=yes/public/permissive",
        "1 out of scope: access=private/no",
        "1 out of scope: miniature",
        "1 out of scope: relation that is not a multipolygon",
        "1 way(s) with node(s) missing from the extract",
        "1 multipolygon(s) with outer member way(s) or nodes missing",
        "0 closed way(s) and 1 multipolygon(s) placed at the centroid of their outline",
        "1 capacity value(s) that are not a plain number",
    ] {
        assert!(
            report.notes.iter().any(|n| n.contains(needle)),
            "no note containing {needle:?} in {:#?}",
            report.notes
        );
    }
}

#[test]
fn osm_reads_dense_nodes_pbf() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pbf = make_pbf(dir.path(), true);
    let (points, report) = read(&pbf);
    check(&points, &report, "dense.osm.pbf");
}

#[test]
fn osm_reads_plain_nodes_pbf() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pbf = make_pbf(dir.path(), false);
    let (points, report) = read(&pbf);
    check(&points, &report, "plain.osm.pbf");
}

#[test]
fn osm_missing_file_is_missing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = read_osm_pbf(&dir.path().join("nope.osm.pbf"), "osm").expect_err("missing");
    assert!(matches!(err, DatasetError::Missing { .. }), "{err:?}");
}

#[test]
fn osm_other_files_are_format_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let xml = dir.path().join("saxony.osm.pbf");
    std::fs::write(&xml, osm_xml()).expect("write");
    let err = read_osm_pbf(&xml, "osm").expect_err("XML is no PBF");
    assert!(matches!(err, DatasetError::Format { .. }), "{err:?}");
    assert!(err.to_string().contains("saxony.osm.pbf"), "{err}");

    let empty = dir.path().join("empty.osm.pbf");
    std::fs::write(&empty, b"").expect("write");
    let err = read_osm_pbf(&empty, "osm").expect_err("empty");
    assert!(matches!(err, DatasetError::Format { .. }), "{err:?}");
}

#[test]
fn osm_truncated_pbf_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pbf = make_pbf(dir.path(), true);
    let bytes = std::fs::read(&pbf).expect("read PBF");
    let cut = dir.path().join("cut.osm.pbf");

    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("write");
    let err = read_osm_pbf(&cut, "osm").expect_err("truncated");
    assert!(matches!(err, DatasetError::Format { .. }), "{err:?}");
    assert!(err.to_string().contains("cut.osm.pbf"), "{err}");
    assert!(err.to_string().contains("truncated"), "{err}");

    // Every other cut point: an error naming the file, or (cut exactly between two blocks,
    // which no PBF reader can tell from a complete file) fewer points. Never a panic.
    let (all, _) = read(&pbf);
    for len in 1..bytes.len() {
        std::fs::write(&cut, &bytes[..len]).expect("write");
        match read_osm_pbf(&cut, "osm") {
            Err(DatasetError::Format { path, .. }) => assert_eq!(path, cut),
            Err(other) => panic!("cut at {len}: unexpected error {other:?}"),
            Ok((points, report)) => {
                assert!(points.len() < all.len(), "cut at {len} read everything");
                assert_eq!(report.unaccounted(), 0);
            }
        }
    }
}

#[test]
fn osm_corrupt_bytes_never_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pbf = make_pbf(dir.path(), true);
    let bytes = std::fs::read(&pbf).expect("read PBF");
    let bad = dir.path().join("bad.osm.pbf");
    for i in 0..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 0xA5;
        std::fs::write(&bad, &b).expect("write");
        match read_osm_pbf(&bad, "osm") {
            Ok((_, report)) => assert_eq!(report.unaccounted(), 0, "byte {i}"),
            Err(DatasetError::Format { path, .. }) => assert_eq!(path, bad),
            Err(other) => panic!("byte {i}: unexpected error {other:?}"),
        }
    }
}

#[test]
fn osm_bytes_in_memory_read_like_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    for dense in [true, false] {
        let pbf = make_pbf(dir.path(), dense);
        let bytes = std::fs::read(&pbf).expect("read PBF");
        let (file_points, file_report) = read(&pbf);
        let (points, report) =
            read_osm_pbf_bytes(&pbf, &bytes, "osm_test").expect("the test PBF reads from memory");
        assert_eq!(points, file_points);
        assert_eq!(format!("{report:?}"), format!("{file_report:?}"));
        // Broken bytes in memory: an error naming the path given, never a panic.
        let name = Path::new("memory/extract.osm.pbf");
        for len in [0, 1, bytes.len() / 2] {
            let err = read_osm_pbf_bytes(name, &bytes[..len], "osm").expect_err("truncated");
            assert!(matches!(err, DatasetError::Format { .. }), "{err:?}");
            assert!(err.to_string().contains("memory/extract.osm.pbf"), "{err}");
        }
    }
}
