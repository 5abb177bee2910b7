//! Many profiles ranked at once, as `lotse batch` ranks them: each profile's top k rows in the
//! long format (`profile_id, rank, ags, name, score`, with robustness and criteria columns when
//! asked for), the rejected profiles beside them (`profile_id, line, field, reason, allowed`).
//!
//! The rows of a table are cut into chunks ranked in parallel on rayon's pool; each chunk
//! builds its own Arrow record batches, and the batches stay in input order, so the result does
//! not depend on the number of threads. The caller releases the GIL around [`rank_table`].

use crate::arrow_in::{Cells, read_batch};
use crate::engine::Engine;
use arrow_array::builder::{
    Float64Builder, StringBuilder, StringViewBuilder, UInt32Builder, UInt64Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use rayon::prelude::*;
use scoring::batch::{Layout, Meta, TopRow, top_rows_with};
use scoring::flat::{Columns, build_profile};
use scoring::{Criterion, ProfileError};
use std::collections::HashMap;
use std::sync::Arc;

/// Profiles per chunk: as `lotse batch`'s default chunk, large enough to keep every core busy.
pub const CHUNK: usize = 8192;

/// The schema of the results for `layout` (text as string views: the ids, AGS and most names
/// fit a view's 12 inline bytes, and polars takes the columns without a copy), carrying `meta` as `lotse.<field>` metadata (the
/// keys `lotse batch` writes into its Parquet files).
pub fn result_schema(layout: Layout, meta: &Meta) -> Result<SchemaRef, serde_json::Error> {
    let mut fields = vec![
        Field::new("profile_id", DataType::Utf8View, false),
        Field::new("rank", DataType::UInt32, false),
        Field::new("ags", DataType::Utf8View, false),
        Field::new("name", DataType::Utf8View, false),
        Field::new("score", DataType::Float64, false),
    ];
    if layout.robustness {
        let [share, p5, p95, group] = scoring::batch::ROBUSTNESS_COLUMNS;
        fields.push(Field::new(share, DataType::Float64, true));
        for c in [p5, p95, group] {
            fields.push(Field::new(c, DataType::UInt32, true));
        }
    }
    if layout.with_criteria {
        fields.extend(
            Criterion::ALL
                .iter()
                .map(|c| Field::new(c.id(), DataType::Float64, true)),
        );
    }
    let metadata: HashMap<String, String> = meta.key_values()?.into_iter().collect();
    Ok(Arc::new(Schema::new_with_metadata(fields, metadata)))
}

/// The schema of the rejects: as `<out>.rejects.csv` of `lotse batch`.
pub fn rejects_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("profile_id", DataType::Utf8, false),
        Field::new("line", DataType::UInt64, false),
        Field::new("field", DataType::Utf8, false),
        Field::new("reason", DataType::Utf8, false),
        Field::new("allowed", DataType::Utf8, false),
    ]))
}

/// The results and rejects of a table, in input order.
pub struct Ranked {
    pub results: Vec<RecordBatch>,
    pub rejects: Vec<RecordBatch>,
}

/// One chunk of rows of one input batch: `first` is the 0-based row of the table where it
/// starts (a profile without its own id gets its 1-based row, as in a Parquet file).
struct Task<'c> {
    cells: &'c [Cells],
    rows: std::ops::Range<usize>,
    first: u64,
}

/// Ranks every row of `batches` (whose columns are `columns`) over `engine`.
pub fn rank_table(
    engine: &Engine,
    columns: &Columns,
    batches: &[RecordBatch],
    top_k: usize,
    layout: Layout,
    schema: &SchemaRef,
) -> Result<Ranked, ArrowError> {
    let cells: Vec<Vec<Cells>> = batches.par_iter().map(|b| read_batch(columns, b)).collect();
    let mut tasks = Vec::new();
    let mut offset = 0u64;
    for (b, c) in batches.iter().zip(&cells) {
        let n = b.num_rows();
        for start in (0..n).step_by(CHUNK) {
            let end = (start + CHUNK).min(n);
            tasks.push(Task {
                cells: c,
                rows: start..end,
                first: offset + start as u64,
            });
        }
        offset += n as u64;
    }
    let out: Vec<(RecordBatch, RecordBatch)> = tasks
        .par_iter()
        .map(|t| rank_chunk(engine, columns, t, top_k, layout, schema))
        .collect::<Result<_, _>>()?;
    let (results, rejects) = out.into_iter().unzip();
    Ok(Ranked { results, rejects })
}

