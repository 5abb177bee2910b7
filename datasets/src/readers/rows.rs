//! The row-accounting driver every point reader runs its rows through.
//!
//! Why one driver: the quality report is only trustworthy if every row a reader sees is counted
//! once as read and then once as kept or rejected under a reason. Written out in each reader,
//! that bookkeeping is repeated eleven times and easy to get subtly wrong (a `continue` that
//! skips the count, a point pushed before a later check rejects its row). Here a reader only
//! says what one row comes to; the driver does the counting.

use crate::facility::FacilityPoint;
use crate::report::{Reject, SourceReport};

/// What one row comes to: kept (`Ok`), or rejected under a reason.
pub(crate) type RowOutcome = Result<(), Reject>;

/// Runs `each` over every row, counting it as read, then as kept or rejected under the reason
/// it gives. For rows that yield no points (a lookup table, a join partner).
pub(crate) fn account_rows<R>(
    report: &mut SourceReport,
    rows: impl IntoIterator<Item = R>,
    mut each: impl FnMut(R) -> RowOutcome,
) {
    for row in rows {
        report.rows_read += 1;
        match each(row) {
            Ok(()) => report.rows_kept += 1,
            Err(why) => report.reject(why),
        }
    }
}

/// Runs `each` over every row of a point source, collecting the points it pushes: a kept row
/// may yield several points (an indoor pool is also a pool), a rejected row yields none — what
/// it pushed before it was rejected is taken back.
pub(crate) fn point_rows<R>(
    report: &mut SourceReport,
    rows: impl IntoIterator<Item = R>,
    mut each: impl FnMut(R, &mut Vec<FacilityPoint>) -> RowOutcome,
) -> Vec<FacilityPoint> {
    let mut points = Vec::new();
    account_rows(report, rows, |row| {
        let before = points.len();
        let outcome = each(row, &mut points);
        if outcome.is_err() {
            points.truncate(before);
        }
        outcome
    });
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facility::Category;
    use crate::readers::facilities::point;

    #[test]
    fn every_row_is_read_once_and_kept_or_rejected_once() {
        let mut report = SourceReport::new("s", "f");
        let points = point_rows(&mut report, [1, 2, 3, 4], |k, out| {
            out.push(point(Category::Pool, (13.0, 51.0), None, "s"));
            match k {
                2 => Err(Reject::BadCoordinate),
                4 => {
                    out.push(point(Category::IndoorPool, (13.0, 51.0), None, "s"));
                    Ok(())
                }
                _ => Ok(()),
            }
        });
        assert_eq!((report.rows_read, report.rows_kept), (4, 3));
        assert_eq!(report.rejected.get(&Reject::BadCoordinate), Some(&1));
        assert_eq!(report.unaccounted(), 0);
        assert_eq!(points.len(), 4, "the rejected row's point is taken back");
    }
}
