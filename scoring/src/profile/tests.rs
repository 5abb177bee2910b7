//! Tests of the profile: parsing, defaults, validation and the errors' wording.

use super::*;

#[test]
fn parse_json_reads_without_range_checks_and_from_json_adds_them() {
    let text = r#"{"adults": 0}"#;
    let parsed = Profile::parse_json(text).unwrap();
    assert_eq!(parsed.adults, 0);
    let err = Profile::from_json(text).unwrap_err();
    assert_eq!(err, parsed.validate().unwrap_err());
    assert_eq!(err.field, "adults");
    // Unknown or mistyped fields are errors of the parse itself.
    assert!(Profile::parse_json(r#"{"adults": 2, "kids": []}"#).is_err());
    assert!(Profile::parse_json(r#"{"adults": "two"}"#).is_err());
}

#[test]
fn minimal_profile_has_documented_defaults() {
    let p = Profile::from_json(r#"{"adults": 1}"#).unwrap();
    assert_eq!(p, Profile::new(1));
    assert!(p.car);
    assert_eq!(p.lang, Lang::De);
    assert_eq!(p.aggregation, Aggregation::Arithmetic);
    assert_eq!(p.living_space(), 45.0);
    let mut q = Profile::new(2);
    q.children = vec![1, 5];
    assert_eq!(q.living_space(), 90.0);
    assert_eq!(q.youngest_band(), Some(AgeBand::Under3));
}

#[test]
fn json_and_toml_agree() {
    let j = Profile::from_json(
        r#"{"adults": 2, "children": [3, 7], "rent_budget_eur": 900, "workplace": "Dresden",
            "max_commute_km": 40, "car": false, "weights": {"leisure": 1},
            "must": {"within_km": {"gymnasium": 10}, "rent_within_budget": true},
            "lang": "en", "aggregation": "geometric", "town_size": "small_town"}"#,
    )
    .unwrap();
    let t = Profile::from_toml(
        r#"
adults = 2
children = [3, 7]
rent_budget_eur = 900
workplace = "Dresden"
max_commute_km = 40
car = false
lang = "en"
aggregation = "geometric"
town_size = "small_town"
[weights]
leisure = 1
[must]
rent_within_budget = true
[must.within_km]
gymnasium = 10
"#,
    )
    .unwrap();
    assert_eq!(j, t);
    // Round trip through JSON.
    let again = Profile::from_json(&serde_json::to_string(&j).unwrap()).unwrap();
    assert_eq!(again, j);
}

#[test]
fn workplace_forms() {
    let p = Profile::from_json(r#"{"adults":1,"workplace":{"lat":51.05,"lon":13.74}}"#).unwrap();
    assert_eq!(
        p.workplace,
        vec![Workplace::Point(LatLon {
            lat: 51.05,
            lon: 13.74
        })]
    );
    let p = Profile::from_json(r#"{"adults":1,"workplace":14612000}"#).unwrap();
    assert_eq!(p.workplace, vec![Workplace::Code(14612000)]);
    let p = Profile::from_json(r#"{"adults":1,"workplace":["Leipzig", 14612000]}"#).unwrap();
    assert_eq!(p.workplace.len(), 2);
    let e = Profile::from_json(r#"{"adults":1,"workplace":{"lat":51}}"#).unwrap_err();
    assert_eq!(e.field, "workplace");
}

/// Issue 11, item 10: 5e-324 made every town score 100 in the geometric mean.
#[test]
fn positive_weights_below_the_minimum_are_refused_in_either_aggregation() {
    for aggregation in ["arithmetic", "geometric"] {
        let profile = |w: &str| {
            format!(
                r#"{{"adults": 2, "aggregation": "{aggregation}", "weights": {{"leisure": {w}}}}}"#
            )
        };
        for tiny in ["5e-324", "1e-300", "0.009999"] {
            let e = Profile::from_json(&profile(tiny)).unwrap_err();
            assert_eq!(e.field, "weights.leisure", "{aggregation} {tiny}");
            assert_eq!(e.allowed, "0, or 0.01–5", "{aggregation} {tiny}");
        }
        for fine in ["0", "0.0", "0.01", "0.5", "5"] {
            let p = Profile::from_json(&profile(fine));
            assert!(p.is_ok(), "{aggregation} {fine}: {p:?}");
        }
    }
}

#[test]
fn errors_name_the_field_and_range() {
    let e = Profile::from_json(r#"{"adults": 0}"#).unwrap_err();
    assert_eq!(e.field, "adults");
    assert_eq!(e.allowed, "1–10");
    let e = Profile::from_json(r#"{"adults": 2, "children": [4, 19]}"#).unwrap_err();
    assert_eq!(e.field, "children[1]");
    assert!(e.allowed.contains("0–17"));
    let e = Profile::from_json(r#"{"adults": 2, "children": [4, -1]}"#).unwrap_err();
    assert_eq!(e.field, "children[1]");
    let e = Profile::from_json(r#"{"adults": 2, "weights": {"leisure": 7}}"#).unwrap_err();
    assert_eq!(e.field, "weights.leisure");
    assert_eq!(e.allowed, "0, or 0.01–5");
    let e = Profile::from_json(r#"{"adults": 2, "weights": {"pool": 3}}"#).unwrap_err();
    assert_eq!(e.field, "weights.pool");
    assert!(e.allowed.contains("leisure"));
    let e = Profile::from_json(r#"{"adults": 2, "childern": [3]}"#).unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.problem.as_str()),
        ("childern", "is not a profile field")
    );
    let e = Profile::from_json(r#"{"adults": 2, "rent_budget_eur": -5}"#).unwrap_err();
    assert_eq!(e.field, "rent_budget_eur");
    let e = Profile::from_json(r#"{"adults": 2, "max_commute_km": 30}"#).unwrap_err();
    assert_eq!(e.field, "max_commute_km");
    let e = Profile::from_json(r#"{"adults": 2, "must": {"within_km": {"zoo": 3}}}"#).unwrap_err();
    assert_eq!(e.field, "must.within_km.zoo");
    let e =
        Profile::from_json(r#"{"adults": 2, "must": {"rent_within_budget": true}}"#).unwrap_err();
    assert_eq!(e.field, "must.rent_within_budget");
    let e = Profile::from_json(r#"{"adults": 2, "lang": "fr"}"#).unwrap_err();
    assert_eq!(e.field, "lang");
    let e = Profile::from_json(r#"{"children": [3]}"#).unwrap_err();
    assert_eq!(e.field, "adults", "{e}");
    let e = Profile::from_toml("adults = 2\nchildren = [\"three\"]\n").unwrap_err();
    assert_eq!(e.field, "children[0]");
    let e = Profile::from_toml("adults = 2\n[must]\nmin_population = 9000\nmax_population = 10\n")
        .unwrap_err();
    assert_eq!(e.field, "must.min_population");
    assert!(e.to_string().contains("must.min_population"));
}

/// Found by fuzzing (`fuzz/`, target `batch_jsonl`, the line `[x`): serde's derived structs
/// also read an array of field values in declaration order. That made `[1]` a profile and
/// `"workplace": [14612000, 14628110]` (two AGS) one coordinate with latitude 14612000.
#[test]
fn fuzz_arrays_are_not_objects() {
    let p = Profile::from_json(r#"{"adults": 1, "workplace": [14612000, 14628110]}"#).unwrap();
    assert_eq!(
        p.workplace,
        vec![Workplace::Code(14612000), Workplace::Code(14628110)]
    );
    let p = Profile::from_toml("adults = 1\nworkplace = [14612000, 14628110]\n").unwrap();
    assert_eq!(p.workplace.len(), 2);
    // A missing or unknown top-level field is named as itself.
    let e = Profile::from_json(r#"{"children": [2]}"#).unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.problem.as_str()),
        ("adults", "is required")
    );
    assert!(e.allowed.contains("children"), "{e}");
    let e = Profile::from_json(r#"{"adults": 2, "kids": [2]}"#).unwrap_err();
    assert!(
        e.allowed.contains("children") && !e.allowed.contains('`'),
        "{e}"
    );
    assert_eq!(
        (e.field.as_str(), e.problem.as_str()),
        ("kids", "is not a profile field")
    );
    for text in ["[1]", "[2, [3, 7], 900]", "[x", "[]"] {
        let e = Profile::from_json(text).unwrap_err();
        assert_eq!(e.field, "(profile)", "{text}: {e}");
        assert!(e.allowed.contains("adults"), "{e}");
    }
    let e = Profile::from_json(r#"{"adults": 1, "workplace": [51.05, 13.74]}"#).unwrap_err();
    assert_eq!(e.field, "workplace", "{e}");
    let e = Profile::from_json(r#"{"adults": 1, "must": [{"gymnasium": 10}]}"#).unwrap_err();
    assert_eq!(e.field, "must", "{e}");
    let e = Profile::from_toml("adults = 1\nmust = [1]\n").unwrap_err();
    assert_eq!(e.field, "must", "{e}");
    // The object forms and the paths inside them are as before.
    let e = Profile::from_json(r#"{"adults": 1, "must": {"within_km": {"gymnasium": "x"}}}"#)
        .unwrap_err();
    assert_eq!(e.field, "must.within_km.gymnasium", "{e}");
    let e = Profile::from_json(r#"{"adults": 1, "must": {"foo": 1}}"#).unwrap_err();
    assert_eq!(e.field, "must.foo", "{e}");
}
