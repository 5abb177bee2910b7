//! `lotse atlas show|export` and `lotse sources`: the atlas as a person or a program reads it.

use super::{Lang, truncate};
use crate::atlas_source::AtlasArgs;
use anyhow::{Context, Result, bail};
use scoring::atlas::{Atlas, CentralPlace, Resolution};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum AtlasCommand {
    /// Every indicator of one municipality, with its source, date and any gap's reason.
    Show {
        /// AGS (e.g. 14612000) or name (e.g. Dresden).
        query: String,
        #[arg(long, value_enum, default_value_t = Lang::En)]
        lang: Lang,
        #[command(flatten)]
        atlas: AtlasArgs,
    },
    /// Write the whole atlas as a table (CSV), a map layer (GeoJSON) or as it is stored (JSON).
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Output file [default: standard output].
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[command(flatten)]
        atlas: AtlasArgs,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum ExportFormat {
    /// One row per municipality, one column per indicator.
    Csv,
    /// Municipality polygons with every indicator as a property.
    Geojson,
    /// The atlas file itself (metadata, sources, gaps with reasons).
    Json,
    /// The CSV's table as Parquet (for polars, pandas, R, DuckDB), with the atlas's input hash,
    /// sources and indicator metadata as key-value metadata.
    Parquet,
}

#[derive(clap::Args, Debug)]
pub struct SourcesArgs {
    #[command(flatten)]
    atlas: AtlasArgs,
}

pub fn run(c: AtlasCommand) -> Result<ExitCode> {
    match c {
        AtlasCommand::Show { query, lang, atlas } => {
            let loaded = atlas.load()?;
            let code = show(&loaded.atlas, &query, lang)?;
            println!("\n(atlas: {})", loaded.origin);
            Ok(code)
        }
        AtlasCommand::Export { format, out, atlas } => {
            let loaded = atlas.load()?;
            if let ExportFormat::Parquet = format {
                let Some(path) = out else {
                    bail!("--format parquet writes a file: give --out FILE.parquet");
                };
                write_parquet(&loaded.atlas, &path)?;
                return Ok(ExitCode::SUCCESS);
            }
            let text = match format {
                ExportFormat::Parquet => unreachable!("handled above"),
                ExportFormat::Csv => to_csv(&loaded.atlas)?,
                ExportFormat::Json => datasets::atlas_file::to_json(&loaded.atlas),
                ExportFormat::Geojson => {
                    let b = loaded
                        .boundaries
                        .context("no boundaries file belongs to this atlas (expected next to it as .boundaries.geojson)")?;
                    to_geojson(&loaded.atlas, &b)?
                }
            };
            match out {
                Some(p) => datasets::atlas_file::write_atomic(&p, &text)?,
                None => std::io::stdout().write_all(text.as_bytes())?,
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn resolution(r: Resolution, lang: Lang) -> &'static str {
    match (r, lang) {
        (Resolution::Points, Lang::En) => "from points",
        (Resolution::Points, Lang::De) => "aus Standorten",
        (Resolution::Municipality, Lang::En) => "municipality",
        (Resolution::Municipality, Lang::De) => "Gemeinde",
        (Resolution::Association, Lang::En) => "association",
        (Resolution::Association, Lang::De) => "Verband",
        (Resolution::District, Lang::En) => "district",
        (Resolution::District, Lang::De) => "Kreis",
    }
}

/// Formats a value with the precision its unit deserves.
pub fn format_value(v: f64, unit: &str) -> String {
    match unit {
        "persons" | "count" if v.fract() == 0.0 => format!("{v:.0}"),
        "km" | "min" | "%" | "EUR/m2" | "count" => format!("{v:.2}"),
        _ if v.abs() >= 100.0 => format!("{v:.0}"),
        _ => format!("{v:.2}"),
    }
}

fn show(atlas: &Atlas, query: &str, lang: Lang) -> Result<ExitCode> {
    let hits = atlas.find(query);
    let i = match hits.as_slice() {
        [i] => *i,
        [] => bail!(
            "no municipality matches {query:?} (try an 8-digit AGS such as 14612000 or a name such as Dresden)"
        ),
        many => {
            let names: Vec<String> = many
                .iter()
                .take(12)
                .map(|&i| {
                    format!(
                        "{} ({})",
                        atlas.municipalities[i].name, atlas.municipalities[i].ags
                    )
                })
                .collect();
            bail!(
                "{query:?} matches {} municipalities: {} — give the AGS",
                many.len(),
                names.join(", ")
            );
        }
    };
    let m = &atlas.municipalities[i];
    let de = lang == Lang::De;
    let district = atlas.district_of(m).map(|d| d.name.as_str()).unwrap_or("?");
    println!("{} — AGS {} ({})", m.name, m.ags, m.official_name);
    let cp = match m.central_place {
        Some(CentralPlace::Oberzentrum) => {
            if de {
                " · Oberzentrum"
            } else {
                " · regional centre (Oberzentrum)"
            }
        }
        Some(CentralPlace::Mittelzentrum) => {
            if de {
                " · Mittelzentrum"
            } else {
                " · middle-order centre (Mittelzentrum)"
            }
        }
        None => "",
    };
    println!(
        "{} {} ({}){cp} · {} lat {:.4}, lon {:.4}",
        if de { "Kreis:" } else { "District:" },
        district,
        m.district_ags5,
        if de { "Bezugspunkt" } else { "reference point" },
        m.lat,
        m.lon
    );
    if !m.predecessors.is_empty() {
        println!(
            "{} {}",
            if de {
                "Entstanden aus:"
            } else {
                "Formed by merging:"
            },
            m.predecessors.join(", ")
        );
    }
    println!();
    for ind in &atlas.indicators {
        let label = if de {
            &ind.meta.label_de
        } else {
            &ind.meta.label_en
        };
        let value = match ind.values[i] {
            Some(v) => format!("{} {}", format_value(v, &ind.meta.unit), ind.meta.unit),
            None => "—".to_string(),
        };
        let est = if ind.meta.estimate {
            if de { " [Schätzung]" } else { " [estimate]" }
        } else {
            ""
        };
        println!(
            "  {:<58} {:>16}{est}  [{}; {}; {}]",
            truncate(label, 58),
            value,
            resolution(ind.meta.resolution, lang),
            ind.meta.sources.join("+"),
            ind.meta.reference_date
        );
        if let Some(reason) = ind.missing.get(&m.ags) {
            println!("      {} {reason}", if de { "fehlt:" } else { "missing:" });
        }
    }
    let help: Vec<_> = atlas.district_help(&m.district_ags5).collect();
    if !help.is_empty() {
        println!(
            "\n{}",
            if de {
                "Hilfe vor Ort:"
            } else {
                "Help on the ground:"
            }
        );
        for h in help {
            let inferred = if h.inferred {
                if de {
                    " (erschlossen, nicht geprüft)"
                } else {
                    " (inferred, not verified)"
                }
            } else {
                ""
            };
            println!("  {} — {} {}{inferred}", h.name, h.town, h.website);
        }
    }
    println!("\n{}", if de { "Quellen:" } else { "Sources:" });
    let mut used: Vec<&str> = atlas
        .indicators
        .iter()
        .flat_map(|i| i.meta.sources.iter().map(String::as_str))
        .collect();
    used.sort();
    used.dedup();
    for id in used {
        if let Some(s) = atlas.source(id) {
            let lic = if s.licence_confirmed {
                String::new()
            } else if de {
                " (Lizenz ungeklärt)".into()
            } else {
                " (licence unconfirmed)".into()
            };
            println!(
                "  {:<24} {} — {} · {}{lic} · {}",
                s.id, s.title, s.attribution, s.licence, s.reference_date
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One row per municipality; base fields first, then one column per indicator id.
pub fn to_csv(atlas: &Atlas) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "ags",
        "name",
        "official_name",
        "district_ags5",
        "district",
        "central_place",
        "lon",
        "lat",
        "centre_lon",
        "centre_lat",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(atlas.indicators.iter().map(|i| i.meta.id.clone()));
    w.write_record(&header)?;
    for (i, m) in atlas.municipalities.iter().enumerate() {
        let mut rec = vec![
            m.ags.clone(),
            m.name.clone(),
            m.official_name.clone(),
            m.district_ags5.clone(),
            atlas
                .district_of(m)
                .map(|d| d.name.clone())
                .unwrap_or_default(),
            match m.central_place {
                Some(CentralPlace::Oberzentrum) => "Oberzentrum".into(),
                Some(CentralPlace::Mittelzentrum) => "Mittelzentrum".into(),
                None => String::new(),
            },
            m.lon.to_string(),
            m.lat.to_string(),
            m.centre_lon.to_string(),
            m.centre_lat.to_string(),
        ];
        rec.extend(
            atlas
                .indicators
                .iter()
                .map(|ind| ind.values[i].map(|v| v.to_string()).unwrap_or_default()),
        );
        w.write_record(&rec)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// The table of [`to_csv`] as Parquet: text columns as strings, coordinates and indicators as
/// nullable doubles (a gap is a null; its reason is in the key-value metadata and the JSON).
fn write_parquet(atlas: &Atlas, path: &std::path::Path) -> Result<()> {
    use polars::prelude::{Column, DataFrame, KeyValueMetadata, ParquetWriter};
    let m = &atlas.municipalities;
    let text = |name: &str, f: &dyn Fn(&scoring::atlas::Municipality) -> String| {
        Column::new(name.into(), m.iter().map(f).collect::<Vec<String>>())
    };
    let num = |name: &str, v: Vec<Option<f64>>| Column::new(name.into(), v);
    let mut cols = vec![
        text("ags", &|x| x.ags.clone()),
        text("name", &|x| x.name.clone()),
        text("official_name", &|x| x.official_name.clone()),
        text("district_ags5", &|x| x.district_ags5.clone()),
        text("district", &|x| {
            atlas
                .district_of(x)
                .map(|d| d.name.clone())
                .unwrap_or_default()
        }),
        text("central_place", &|x| match x.central_place {
            Some(CentralPlace::Oberzentrum) => "Oberzentrum".into(),
            Some(CentralPlace::Mittelzentrum) => "Mittelzentrum".into(),
            None => String::new(),
        }),
        num("lon", m.iter().map(|x| Some(x.lon)).collect()),
        num("lat", m.iter().map(|x| Some(x.lat)).collect()),
        num("centre_lon", m.iter().map(|x| Some(x.centre_lon)).collect()),
        num("centre_lat", m.iter().map(|x| Some(x.centre_lat)).collect()),
    ];
    cols.extend(
        atlas
            .indicators
            .iter()
            .map(|i| num(&i.meta.id, i.values.clone())),
    );
    let mut df = DataFrame::new(m.len(), cols)?;
    let metas: Vec<&scoring::atlas::IndicatorMeta> =
        atlas.indicators.iter().map(|i| &i.meta).collect();
    let kv = vec![
        (
            "lotse.atlas_input_hash".to_string(),
            atlas.input_hash.clone(),
        ),
        (
            "lotse.version".to_string(),
            env!("CARGO_PKG_VERSION").to_string(),
        ),
        (
            "lotse.sources".to_string(),
            serde_json::to_string(&atlas.sources)?,
        ),
        (
            "lotse.indicators".to_string(),
            serde_json::to_string(&metas)?,
        ),
    ];
    let tmp = path.with_extension("parquet.tmp");
    let file =
        std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    ParquetWriter::new(file)
        .with_key_value_metadata(Some(KeyValueMetadata::from_static(kv)))
        .finish(&mut df)
        .context("writing Parquet")?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// The boundaries with every indicator as a feature property.
fn to_geojson(atlas: &Atlas, boundaries: &str) -> Result<String> {
    let mut fc: serde_json::Value =
        serde_json::from_str(boundaries).context("boundaries file is not valid JSON")?;
    let features = fc
        .get_mut("features")
        .and_then(|f| f.as_array_mut())
        .context("boundaries file has no features")?;
    for f in features {
        let ags = f["properties"]["ags"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let Some(i) = atlas.index_of(&ags) else {
            continue;
        };
        let props = f["properties"]
            .as_object_mut()
            .context("feature without properties")?;
        let m = &atlas.municipalities[i];
        props.insert("district_ags5".into(), m.district_ags5.clone().into());
        for ind in &atlas.indicators {
            props.insert(ind.meta.id.clone(), ind.values[i].into());
        }
    }
    let mut s = serde_json::to_string(&fc)?;
    s.push('\n');
    Ok(s)
}

pub fn sources(a: SourcesArgs) -> Result<ExitCode> {
    let atlas = a.atlas.load()?.atlas;
    for s in &atlas.sources {
        println!("{} — {}", s.id, s.title);
        println!("    publisher:   {}", s.publisher);
        println!(
            "    licence:     {}{}",
            s.licence,
            if s.licence_confirmed {
                ""
            } else {
                "  (not a confirmed open licence)"
            }
        );
        println!("    attribution: {}", s.attribution);
        println!(
            "    date:        {}   coverage: {}",
            s.reference_date, s.coverage
        );
        println!(
            "    file:        {}  (sha256 {}…)",
            s.file,
            &s.sha256[..12.min(s.sha256.len())]
        );
    }
    Ok(ExitCode::SUCCESS)
}
