//! Rounding figures where an answer is written: the Rust values keep full precision, the JSON
//! carries as many decimals as a reader or a re-computation needs (a utility of 0–100 to two,
//! a share to four), so that an answer does not spend a third of its bytes on float noise.

use serde::Serializer;

/// `x` rounded to `d` decimals.
pub(crate) fn round(x: f64, d: i32) -> f64 {
    let f = 10f64.powi(d);
    (x * f).round() / f
}

/// Serialises a figure rounded to `D` decimals (`serialize_with = "decimals::<2, _>"`).
pub(crate) fn decimals<const D: i32, S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(round(*v, D))
}

/// Serialises an optional figure rounded to `D` decimals (none stays none).
pub(crate) fn opt_decimals<const D: i32, S: Serializer>(
    v: &Option<f64>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_some(&round(*v, D)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_away_from_zero_and_keeps_none() {
        assert_eq!(round(95.833_333, 2), 95.83);
        assert_eq!(round(0.178_571_428, 4), 0.1786);
        assert_eq!(round(-2.345, 1), -2.3);
        #[derive(serde::Serialize)]
        struct T {
            #[serde(serialize_with = "decimals::<2, _>")]
            a: f64,
            #[serde(serialize_with = "opt_decimals::<4, _>")]
            b: Option<f64>,
            #[serde(serialize_with = "opt_decimals::<4, _>")]
            c: Option<f64>,
        }
        let t = T {
            a: 688.887_000_000_000_1,
            b: Some(1.0 / 3.0),
            c: None,
        };
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"a":688.89,"b":0.3333,"c":null}"#
        );
    }
}
