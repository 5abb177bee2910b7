//! The car travel-time curve against the official routed minutes on the bundled atlas: the
//! shipped parameters are the fit's, the fit error per distance band stays within documented
//! bounds (`docs/travel-times.md` gives the same table), and the long end, beyond the official
//! data, stays within plain sanity bounds.
//!
//! Print the tables the docs quote with
//! `cargo test --release -p scoring --test travel_times -- --nocapture`.

use scoring::atlas::Atlas;
use scoring::travel::CarCurve;
use scoring::travel::fit::{self, BandError};
use std::sync::OnceLock;

static ATLAS_JSON: &str = include_str!("../../atlas/saxony.json");

fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(|| serde_json::from_str(ATLAS_JSON).expect("atlas/saxony.json is an Atlas"))
}

fn table(errors: &[BandError]) -> String {
    let mut s = String::from(
        "| crow-flies km | pairs | official min (mean) | mean abs. error min | bias min |\n",
    );
    s.push_str("|---|---|---|---|---|\n");
    for e in errors {
        s.push_str(&format!(
            "| {}–{} | {} | {:.1} | {:.2} | {:+.2} |\n",
            e.from_km, e.to_km, e.n, e.mean_official_min, e.mae_min, e.bias_min
        ));
    }
    s
}

fn rmse(c: &CarCurve, pairs: &[fit::Pair]) -> f64 {
    (fit::squared_error(c, pairs) / pairs.len() as f64).sqrt()
}

#[test]
fn the_shipped_car_curve_is_the_fit_on_the_bundled_atlas() {
    let pairs = fit::car_pairs(atlas());
    assert!(pairs.len() > 1500, "only {} calibration pairs", pairs.len());
    let fitted = fit::fit_car(&pairs);
    let shipped = CarCurve::SHIPPED;
    println!("fitted {fitted:?}, rmse {:.3} min", rmse(&fitted, &pairs));
    println!(
        "shipped {shipped:?}, rmse {:.3} min",
        rmse(&shipped, &pairs)
    );
    // The params are the fit rounded to three significant digits.
    let close = |a: f64, b: f64, tol: f64| (a - b).abs() <= tol;
    assert!(
        close(shipped.start_min, fitted.start_min, 0.01),
        "{fitted:?}"
    );
    assert!(
        close(shipped.speed_near_kmh, fitted.speed_near_kmh, 0.1),
        "{fitted:?}"
    );
    assert!(close(shipped.rise_km, fitted.rise_km, 0.01), "{fitted:?}");
    assert!(
        close(shipped.speed_far_kmh, fitted.speed_far_kmh, 0.1),
        "{fitted:?}"
    );
    for d in [0.0, 1.0, 5.0, 20.0, 50.0, 100.0, 200.0] {
        let (a, b) = (shipped.minutes(d), fitted.minutes(d));
        assert!(
            (a - b).abs() < 0.5,
            "at {d} km: shipped {a:.2} vs fitted {b:.2} min"
        );
    }
    assert!(rmse(&shipped, &pairs) <= rmse(&fitted, &pairs) + 0.01);
}

/// Documented bounds per band (crow-flies km): mean absolute error and |bias|, minutes.
/// Bands with many pairs must be nearly unbiased; the 20–40 km band has ten pairs, so its
/// bounds are wider.
const BAND_BOUNDS: [(f64, f64, f64); 5] = [
    (0.0, 1.5, 0.5),
    (2.0, 2.0, 0.5),
    (5.0, 2.5, 0.5),
    (10.0, 3.5, 0.5),
    (20.0, 7.0, 2.0),
];

