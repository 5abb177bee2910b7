//! lotse for Python (`import lotse`): the scoring core over the bundled atlas or an atlas file,
//! for researchers who work in polars, pandas or pyarrow.
//!
//! This is the native part (`lotse._lotse`); `lotse/__init__.py` wraps it with the Python
//! signatures (`rank`, `rank_batch`, `atlas`, `criteria`, `about`). Answers are the same JSON
//! as the HTTP API's (parsed by the wrapper), tables cross as Arrow (`stream.rs`), and every
//! rule of reading and ranking a profile comes from the `scoring` crate, as in `lotse batch`.
//!
//! - `engine.rs`: the atlas and its ranker, loaded once.
//! - `arrow_in.rs`: profiles from Arrow columns (the flat columns of `lotse batch`).
//! - `ranking.rs`: many profiles ranked in parallel into long Arrow results and rejects.
//! - `atlas_table.rs`: the atlas as one Arrow table.
//! - `stream.rs`: the Arrow PyCapsule interface, in and out.

mod arrow_in;
mod atlas_table;
mod engine;
mod ranking;
mod stream;

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use scoring::batch::{Layout, MAX_TOP_K, Meta};
use scoring::{Lang, ProfileError, RankOptions};
use std::path::PathBuf;
use stream::ArrowStream;

create_exception!(
    _lotse,
    InvalidProfile,
    PyValueError,
    "A profile lotse cannot rank; `field`, `problem` and `allowed` say which field, what is wrong with it and what would be accepted."
);
create_exception!(
    _lotse,
    InvalidColumns,
    PyValueError,
    "A profiles table lotse cannot read at all (an unknown, doubled or missing column, or a column of a type lotse cannot read); `column` names it."
);

fn profile_error(py: Python<'_>, e: &ProfileError) -> PyErr {
    let err = InvalidProfile::new_err(e.to_string());
    let v = err.value(py);
    let _ = v.setattr("field", &e.field);
    let _ = v.setattr("problem", &e.problem);
    let _ = v.setattr("allowed", &e.allowed);
    err
}

fn columns_error(py: Python<'_>, e: &arrow_in::InputError) -> PyErr {
    use arrow_in::InputError as I;
    use scoring::flat::ColumnsError as C;
    let column = match e {
        I::Columns(C::Unknown { name, .. } | C::Twice(name)) => name.clone(),
        I::Columns(C::NoAdults) => "adults".into(),
        I::Type { name, .. } | I::Date { name, .. } => name.clone(),
    };
    let err = InvalidColumns::new_err(e.to_string());
    let _ = err.value(py).setattr("column", column);
    err
}

fn engine(atlas: Option<PathBuf>) -> PyResult<&'static engine::Engine> {
    engine::engine(atlas.as_deref()).map_err(|e| PyValueError::new_err(e.to_string()))
}

fn json_error(e: serde_json::Error) -> PyErr {
    PyValueError::new_err(format!("cannot serialise the answer: {e}"))
}

/// `POST /api/v1/rank`: the profile (JSON text) ranked, the answer as JSON text. `lang`
/// overrides the profile's language, as the API's `?lang=`; `top` (1–50) is the API's `?top=`.
#[pyfunction]
#[pyo3(signature = (profile_json, top=10, lang=None, atlas=None))]
fn rank_json(
    py: Python<'_>,
    profile_json: &str,
    top: usize,
    lang: Option<&str>,
    atlas: Option<PathBuf>,
) -> PyResult<String> {
    if !RankOptions::explain_top_allowed(top) {
        return Err(PyValueError::new_err(format!(
            "top must be 1–{} (got {top})",
            RankOptions::MAX_EXPLAIN_TOP
        )));
    }
    let engine = engine(atlas)?;
    let mut profile =
        scoring::Profile::parse_json(profile_json).map_err(|e| profile_error(py, &e))?;
    if let Some(l) = lang {
        profile.lang = serde_json::from_value::<Lang>(serde_json::Value::String(l.into()))
            .map_err(|_| {
                profile_error(
                    py,
                    &ProfileError::new("lang", format!("`{l}` is not allowed"), "de, en"),
                )
            })?;
    }
    let plan = engine
        .ranker
        .plan(&profile)
        .map_err(|e| profile_error(py, &e))?;
    let opts = RankOptions {
        explain_top: top,
        ..RankOptions::default()
    };
    py.detach(|| serde_json::to_string(&engine.ranker.rank_plan(&plan, &opts)))
        .map_err(json_error)
}

/// `GET /api/v1/criteria`: the criteria table as JSON text.
#[pyfunction]
fn criteria_json() -> PyResult<String> {
    serde_json::to_string(&scoring::criteria::table()).map_err(json_error)
}

