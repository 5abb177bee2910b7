//! Exact pruning for the robustness draws: the lowest and highest score a municipality can
//! reach anywhere in the draws' range (every weight in its box, every estimated input within
//! its error range), the same for the difference of two municipalities' scores, and from them
//! which pairs of a tracked row and a rival the draws must decide.

use super::draws::WeightBoxes;

/// What one criterion contributes to a row's bounds: its weight box and the range of its value
/// (a utility, or its floored log for the geometric mean) over the draws.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Term {
    pub w_lo: f64,
    pub w_hi: f64,
    pub v_lo: f64,
    pub v_hi: f64,
}

/// Lowest and highest weighted mean of `terms` (the criteria with data in one row) with each
/// weight anywhere in its box and each value anywhere in its range.
///
/// The mean rises with every value, so the highest mean takes every value at its top and the
/// lowest at its bottom. Over the weights, the highest mean gives the top weight to the best
/// values and the bottom weight to the rest, for some split of the values sorted from best to
/// worst (moving weight towards values above the mean raises it), and the lowest mean the
/// reverse: every split is tried. `terms` is reordered.
pub(crate) fn mean_bounds(terms: &mut [Term]) -> (f64, f64) {
    if terms.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    // Highest: values at their top, best first; the first t get w_hi, the rest w_lo.
    terms.sort_unstable_by(|a, b| b.v_hi.total_cmp(&a.v_hi));
    let upper = best_split(terms, |t| t.v_hi, true);
    // Lowest: values at their bottom, best first; the first t get w_lo, the rest w_hi.
    terms.sort_unstable_by(|a, b| b.v_lo.total_cmp(&a.v_lo));
    let lower = best_split(terms, |t| t.v_lo, false);
    (lower, upper)
}

/// The extreme mean over the splits of `terms` (sorted best first): with `up`, the first t
/// terms take their top weight and the rest their bottom one, and the largest mean is
/// returned; without, the reverse and the smallest.
fn best_split(terms: &[Term], v: impl Fn(&Term) -> f64, up: bool) -> f64 {
    // (weight in the first group, weight in the rest)
    let split = |t: &Term| {
        if up {
            (t.w_hi, t.w_lo)
        } else {
            (t.w_lo, t.w_hi)
        }
    };
    let (mut num, mut den) = (0.0, 0.0);
    for t in terms {
        let w = split(t).1;
        num += w * v(t);
        den += w;
    }
    let mut best = num / den;
    for t in terms {
        let (a, b) = split(t);
        num += (a - b) * v(t);
        den += a - b;
        let mean = num / den;
        best = if up { best.max(mean) } else { best.min(mean) };
    }
    best
}

/// A margin far above rounding error: a pair is settled only when clearly so. The draws sum in
/// single precision (relative error about 1e-7 per operation over a dozen criteria), so the
/// margin is 1e-4 of the values' size.
#[inline]
fn margin(x: f64, y: f64) -> f64 {
    1e-4 * (1.0 + x.abs().max(y.abs()))
}

/// How a row stands to a tracked row over every possible draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Standing {
    /// Before it in every draw.
    Before,
    /// Never before it.
    After,
    /// Either, depending on the draw.
    Open,
}

/// Which rows the draws must evaluate, and which pairs they must decide.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Rivals {
    /// Positions (in the ranking's order) of the rows the draws evaluate: the tracked rows
    /// first (positions 0..t), then every row that is open against some tracked row, in order.
    pub rows: Vec<u32>,
    /// Per tracked row: the window of `rows` (indices `a..b`) that holds the row itself and
    /// all its open rivals. A draw compares the row with every row of its window (a row of the
    /// window that is settled compares as settled, so this is exact); windows are contiguous
    /// so that the comparisons run over dense slices.
    pub window: Vec<(u32, u32)>,
    /// Per tracked row: how many ranked rows outside its window are before it in every draw.
    pub before_outside: Vec<u32>,
}