#[test]
fn the_fit_error_per_distance_band_is_within_documented_bounds() {
    let pairs = fit::car_pairs(atlas());
    let curve = CarCurve::SHIPPED;
    let errors = fit::band_errors(&pairs, |d| curve.minutes(d));
    println!("shipped curve, all pairings:\n{}", table(&errors));
    let flat = fit::band_errors(&pairs, |d| d * 1.3 * 60.0 / 50.0);
    println!("before: road estimate at a flat 50 km/h:\n{}", table(&flat));
    for p in fit::PAIRINGS {
        let own: Vec<_> = pairs
            .iter()
            .copied()
            .filter(|x| x.pairing == p.id)
            .collect();
        println!(
            "{} ({} pairs):\n{}",
            p.id,
            own.len(),
            table(&fit::band_errors(&own, |d| curve.minutes(d)))
        );
    }
    assert_eq!(errors.len(), BAND_BOUNDS.len(), "{errors:?}");
    for (e, (from, mae, bias)) in errors.iter().zip(BAND_BOUNDS) {
        assert_eq!(e.from_km, from);
        assert!(e.mae_min <= mae, "{e:?}: mean absolute error above {mae}");
        assert!(e.bias_min.abs() <= bias, "{e:?}: bias beyond ±{bias}");
    }
    // The curve beats the flat speed it replaces in every band.
    for (new, old) in errors.iter().zip(&flat) {
        assert!(new.mae_min < old.mae_min, "{new:?} vs {old:?}");
    }
    let left_out = fit::implausible_pairs(atlas());
    println!("left out as not the same trip: {left_out:?}");
    assert!(left_out.len() <= 6, "{left_out:?}");
}

#[test]
fn the_far_speed_is_barely_pinned_by_the_data_and_stays_below_the_motorway_ceiling() {
    let pairs = fit::car_pairs(atlas());
    let best = rmse(&CarCurve::SHIPPED, &pairs);
    for far in [55.0, 60.0, 67.5, 75.0, 87.0, 95.0] {
        let c = fit::fit_car_with_far_speed(&pairs, far);
        // What docs/travel-times.md says: between 60 and 87 km/h the fit barely changes.
        if (60.0..=87.0).contains(&far) {
            assert!(rmse(&c, &pairs) <= best + 0.015, "far speed {far}: {c:?}");
        }
        println!(
            "far speed {far} km/h: rmse {:.3} min (best {best:.3}); {c:?}; Dresden–Leipzig {:.0} min",
            rmse(&c, &pairs),
            c.minutes(crow("14612000", "14713000"))
        );
    }
    // Motorway ceiling: 113.5 km/h average car speed on German motorways without a limit
    // (IW Köln, 2024) over the detour factor 1.3 is 87 km/h crow-flies.
    assert!(CarCurve::SHIPPED.speed_far_kmh < 113.5 / 1.3);
}

fn crow(a: &str, b: &str) -> f64 {
    let atlas = atlas();
    let m = |ags: &str| &atlas.municipalities[atlas.index_of(ags).unwrap()];
    let (a, b) = (m(a), m(b));
    let (la1, lo1) = (a.centre_lat.to_radians(), a.centre_lon.to_radians());
    let (la2, lo2) = (b.centre_lat.to_radians(), b.centre_lon.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().asin()
}

#[test]
fn long_trips_beyond_the_official_data_stay_within_sanity_bounds() {
    // Approximate door-to-door car times between town centres as route planners give them,
    // widened for traffic and the way through town: used only as bounds, never to fit.
    let routes = [
        ("Dresden–Leipzig", "14612000", "14713000", 70.0, 100.0),
        ("Bautzen–Dresden", "14625020", "14612000", 40.0, 60.0),
        ("Chemnitz–Leipzig", "14511000", "14713000", 55.0, 80.0),
        ("Dresden–Görlitz", "14612000", "14626110", 75.0, 105.0),
    ];
    for (name, a, b, lo, hi) in routes {
        let d = crow(a, b);
        let min = CarCurve::SHIPPED.minutes(d);
        println!("{name}: {d:.1} km crow-flies, {min:.0} min");
        assert!(
            (lo..=hi).contains(&min),
            "{name}: {min:.0} min for {d:.1} km, outside {lo}–{hi}"
        );
    }
}
