//! The first stage of the data layer, and the only one that opens files: one reader per raw
//! file format, each returning typed records plus a [`SourceReport`] that accounts for every row
//! it read (kept, or rejected under a reason); and the groups the ingest reads at once — the
//! municipality base ([`base`]), the point files ([`facilities::read_point_sources`]) and the
//! keyed tables ([`tables`]).
//!
//! [`SourceReport`]: crate::report::SourceReport

pub mod base;
pub mod boundaries;
pub mod deutschlandatlas;
pub mod facilities;
pub mod help;
pub mod housing;
pub mod municipalities;
pub mod osm;
pub mod population;
pub(crate) mod rows;
pub mod tables;

#[cfg(test)]
mod tests {
    //! The in-memory entry points (`*_bytes`, used by the fuzz targets in `fuzz/`) read exactly
    //! what the path-based readers read.
    use super::*;
    use crate::readers::facilities::test_util::raw;

    fn bytes(rel: &str) -> (std::path::PathBuf, Vec<u8>) {
        let path = raw(rel);
        let bytes = std::fs::read(&path).expect("read raw file");
        (path, bytes)
    }

    fn same_report(a: &crate::report::SourceReport, b: &crate::report::SourceReport) {
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    #[test]
    fn in_memory_readers_read_like_the_files() {
        let (p, b) = bytes("municipalities/lds_gemeindeverzeichnis_sachsen.csv");
        let (r1, rep1) = municipalities::read_register(&p, "r").unwrap();
        let (r2, rep2) = municipalities::read_register_bytes(&p, &b, "r").unwrap();
        assert_eq!(r1.municipalities, r2.municipalities);
        assert_eq!(r1.districts, r2.districts);
        same_report(&rep1, &rep2);

        let (p, b) = bytes("municipalities/destatis_gv_auszug_sachsen_2019-12-31.csv");
        let (d1, rep1) = municipalities::read_directory(&p, "d").unwrap();
        let (d2, rep2) = municipalities::read_directory_bytes(&p, &b, "d").unwrap();
        assert_eq!(d1, d2);
        same_report(&rep1, &rep2);

        let (p, b) = bytes("municipalities/vg250_gem_sachsen_2022-05-15_simplified.geojson");
        let (g1, rep1) = boundaries::read_boundaries(&p, "b").unwrap();
        let (g2, rep2) = boundaries::read_boundaries_bytes(&p, &b, "b").unwrap();
        assert_eq!(g1, g2);
        same_report(&rep1, &rep2);

        let (p, b) = bytes("deutschlandatlas/deutschlandatlas_ha26_KRS1224_sachsen.csv");
        let cols = ["preis_miet"];
        let (k1, rep1) =
            deutschlandatlas::read_keyed(&p, "da", b';', "Regionalschlüssel", 8, &cols).unwrap();
        let (k2, rep2) =
            deutschlandatlas::read_keyed_bytes(&p, &b, "da", b';', "Regionalschlüssel", 8, &cols)
                .unwrap();
        assert_eq!((k1.rows, k1.names), (k2.rows, k2.names));
        same_report(&rep1, &rep2);

        let (p, b) = bytes("facilities/leisure_sn_baederleben_pools_2026.json");
        let (f1, rep1) = facilities::read_pools_baederleben(&p, "p").unwrap();
        let (f2, rep2) = facilities::read_pools_baederleben_bytes(&p, &b, "p").unwrap();
        assert_eq!(f1, f2);
        same_report(&rep1, &rep2);

        let (p, b) = bytes("facilities/leisure_leipzig_spielplaetze_ld_2018.ttl");
        let (f1, rep1) = facilities::read_playgrounds_ttl(&p, "pg").unwrap();
        let (f2, rep2) = facilities::read_playgrounds_ttl_bytes(&p, &b, "pg").unwrap();
        assert_eq!(f1, f2);
        same_report(&rep1, &rep2);

        let (hp, hb) = bytes("transport/transport_sn_db_haltestellen_2020.csv");
        let (sp, sb) = bytes("transport/transport_sn_db_stationsdaten_2020-03.csv");
        let (f1, reps1) = facilities::read_rail_stations(&hp, "h", &sp, "s").unwrap();
        let (f2, reps2) =
            facilities::read_rail_stations_bytes((&hp, &hb, "h"), (&sp, &sb, "s")).unwrap();
        assert_eq!(f1, f2);
        assert_eq!(format!("{reps1:?}"), format!("{reps2:?}"));
    }

    #[test]
    fn in_memory_errors_name_the_given_path() {
        let p = std::path::Path::new("memory/register.csv");
        let err = municipalities::read_register_bytes(p, b"SCHLNR;GEMEINDE\n1;2;3\n", "r")
            .err()
            .expect("a record longer than the header")
            .to_string();
        assert!(err.contains("memory/register.csv, line 2"), "{err}");
        let err = facilities::read_pools_baederleben_bytes(p, b"{\"pools\": [", "p")
            .unwrap_err()
            .to_string();
        assert!(err.contains("memory/register.csv"), "{err}");
    }
}
