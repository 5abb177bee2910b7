//! The atlas as one Arrow table: a row per municipality (in AGS order), its base facts, then
//! one column per indicator (its id), each carrying its label, unit, sources and reference date
//! as field metadata, so no figure leaves without them.

use crate::engine::Engine;
use arrow_array::builder::{Float64Builder, StringBuilder};
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use std::collections::HashMap;
use std::sync::Arc;

/// The table of `engine`'s atlas, with `lotse.atlas_input_hash`, `lotse.lotse_version` and
/// `lotse.atlas_origin` as schema metadata.
pub fn table(engine: &Engine) -> Result<(SchemaRef, RecordBatch), ArrowError> {
    let atlas = engine.atlas;
    let ms = &atlas.municipalities;
    let text = |f: &dyn Fn(&scoring::atlas::Municipality) -> String| -> ArrayRef {
        Arc::new(StringArray::from_iter_values(ms.iter().map(f)))
    };
    let mut fields = vec![
        Field::new("ags", DataType::Utf8, false),
        Field::new("name", DataType::Utf8, false),
        Field::new("official_name", DataType::Utf8, false),
        Field::new("district", DataType::Utf8, true),
        Field::new("lat", DataType::Float64, false),
        Field::new("lon", DataType::Float64, false),
        Field::new("central_place", DataType::Utf8, true),
    ];
    let mut district = StringBuilder::new();
    let mut central = StringBuilder::new();
    for m in ms {
        district.append_option(atlas.district_of(m).map(|d| d.name.as_str()));
        central.append_option(
            m.central_place
                .and_then(|c| serde_json::to_value(c).ok())
                .and_then(|v| v.as_str().map(str::to_string)),
        );
    }
    let mut cols: Vec<ArrayRef> = vec![
        text(&|m| m.ags.clone()),
        text(&|m| m.name.clone()),
        text(&|m| m.official_name.clone()),
        Arc::new(district.finish()),
        Arc::new(Float64Array::from_iter_values(ms.iter().map(|m| m.lat))),
        Arc::new(Float64Array::from_iter_values(ms.iter().map(|m| m.lon))),
        Arc::new(central.finish()),
    ];
    for ind in &atlas.indicators {
        let meta = &ind.meta;
        let field_meta: HashMap<String, String> = [
            ("label_en", meta.label_en.clone()),
            ("label_de", meta.label_de.clone()),
            ("unit", meta.unit.clone()),
            ("sources", meta.sources.join(", ")),
            ("reference_date", meta.reference_date.clone()),
        ]
        .into_iter()
        .map(|(k, v)| (format!("lotse.{k}"), v))
        .collect();
        fields.push(Field::new(&meta.id, DataType::Float64, true).with_metadata(field_meta));
        let mut b = Float64Builder::with_capacity(ms.len());
        for v in &ind.values {
            b.append_option(*v);
        }
        cols.push(Arc::new(b.finish()));
    }
    let metadata: HashMap<String, String> = [
        ("lotse.atlas_input_hash", atlas.input_hash.clone()),
        ("lotse.lotse_version", scoring::VERSION.to_string()),
        ("lotse.atlas_origin", engine.origin.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let schema = Arc::new(Schema::new_with_metadata(fields, metadata));
    let batch = RecordBatch::try_new(schema.clone(), cols)?;
    Ok((schema, batch))
}