/// Column builders of one chunk's results.
struct Builders {
    ids: StringViewBuilder,
    ranks: UInt32Builder,
    ags: StringViewBuilder,
    names: StringViewBuilder,
    scores: Float64Builder,
    share: Float64Builder,
    p5: UInt32Builder,
    p95: UInt32Builder,
    group: UInt32Builder,
    utilities: Vec<Float64Builder>,
}

impl Builders {
    fn new(rows: usize, layout: Layout) -> Self {
        let n = if layout.robustness { rows } else { 0 };
        let u = if layout.with_criteria { rows } else { 0 };
        Builders {
            ids: StringViewBuilder::with_capacity(rows),
            ranks: UInt32Builder::with_capacity(rows),
            ags: StringViewBuilder::with_capacity(rows),
            names: StringViewBuilder::with_capacity(rows),
            scores: Float64Builder::with_capacity(rows),
            share: Float64Builder::with_capacity(n),
            p5: UInt32Builder::with_capacity(n),
            p95: UInt32Builder::with_capacity(n),
            group: UInt32Builder::with_capacity(n),
            utilities: if layout.with_criteria {
                Criterion::ALL
                    .iter()
                    .map(|_| Float64Builder::with_capacity(u))
                    .collect()
            } else {
                Vec::new()
            },
        }
    }

    fn push(&mut self, id: &str, r: &TopRow<'_>, layout: Layout) {
        self.ids.append_value(id);
        self.ranks.append_value(r.rank);
        self.ags.append_value(r.ags);
        self.names.append_value(r.name);
        self.scores.append_value(r.score);
        if layout.robustness {
            let s = r.robustness.as_ref();
            self.share.append_option(s.map(|s| s.top_k_share));
            self.p5.append_option(s.map(|s| s.rank_interval[0]));
            self.p95.append_option(s.map(|s| s.rank_interval[1]));
            self.group.append_option(s.map(|s| s.group));
        }
        for (b, u) in self.utilities.iter_mut().zip(&r.utilities) {
            b.append_option(*u);
        }
    }

    fn finish(mut self, schema: &SchemaRef, layout: Layout) -> Result<RecordBatch, ArrowError> {
        let mut cols: Vec<ArrayRef> = vec![
            Arc::new(self.ids.finish()),
            Arc::new(self.ranks.finish()),
            Arc::new(self.ags.finish()),
            Arc::new(self.names.finish()),
            Arc::new(self.scores.finish()),
        ];
        if layout.robustness {
            cols.push(Arc::new(self.share.finish()));
            cols.push(Arc::new(self.p5.finish()));
            cols.push(Arc::new(self.p95.finish()));
            cols.push(Arc::new(self.group.finish()));
        }
        for mut b in self.utilities.drain(..) {
            cols.push(Arc::new(b.finish()));
        }
        RecordBatch::try_new(schema.clone(), cols)
    }
}

/// The rejects of one chunk.
#[derive(Default)]
struct Rejects {
    ids: StringBuilder,
    lines: UInt64Builder,
    fields: StringBuilder,
    reasons: StringBuilder,
    allowed: StringBuilder,
}

impl Rejects {
    fn push(&mut self, id: &str, line: u64, e: &ProfileError) {
        self.ids.append_value(id);
        self.lines.append_value(line);
        self.fields.append_value(&e.field);
        self.reasons.append_value(&e.problem);
        self.allowed.append_value(&e.allowed);
    }

    fn finish(mut self) -> Result<RecordBatch, ArrowError> {
        RecordBatch::try_new(
            rejects_schema(),
            vec![
                Arc::new(self.ids.finish()),
                Arc::new(self.lines.finish()),
                Arc::new(self.fields.finish()),
                Arc::new(self.reasons.finish()),
                Arc::new(self.allowed.finish()),
            ],
        )
    }
}

fn rank_chunk(
    engine: &Engine,
    columns: &Columns,
    task: &Task<'_>,
    top_k: usize,
    layout: Layout,
    schema: &SchemaRef,
) -> Result<(RecordBatch, RecordBatch), ArrowError> {
    let mut rows = Builders::new(task.rows.len() * top_k.min(64), layout);
    let mut rejects = Rejects::default();
    for i in task.rows.clone() {
        let line = task.first + (i - task.rows.start) as u64 + 1;
        let (id, profile) = build_profile(columns, |k| task.cells[k].cell(i));
        let id = id.unwrap_or_else(|| line.to_string());
        match profile.and_then(|p| top_rows_with(&engine.ranker, &p, top_k, layout)) {
            Ok(top) => top.iter().for_each(|r| rows.push(&id, r, layout)),
            Err(e) => rejects.push(&id, line, &e),
        }
    }
    Ok((rows.finish(schema, layout)?, rejects.finish()?))
}