impl Rivals {
    /// `ranges` holds each ranked row's value range per criterion (NaN where it has no data),
    /// row-major in rank order, one per weight box; the first `t` rows are tracked. Without
    /// `prune`, every pair is open (for the test that pruning changes nothing).
    ///
    /// Why this loses nothing: each draw puts every weight in its box and every value in its
    /// range. A row whose highest score is below a tracked row's lowest is never before it,
    /// and one whose lowest is above the tracked row's highest always is ([`mean_bounds`] of
    /// each). For two rows with data on the same criteria, the difference of their scores is
    /// itself a weighted mean — of the differences of their values, each within a range — so
    /// its bounds say the same more sharply: never below 0, always before; never above 0, never
    /// before. Only the remaining pairs are compared in each draw.
    pub fn of(ranges: &[(f64, f64)], boxes: &WeightBoxes, t: usize, prune: bool) -> Self {
        let nc = boxes.lo.len();
        let n = ranges.len() / nc.max(1);
        if !prune || nc == 0 {
            return Rivals {
                rows: (0..n as u32).collect(),
                window: vec![(0, n as u32); t],
                before_outside: vec![0; t],
            };
        }
        let row = |q: usize| &ranges[q * nc..(q + 1) * nc];
        let term = |c: usize, v_lo: f64, v_hi: f64| Term {
            w_lo: boxes.lo[c],
            w_hi: boxes.hi[c],
            v_lo,
            v_hi,
        };
        let mut terms = Vec::with_capacity(nc);
        let mut presence = Vec::with_capacity(n);
        let bounds: Vec<(f64, f64)> = (0..n)
            .map(|q| {
                terms.clear();
                let mut mask = 0u64;
                for (c, &(lo, hi)) in row(q).iter().enumerate() {
                    if !lo.is_nan() {
                        terms.push(term(c, lo, hi));
                        mask |= 1 << c;
                    }
                }
                presence.push(mask);
                mean_bounds(&mut terms)
            })
            .collect();
        let mut standing = vec![Standing::After; t * n];
        let mut evaluated = vec![false; n];
        evaluated[..t].iter_mut().for_each(|x| *x = true);
        for e in 0..t {
            let (lo_e, hi_e) = bounds[e];
            let m = margin(lo_e, hi_e);
            for q in (0..n).filter(|&q| q != e) {
                let (lo_q, hi_q) = bounds[q];
                let s = if hi_q < lo_e - m {
                    Standing::After
                } else if lo_q > hi_e + m {
                    Standing::Before
                } else if presence[q] == presence[e] {
                    terms.clear();
                    for (c, (&(ql, qh), &(el, eh))) in row(q).iter().zip(row(e)).enumerate() {
                        if !ql.is_nan() {
                            terms.push(term(c, ql - eh, qh - el));
                        }
                    }
                    let (d_lo, d_hi) = mean_bounds(&mut terms);
                    if d_hi < -m {
                        Standing::After
                    } else if d_lo > m {
                        Standing::Before
                    } else {
                        Standing::Open
                    }
                } else {
                    Standing::Open
                };
                if s == Standing::Open {
                    evaluated[q] = true;
                }
                standing[e * n + q] = s;
            }
        }
        let rows: Vec<u32> = (0..n as u32).filter(|&q| evaluated[q as usize]).collect();
        let mut index = vec![u32::MAX; n];
        for (j, &q) in rows.iter().enumerate() {
            index[q as usize] = j as u32;
        }
        let mut window = Vec::with_capacity(t);
        let mut before_outside = Vec::with_capacity(t);
        for e in 0..t {
            let line = &standing[e * n..(e + 1) * n];
            // The tracked row is its own index (tracked rows come first).
            let (mut a, mut b) = (e as u32, e as u32 + 1);
            for (q, _) in line
                .iter()
                .enumerate()
                .filter(|(_, s)| **s == Standing::Open)
            {
                a = a.min(index[q]);
                b = b.max(index[q] + 1);
            }
            let outside = line
                .iter()
                .enumerate()
                .filter(|&(q, s)| *s == Standing::Before && !(a..b).contains(&index[q]))
                .count();
            window.push((a, b));
            before_outside.push(outside as u32);
        }
        Rivals {
            rows,
            window,
            before_outside,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;

    fn term(w: (f64, f64), v: (f64, f64)) -> Term {
        Term {
            w_lo: w.0,
            w_hi: w.1,
            v_lo: v.0,
            v_hi: v.1,
        }
    }

    #[test]
    fn bounds_contain_every_sampled_mean_and_are_the_best_corners() {
        let mut rng = SplitMix64::new(11);
        for _ in 0..200 {
            let n = 1 + (rng.next_u64() % 6) as usize;
            let terms: Vec<Term> = (0..n)
                .map(|_| {
                    let w = 0.1 + 4.0 * rng.next_f64();
                    let v = 100.0 * rng.next_f64();
                    let e = 20.0 * rng.next_f64();
                    term((w * 0.5, w + 1.0), ((v - e).max(0.0), v))
                })
                .collect();
            let (lo, hi) = mean_bounds(&mut terms.clone());
            let (mut seen_lo, mut seen_hi) = (f64::MAX, f64::MIN);
            for _ in 0..2000 {
                let (mut num, mut den) = (0.0, 0.0);
                for t in &terms {
                    // Corners as well as inner points.
                    let pick = |a: f64, b: f64, r: f64| match (r * 4.0) as u32 {
                        0 => a,
                        1 => b,
                        _ => a + (b - a) * r,
                    };
                    let w = pick(t.w_lo, t.w_hi, rng.next_f64());
                    let v = pick(t.v_lo, t.v_hi, rng.next_f64());
                    num += w * v;
                    den += w;
                }
                let m = num / den;
                assert!(m >= lo - 1e-9 && m <= hi + 1e-9, "{lo} ≤ {m} ≤ {hi}");
                seen_lo = seen_lo.min(m);
                seen_hi = seen_hi.max(m);
            }
            // Tight: the extremes lie at corners of the weight boxes (values at their ends),
            // and the best corner is found.
            let (mut best, mut worst) = (f64::MIN, f64::MAX);
            for corner in 0u32..(1 << n) {
                let (mut nh, mut nl, mut den) = (0.0, 0.0, 0.0);
                for (c, t) in terms.iter().enumerate() {
                    let w = if corner & (1 << c) != 0 {
                        t.w_hi
                    } else {
                        t.w_lo
                    };
                    nh += w * t.v_hi;
                    nl += w * t.v_lo;
                    den += w;
                }
                best = best.max(nh / den);
                worst = worst.min(nl / den);
            }
            assert!((best - hi).abs() < 1e-9 && (worst - lo).abs() < 1e-9);
            assert!(seen_hi <= hi + 1e-9 && seen_lo >= lo - 1e-9);
        }
    }

    #[test]
    fn rivals_settle_clear_pairs_and_leave_open_ones() {
        // Two criteria, weights 1–3 and 1–3 (any ratio from 1:3 to 3:1).
        let boxes = WeightBoxes {
            lo: vec![1.0, 1.0],
            hi: vec![3.0, 3.0],
        };
        let nan = (f64::NAN, f64::NAN);
        let p = |a: f64, b: f64| [(a, a), (b, b)];
        let ranges: Vec<(f64, f64)> = [
            p(90.0, 90.0), // 0: tracked
            p(80.0, 95.0), // 1: behind on one, ahead on the other: open
            p(85.0, 85.0), // 2: behind on both: never before 0
            p(95.0, 91.0), // 3: ahead on both: always before 0
            p(10.0, 10.0), // 4: far behind
        ]
        .into_iter()
        .flatten()
        .chain([(50.0, 99.0), nan]) // 5: a range with a gap: open by its bounds
        .collect();
        let r = Rivals::of(&ranges, &boxes, 1, true);
        // Evaluated: the tracked row and its two open rivals; row 3, always before, is counted.
        assert_eq!(r.rows, vec![0, 1, 5]);
        assert_eq!(r.window, vec![(0, 3)]);
        assert_eq!(r.before_outside, vec![1]);
        // Two tracked rows: row 3 is before row 1 in every draw too (ahead by 15 on the first
        // criterion, behind by 4 on the second, and no weight is 3.75 times another), so it is
        // still not evaluated; row 2, tracked, lies inside row 0's window and is compared.
        let r = Rivals::of(&ranges, &boxes, 2, true);
        assert_eq!(r.rows, vec![0, 1, 2, 5]);
        assert_eq!(r.window, vec![(0, 4), (0, 4)]);
        assert_eq!(r.before_outside, vec![1, 1]);
        let all = Rivals::of(&ranges, &boxes, 1, false);
        assert_eq!(all.rows, vec![0, 1, 2, 3, 4, 5]);
        assert_eq!((all.window, all.before_outside), (vec![(0, 6)], vec![0]));
    }
}
