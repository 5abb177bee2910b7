//! Number formatting for sentences, without the float formatting machinery, and the one rule
//! for starting a sentence with a capital ([`push_cap`]).
//!
//! Sentences are built for every explained row of every ranking, so formatting is on the hot
//! path: fixed decimals by integer arithmetic, written straight into the sentence's buffer.
//! German uses a decimal comma and a dot between thousands, English the reverse.

use crate::profile::Lang;

/// Appends `x` with `dec` decimals (0–3) in the language's convention; thousands are grouped.
pub fn push_num(s: &mut String, x: f64, dec: u32, lang: Lang) {
    const POW10: [u64; 4] = [1, 10, 100, 1000];
    if !x.is_finite() {
        s.push('–');
        return;
    }
    let dec = dec.min(3) as usize;
    let scale = POW10[dec];
    // Round half up on the magnitude; `as` truncates the non-negative sum.
    let a = x.abs() * scale as f64 + 0.5;
    if a >= 1e17 {
        s.push('∞');
        return;
    }
    let v = a as u64;
    let (group, point) = match lang {
        Lang::De => (b'.', b','),
        Lang::En => (b',', b'.'),
    };
    let mut buf = [0u8; 40];
    let mut p = buf.len();
    let (mut int, mut frac) = (v / scale, v % scale);
    for _ in 0..dec {
        p -= 1;
        buf[p] = b'0' + (frac % 10) as u8;
        frac /= 10;
    }
    if dec > 0 {
        p -= 1;
        buf[p] = point;
    }
    let mut n = 0;
    loop {
        if n > 0 && n % 3 == 0 {
            p -= 1;
            buf[p] = group;
        }
        p -= 1;
        buf[p] = b'0' + (int % 10) as u8;
        int /= 10;
        n += 1;
        if int == 0 {
            break;
        }
    }
    if x < 0.0 && v != 0 {
        p -= 1;
        buf[p] = b'-';
    }
    // Only ASCII digits and separators were written.
    s.push_str(std::str::from_utf8(&buf[p..]).unwrap_or("?"));
}

/// Decimals shown for a unit: one for km, two for €/m², none for minutes, shares and counts.
pub fn decimals(unit: &str) -> u32 {
    match unit {
        "km" => 1,
        "EUR/m2" => 2,
        _ => 0,
    }
}

/// Display form of a unit, with the space that precedes it.
pub fn unit_suffix(unit: &str, lang: Lang) -> &'static str {
    match (unit, lang) {
        ("km", _) => " km",
        ("min", Lang::De) => " Min.",
        ("min", Lang::En) => " min",
        ("%", _) => " %",
        ("EUR/m2", _) => " €/m²",
        ("EUR", _) => " €",
        ("m2", _) => " m²",
        _ => "",
    }
}

/// Appends a number with its unit.
pub fn push_value(s: &mut String, x: f64, unit: &str, lang: Lang) {
    push_num(s, x, decimals(unit), lang);
    s.push_str(unit_suffix(unit, lang));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(x: f64, d: u32, l: Lang) -> String {
        let mut s = String::new();
        push_num(&mut s, x, d, l);
        s
    }

    #[test]
    fn formats_like_the_language() {
        assert_eq!(f(0.84, 1, Lang::En), "0.8");
        assert_eq!(f(0.85, 1, Lang::De), "0,9");
        assert_eq!(f(12.0, 0, Lang::En), "12");
        assert_eq!(f(1234.5, 0, Lang::De), "1.235");
        assert_eq!(f(1234567.0, 0, Lang::En), "1,234,567");
        assert_eq!(f(-3.25, 2, Lang::En), "-3.25");
        assert_eq!(f(-0.01, 1, Lang::En), "0.0");
        assert_eq!(f(7.05, 2, Lang::De), "7,05");
        assert_eq!(f(f64::NAN, 1, Lang::De), "–");
        assert_eq!(f(100.0, 0, Lang::De), "100");
        assert_eq!(f(0.0, 0, Lang::De), "0");
    }
}

/// Appends `text` with its first letter capitalised: labels and medians are lower case in
/// English and start sentences or list items.
pub fn push_cap(s: &mut String, text: &str) {
    let mut it = text.chars();
    if let Some(c) = it.next() {
        s.extend(c.to_uppercase());
        s.push_str(it.as_str());
    }
}
