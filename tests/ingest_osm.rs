//! An OpenStreetMap extract added to the real data: it fills the categories the curated files
//! lack (Kitas outside the three cities), and never doubles a facility a curated file has.
//! Needs `osmium` (Debian's osmium-tool, installed by .ci/run) to write the test extract.

use datasets::ingest::{IngestOptions, ingest};
use std::process::Command;

const OSM_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="lotse-test">
  <node id="1" version="1" lat="50.7189" lon="12.4964">
    <tag k="amenity" v="kindergarten"/><tag k="name" v="Kita Am Dom (test)"/>
  </node>
  <node id="2" version="1" lat="50.7250" lon="12.4800">
    <tag k="amenity" v="kindergarten"/><tag k="name" v="Kita Nord (test)"/>
  </node>
  <node id="3" version="1" lat="51.33475" lon="12.30740">
    <tag k="amenity" v="kindergarten"/><tag k="name" v="Kindergarten Jadassohnstraße"/>
  </node>
  <node id="4" version="1" lat="51.0504" lon="13.7373">
    <tag k="amenity" v="school"/><tag k="school:de" v="Grundschule"/><tag k="name" v="Grundschule Altmarkt (test)"/>
  </node>
  <node id="5" version="1" lat="51.0400" lon="13.7300">
    <tag k="leisure" v="sports_centre"/><tag k="name" v="Sporthalle (test)"/>
  </node>
</osm>
"#;

#[test]
fn osm_fills_gaps_without_doubling_curated_facilities() {
    let tmp = tempfile::tempdir().unwrap();
    let xml = tmp.path().join("test.osm");
    let pbf = tmp.path().join("test.osm.pbf");
    std::fs::write(&xml, OSM_XML).unwrap();
    let status = Command::new("osmium")
        .arg("cat")
        .arg(&xml)
        .arg("-o")
        .arg(&pbf)
        .status()
        .expect("osmium not found: install Debian's osmium-tool (bash .ci/run does)");
    assert!(status.success());

    let dir = datasets::manifest::repo_root().join("../shared/data/raw");
    let with = |osm: Option<std::path::PathBuf>| {
        ingest(
            &IngestOptions {
                data_dir: dir.clone(),
                osm_pbf: osm,
            },
            &mut |_| {},
        )
        .unwrap()
    };
    let plain = with(None);
    let extended = with(Some(pbf));
    let value = |b: &datasets::ingest::Ingested, id: &str, ags: &str| {
        b.atlas.indicator(id).unwrap().values[b.atlas.index_of(ags).unwrap()]
    };
    let zwickau = "14524330";
    // Kitas: Zwickau had no Kita points; with the extract it has a distance, from OSM.
    assert_eq!(value(&plain, "childcare_distance_km", zwickau), None);
    assert!(value(&extended, "childcare_distance_km", zwickau).is_some());
    assert!(
        extended
            .atlas
            .indicator("childcare_distance_km")
            .unwrap()
            .meta
            .derived_from_osm
    );
    // The Leipzig Kita that the curated file already has is merged, not counted twice.
    let osm_report = extended
        .report
        .sources
        .iter()
        .find(|s| s.source == "osm_extract")
        .unwrap();
    assert_eq!(
        osm_report
            .points_rejected
            .get(&datasets::report::Reject::Duplicate),
        Some(&2),
        "{osm_report:?}"
    );
    assert_eq!(
        value(&plain, "childcare_per_1000", "14713000"),
        value(&extended, "childcare_per_1000", "14713000")
    );
    // Primary schools come from the statewide Schuldatenbank alone: OSM's school changes nothing.
    assert_eq!(
        value(&plain, "primary_school_within_2km", "14612000"),
        value(&extended, "primary_school_within_2km", "14612000")
    );
    // A category only OSM has (sport facilities) appears, with OSM's coverage.
    assert!(plain.atlas.indicator("sport_distance_km").is_none());
    assert_eq!(
        extended
            .atlas
            .indicator("sport_distance_km")
            .unwrap()
            .coverage(),
        418
    );
    assert!(
        extended
            .atlas
            .sources
            .iter()
            .any(|s| s.id == "osm_extract" && s.licence.contains("ODbL"))
    );
    assert_ne!(plain.atlas.input_hash, extended.atlas.input_hash);
}