/// What makes a result reproducible, as JSON text: the lotse version, the atlas's input hash
/// and origin, and the criteria table (the keys `lotse batch` writes into its metadata).
#[pyfunction]
#[pyo3(signature = (atlas=None))]
fn about_json(atlas: Option<PathBuf>) -> PyResult<String> {
    let e = engine(atlas)?;
    serde_json::to_string(&serde_json::json!({
        "lotse_version": scoring::VERSION,
        "atlas_input_hash": e.atlas.input_hash,
        "atlas_origin": e.origin,
        "atlas_region": e.atlas.region,
        "municipalities": e.atlas.municipalities.len(),
        "criteria": scoring::criteria::table(),
    }))
    .map_err(json_error)
}

/// The indicators' descriptions (label, unit, sources, reference date, method) as JSON text.
#[pyfunction]
#[pyo3(signature = (atlas=None))]
fn indicators_json(atlas: Option<PathBuf>) -> PyResult<String> {
    let e = engine(atlas)?;
    let metas: Vec<_> = e.atlas.indicators.iter().map(|i| &i.meta).collect();
    serde_json::to_string(&metas).map_err(json_error)
}

/// The sources of the atlas (publisher, licence, reference date) as JSON text.
#[pyfunction]
#[pyo3(signature = (atlas=None))]
fn sources_json(atlas: Option<PathBuf>) -> PyResult<String> {
    serde_json::to_string(&engine(atlas)?.atlas.sources).map_err(json_error)
}

/// The atlas as one Arrow table: a row per municipality, an indicator per column.
#[pyfunction]
#[pyo3(signature = (atlas=None))]
fn atlas_arrow(atlas: Option<PathBuf>) -> PyResult<ArrowStream> {
    let e = engine(atlas)?;
    let (schema, batch) =
        atlas_table::table(e).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(ArrowStream::new(schema, vec![batch]))
}

/// Ranks every row of an Arrow table of profiles (the columns of `lotse batch`): the long
/// results and the rejects, both as Arrow streams. The GIL is released while ranking.
#[pyfunction]
#[pyo3(signature = (profiles, top_k=10, with_criteria=false, robustness=false, atlas=None, threads=None))]
fn rank_table(
    py: Python<'_>,
    profiles: &Bound<'_, PyAny>,
    top_k: usize,
    with_criteria: bool,
    robustness: bool,
    atlas: Option<PathBuf>,
    threads: Option<usize>,
) -> PyResult<(ArrowStream, ArrowStream)> {
    if !(1..=MAX_TOP_K).contains(&top_k) {
        return Err(PyValueError::new_err(format!(
            "top_k must be 1–{MAX_TOP_K} (got {top_k})"
        )));
    }
    if threads.is_some_and(|n| n == 0) {
        return Err(PyValueError::new_err("threads must be at least 1"));
    }
    let engine = engine(atlas)?;
    let (schema, batches) = stream::import(profiles)?;
    let columns = arrow_in::check_schema(&schema).map_err(|e| columns_error(py, &e))?;
    let layout = Layout {
        with_criteria,
        robustness,
    };
    let meta = Meta::new(
        engine.atlas.input_hash.clone(),
        engine.origin.clone(),
        top_k,
        layout,
        format!(
            "lotse.rank_batch(top_k={top_k}, with_criteria={}, robustness={})",
            if with_criteria { "True" } else { "False" },
            if robustness { "True" } else { "False" }
        ),
    );
    let out_schema = ranking::result_schema(layout, &meta).map_err(json_error)?;
    let ranked = py
        .detach(|| -> Result<_, String> {
            let run =
                || ranking::rank_table(engine, &columns, &batches, top_k, layout, &out_schema);
            match threads {
                None => run().map_err(|e| e.to_string()),
                Some(n) => rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .map_err(|e| e.to_string())?
                    .install(run)
                    .map_err(|e| e.to_string()),
            }
        })
        .map_err(PyValueError::new_err)?;
    Ok((
        ArrowStream::new(out_schema, ranked.results),
        ArrowStream::new(ranking::rejects_schema(), ranked.rejects),
    ))
}

/// The native module.
#[pymodule]
fn _lotse(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("VERSION", scoring::VERSION)?;
    m.add("MAX_TOP_K", MAX_TOP_K)?;
    m.add("InvalidProfile", m.py().get_type::<InvalidProfile>())?;
    m.add("InvalidColumns", m.py().get_type::<InvalidColumns>())?;
    m.add_class::<ArrowStream>()?;
    m.add_function(wrap_pyfunction!(rank_json, m)?)?;
    m.add_function(wrap_pyfunction!(criteria_json, m)?)?;
    m.add_function(wrap_pyfunction!(about_json, m)?)?;
    m.add_function(wrap_pyfunction!(indicators_json, m)?)?;
    m.add_function(wrap_pyfunction!(sources_json, m)?)?;
    m.add_function(wrap_pyfunction!(atlas_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(rank_table, m)?)?;
    Ok(())
}
