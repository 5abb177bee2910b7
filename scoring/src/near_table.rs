//! The nearest named places of every municipality and category as one flat table
//! ([`NearTable`]): two allocations however many municipalities and categories there are.
//!
//! Why flat: a nested list (a list per municipality and category) made some 5,000 small
//! allocations per atlas; reloading the atlas 50 times left the server's heap about 3 MB larger
//! (`tests/serve_process.rs::fifty_reloads_keep_memory_flat`, issue 11's bound: within 10 %).

/// One of a municipality's nearest places: the index into
/// [`Places::points`](crate::atlas::Places::points) and the crow-flies km from the
/// municipality's population-weighted centre (one decimal).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Near {
    pub place: u32,
    pub distance_km: f64,
}

/// Per municipality (rows) and category (columns): the nearest places, nearest first; `None`
/// where the category's data does not cover the municipality, an empty list where no named
/// place lies within reach.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NearTable {
    columns: usize,
    /// Per cell, `(start, end)` into `near`; [`NOT_COVERED`] as start where not covered.
    cells: Vec<(u32, u32)>,
    near: Vec<Near>,
}

const NOT_COVERED: u32 = u32::MAX;

impl NearTable {
    /// A table of `columns` categories, rows to be pushed.
    pub fn new(columns: usize) -> Self {
        NearTable {
            columns,
            ..NearTable::default()
        }
    }

    /// A table of `columns` categories with room for `rows` municipalities and `near` places
    /// in all (so that building it makes no reallocation, which leaves holes in the heap).
    pub fn with_capacity(columns: usize, rows: usize, near: usize) -> Self {
        NearTable {
            columns,
            cells: Vec::with_capacity(rows * columns),
            near: Vec::with_capacity(near),
        }
    }

    /// Appends one municipality's cells, one per category.
    pub fn push_row<'a>(&mut self, row: impl IntoIterator<Item = Option<&'a [Near]>>) {
        for cell in row {
            self.push_cell(cell.map(|list| list.iter().copied()));
        }
    }

    /// Appends one cell (a row is complete after [`Self::columns`] of them): `None` where the
    /// category's data does not cover the municipality, else its nearest places, nearest first.
    pub fn push_cell(&mut self, cell: Option<impl IntoIterator<Item = Near>>) {
        match cell {
            None => self.cells.push((NOT_COVERED, NOT_COVERED)),
            Some(list) => {
                let start = self.near.len() as u32;
                self.near.extend(list);
                self.cells.push((start, self.near.len() as u32));
            }
        }
    }

    /// The table of nested lists (row per municipality, cell per category).
    pub fn from_rows(rows: &[Vec<Option<Vec<Near>>>]) -> Self {
        let near = rows.iter().flatten().flatten().map(Vec::len).sum();
        let mut t = NearTable::with_capacity(rows.first().map_or(0, Vec::len), rows.len(), near);
        for row in rows {
            t.push_row(row.iter().map(|c| c.as_deref()));
        }
        t
    }

    /// Number of categories per row.
    pub fn columns(&self) -> usize {
        self.columns
    }

    /// Number of municipalities.
    pub fn len(&self) -> usize {
        self.cells.len().checked_div(self.columns).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The nearest places of municipality `row` in category `column`; `None` where not
    /// covered or out of range.
    pub fn get(&self, row: usize, column: usize) -> Option<&[Near]> {
        if column >= self.columns {
            return None;
        }
        let &(start, end) = self.cells.get(row * self.columns + column)?;
        (start != NOT_COVERED).then(|| &self.near[start as usize..end as usize])
    }

    /// One municipality's cells, one per category.
    pub fn row(&self, row: usize) -> impl Iterator<Item = Option<&[Near]>> + '_ {
        (0..self.columns).map(move |c| self.get(row, c))
    }

    /// Every municipality's cells, in row order.
    pub fn rows(&self) -> impl Iterator<Item = impl Iterator<Item = Option<&[Near]>> + '_> + '_ {
        (0..self.len()).map(move |r| self.row(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_not_covered_empty_and_lists_apart() {
        let n = |place, distance_km| Near { place, distance_km };
        let rows = vec![
            vec![Some(vec![n(0, 1.5), n(3, 2.0)]), None],
            vec![Some(vec![]), Some(vec![n(1, 0.4)])],
        ];
        let t = NearTable::from_rows(&rows);
        assert_eq!((t.len(), t.columns()), (2, 2));
        assert_eq!(t.get(0, 0), Some(&[n(0, 1.5), n(3, 2.0)][..]));
        assert_eq!(t.get(0, 1), None);
        assert_eq!(t.get(1, 0), Some(&[][..]));
        assert_eq!(t.get(1, 1), Some(&[n(1, 0.4)][..]));
        assert_eq!(t.get(2, 0), None);
        assert_eq!(t.get(0, 2), None);
        let back: Vec<Vec<Option<Vec<Near>>>> = t
            .rows()
            .map(|r| r.map(|c| c.map(<[Near]>::to_vec)).collect())
            .collect();
        assert_eq!(back, rows);
    }
}
