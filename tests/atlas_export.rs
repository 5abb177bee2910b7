//! `lotse atlas export` in every format, read back: the same 418 rows and the same figures.

use polars::prelude::{ParquetReader, SerReader};
use std::process::Command;

fn export(format: &str, out: &std::path::Path) {
    let run = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .env_remove("LOTSE_DATA")
        .args(["atlas", "export", "--format", format, "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn csv_geojson_and_parquet_hold_the_same_atlas() {
    let atlas = datasets::atlas_file::bundled().unwrap();
    let dresden = atlas.index_of("14612000").unwrap();
    let rent = atlas.indicator("rent_existing_eur_m2").unwrap().values[dresden].unwrap();
    let tmp = tempfile::tempdir().unwrap();

    let csv_path = tmp.path().join("atlas.csv");
    export("csv", &csv_path);
    let mut r = csv::Reader::from_path(&csv_path).unwrap();
    let headers = r.headers().unwrap().clone();
    assert_eq!(headers.len(), 10 + atlas.indicators.len());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 418);
    let col = headers
        .iter()
        .position(|h| h == "rent_existing_eur_m2")
        .unwrap();
    assert_eq!(rows[dresden][col].parse::<f64>().unwrap(), rent);
    // A gap is an empty cell, never a made-up number.
    let kita = headers
        .iter()
        .position(|h| h == "childcare_distance_km")
        .unwrap();
    let zwickau = atlas.index_of("14524330").unwrap();
    assert_eq!(&rows[zwickau][kita], "");

    let gj_path = tmp.path().join("atlas.geojson");
    export("geojson", &gj_path);
    let gj: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&gj_path).unwrap()).unwrap();
    let features = gj["features"].as_array().unwrap();
    assert_eq!(features.len(), 418);
    let f = features
        .iter()
        .find(|f| f["properties"]["ags"] == "14612000")
        .unwrap();
    assert_eq!(
        f["properties"]["rent_existing_eur_m2"].as_f64().unwrap(),
        rent
    );
    assert_eq!(f["geometry"]["type"], "MultiPolygon");

    let pq_path = tmp.path().join("atlas.parquet");
    export("parquet", &pq_path);
    let df = ParquetReader::new(std::fs::File::open(&pq_path).unwrap())
        .finish()
        .unwrap();
    assert_eq!(df.height(), 418);
    assert_eq!(df.width(), 10 + atlas.indicators.len());
    let v = df
        .column("rent_existing_eur_m2")
        .unwrap()
        .f64()
        .unwrap()
        .get(dresden)
        .unwrap();
    assert_eq!(v, rent);
    assert_eq!(
        df.column("childcare_distance_km")
            .unwrap()
            .f64()
            .unwrap()
            .get(zwickau),
        None
    );
}
