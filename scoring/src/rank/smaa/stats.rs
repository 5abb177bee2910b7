//! What the draws are reduced to: per tracked row the share of draws in the top k and the rank
//! interval (5th to 95th percentile), and groups of rows whose intervals overlap.

/// The lower and upper percentile of the rank interval.
pub(crate) const INTERVAL: (f64, f64) = (0.05, 0.95);

/// The `q`-quantile of the ranks counted in `hist` (`hist[r]` draws gave rank `r`; rank 0 is
/// unused), by the nearest-rank method: the smallest rank at or below which at least
/// ⌈q × draws⌉ draws fall (at least one).
pub(crate) fn percentile(hist: &[u32], q: f64) -> u32 {
    let draws: u64 = hist.iter().map(|&c| c as u64).sum();
    let need = ((q * draws as f64).ceil() as u64).max(1);
    let mut cum = 0u64;
    for (r, &c) in hist.iter().enumerate() {
        cum += c as u64;
        if cum >= need {
            return r as u32;
        }
    }
    (hist.len().saturating_sub(1)) as u32
}

/// Group numbers (from 1) for rows in rank order with rank intervals `intervals`: a group ends
/// after a row when every interval up to it ends before every interval after it begins, so
/// rows whose intervals overlap — directly or through a row between them — share a group, and
/// a group is a run of consecutive ranks.
pub(crate) fn groups(intervals: &[[u32; 2]]) -> Vec<u32> {
    let n = intervals.len();
    let mut suffix_lo = vec![u32::MAX; n + 1];
    for i in (0..n).rev() {
        suffix_lo[i] = suffix_lo[i + 1].min(intervals[i][0]);
    }
    let mut out = Vec::with_capacity(n);
    let (mut group, mut max_hi) = (1, 0);
    for i in 0..n {
        out.push(group);
        max_hi = max_hi.max(intervals[i][1]);
        if max_hi < suffix_lo[i + 1] {
            group += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        // 100 draws: rank 1 ten times, rank 2 eighty, rank 5 ten.
        let mut hist = vec![0u32; 7];
        hist[1] = 10;
        hist[2] = 80;
        hist[5] = 10;
        assert_eq!(percentile(&hist, 0.05), 1);
        assert_eq!(percentile(&hist, 0.10), 1);
        assert_eq!(percentile(&hist, 0.11), 2);
        assert_eq!(percentile(&hist, 0.90), 2);
        assert_eq!(percentile(&hist, 0.95), 5);
        // One rank always: the interval is that rank.
        let mut one = vec![0u32; 4];
        one[3] = 50;
        assert_eq!((percentile(&one, 0.05), percentile(&one, 0.95)), (3, 3));
    }

    #[test]
    fn overlapping_intervals_form_one_group() {
        assert_eq!(groups(&[[1, 1], [2, 2], [3, 3]]), vec![1, 2, 3]);
        assert_eq!(
            groups(&[[1, 3], [1, 4], [3, 6], [7, 9], [8, 9]]),
            vec![1, 1, 1, 2, 2]
        );
        // Linked through a row between them: 1–2 and 4–5 both touch 2–4.
        assert_eq!(groups(&[[1, 2], [2, 4], [4, 5], [6, 6]]), vec![1, 1, 1, 2]);
        // A later row reaching back joins the group it reaches.
        assert_eq!(groups(&[[1, 1], [2, 2], [3, 3], [2, 5]]), vec![1, 2, 2, 2]);
        assert!(groups(&[]).is_empty());
    }
}
