//! `lotse rank` and `lotse compare`: one household profile against the atlas.

use super::Lang as CliLang;
use super::truncate;
use crate::atlas_source::AtlasArgs;
use anyhow::{Context, Result, bail};
use scoring::change::Change;
use scoring::rank::{Place, Status};
use scoring::{Lang, Profile, RankOptions, Ranker};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Readable text with one sentence per criterion.
    Table,
    /// The whole ranking as JSON (the same as POST /api/v1/rank).
    Json,
    /// One row per ranked municipality.
    Csv,
    /// A handout in Markdown to print or send: the household, the top towns by rank group with
    /// their reasons, the towns left out, who helps newcomers there, the sources.
    Markdown,
}

#[derive(clap::Args, Debug)]
pub struct RankArgs {
    /// Household profile, JSON or TOML (by extension; `-` reads JSON from standard input).
    #[arg(long, short, value_name = "FILE")]
    pub profile: PathBuf,
    /// How many municipalities to show (and explain).
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Language of the explanations [default: the profile's `lang`].
    #[arg(long, value_enum)]
    pub lang: Option<CliLang>,
    /// Re-rank with one change and show how ranks move, e.g. '{"rent_budget_pct": 10}' or
    /// '{"children_older": 1}'.
    #[arg(long, value_name = "JSON")]
    pub what_if: Option<String>,
    #[command(flatten)]
    pub atlas: AtlasArgs,
}

#[derive(clap::Args, Debug)]
pub struct CompareArgs {
    /// 2–6 municipalities (AGS or names).
    #[arg(required = true, num_args = 2..=6)]
    pub municipalities: Vec<String>,
    /// Household profile (JSON or TOML) [default: two adults with a 6-year-old].
    #[arg(long, short, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    #[arg(long, value_enum)]
    pub lang: Option<CliLang>,
    /// `table` or `json` (`csv` is not offered for comparisons).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub atlas: AtlasArgs,
}

/// Reads a profile file; TOML by the `.toml` extension, JSON otherwise.
pub fn read_profile(path: &Path) -> Result<Profile> {
    let text = if path == Path::new("-") {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading the profile from standard input")?;
        s
    } else {
        std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the profile {}", path.display()))?
    };
    let parsed = if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
    {
        Profile::from_toml(&text)
    } else {
        Profile::from_json(&text)
    };
    parsed.with_context(|| format!("the profile {} is not valid", path.display()))
}

fn lang_of(l: CliLang) -> Lang {
    match l {
        CliLang::De => Lang::De,
        CliLang::En => Lang::En,
    }
}

pub fn rank(a: RankArgs) -> Result<ExitCode> {
    let mut profile = read_profile(&a.profile)?;
    if let Some(l) = a.lang {
        profile.lang = lang_of(l);
    }
    if a.top == 0 {
        bail!("--top must be at least 1");
    }
    let loaded = a.atlas.load()?;
    let ranker = Ranker::new(&loaded.atlas).context("the atlas cannot be ranked")?;
    let opts = RankOptions {
        explain_top: a.top,
        ..RankOptions::default()
    };
    if let Some(change) = &a.what_if {
        let change: Change = serde_json::from_str(change).context(
            "--what-if takes one change as JSON, e.g. {\"rent_budget_pct\": 10}, {\"children_older\": 1}, {\"car\": false}",
        )?;
        let w = ranker.what_if(&profile, &change, &opts)?;
        if a.format == Format::Json {
            println!("{}", serde_json::to_string_pretty(&w)?);
            return Ok(ExitCode::SUCCESS);
        }
        let de = profile.lang == Lang::De;
        println!(
            "{} {}",
            if de { "Änderung:" } else { "change:" },
            serde_json::to_string(&w.change)?
        );
        println!(
            "{} {} / {}",
            if de {
                "Ränge geändert:"
            } else {
                "ranks changed:"
            },
            w.changed_ranks,
            w.ranked_after
        );
        let place = |p: &Place| match p {
            Place::Ranked { rank, score } => format!("#{rank} ({score:.1})"),
            Place::Unranked => {
                if de {
                    "ohne Rang".into()
                } else {
                    "unranked".into()
                }
            }
            Place::Excluded => {
                if de {
                    "ausgeschlossen".into()
                } else {
                    "excluded".into()
                }
            }
        };
        for m in &w.moves {
            let arrow = match m.moved_up {
                Some(k) if k > 0 => format!("↑{k}"),
                Some(k) if k < 0 => format!("↓{}", -k),
                Some(_) => "=".into(),
                None => "".into(),
            };
            println!(
                "  {:<28} {:>14} → {:<14} {arrow}",
                m.name,
                place(&m.before),
                place(&m.after)
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let ranking = ranker.rank(&profile, &opts)?;
    match a.format {
        Format::Table => print!("{}", scoring::render::ranking_text(&ranking, a.top)),
        Format::Markdown => print!(
            "{}",
            scoring::handout::handout_markdown(&ranking, a.top, &loaded.atlas)
        ),
        Format::Json => println!("{}", serde_json::to_string_pretty(&ranking)?),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout());
            w.write_record([
                "rank",
                "ags",
                "name",
                "district",
                "score",
                "weight_coverage",
                "top_k_share",
                "rank_p5",
                "rank_p95",
                "group",
                "pareto_optimal",
            ])?;
            for r in &ranking.ranked {
                w.write_record([
                    r.rank.to_string(),
                    r.ags.to_string(),
                    r.name.to_string(),
                    r.district.to_string(),
                    format!("{:.2}", r.score),
                    format!("{:.3}", r.weight_coverage),
                    r.top_k_share.map(|s| format!("{s:.3}")).unwrap_or_default(),
                    r.rank_interval
                        .map(|i| i[0].to_string())
                        .unwrap_or_default(),
                    r.rank_interval
                        .map(|i| i[1].to_string())
                        .unwrap_or_default(),
                    r.group.map(|g| g.to_string()).unwrap_or_default(),
                    r.pareto_optimal.map(|p| p.to_string()).unwrap_or_default(),
                ])?;
            }
            w.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn compare(a: CompareArgs) -> Result<ExitCode> {
    let mut profile = match &a.profile {
        Some(p) => read_profile(p)?,
        None => {
            let mut p = Profile::new(2);
            p.children = vec![6];
            p
        }
    };
    if let Some(l) = a.lang {
        profile.lang = lang_of(l);
    }
    let loaded = a.atlas.load()?;
    let ranker = Ranker::new(&loaded.atlas).context("the atlas cannot be ranked")?;
    let names: Vec<&str> = a.municipalities.iter().map(String::as_str).collect();
    let c = ranker.compare(&profile, &names)?;
    if a.format != Format::Table {
        println!("{}", serde_json::to_string_pretty(&c)?);
        return Ok(ExitCode::SUCCESS);
    }
    let de = profile.lang == Lang::De;
    let width = 24;
    print!("{:<22}", "");
    for m in &c.municipalities {
        print!("{:>width$}", truncate(m.name, width - 2));
    }
    println!();
    print!("{:<22}", if de { "Rang / Punkte" } else { "rank / score" });
    for m in &c.municipalities {
        let s = match &m.status {
            Status::Ranked { rank, score, .. } => format!("#{rank} / {score:.1}"),
            Status::Unranked { .. } => {
                if de {
                    "ohne Rang".into()
                } else {
                    "unranked".into()
                }
            }
            Status::Excluded { .. } => {
                if de {
                    "ausgeschlossen".into()
                } else {
                    "excluded".into()
                }
            }
        };
        print!("{s:>width$}");
    }
    println!();
    for (k, crit) in c.criteria.iter().enumerate() {
        print!("{:<22}", truncate(crit.criterion.id(), 21));
        for m in &c.municipalities {
            let cell = m.explanations.get(k).map(|e| {
                let u = e.utility.map_or("–".to_string(), |u| format!("{u:.0}"));
                match e.value {
                    Some(v) => format!("{u} ({} {})", short(v), e.unit),
                    None => u,
                }
            });
            print!("{:>width$}", truncate(&cell.unwrap_or_default(), width - 2));
        }
        println!();
    }
    println!();
    for m in &c.municipalities {
        println!("{}:", m.name);
        for e in &m.explanations {
            println!("  {:<18} {}", e.criterion.id(), e.sentence_in_full());
        }
        if let Status::Excluded { reasons, .. } = &m.status {
            for reason in reasons {
                println!(
                    "  {} {reason}",
                    if de { "ausgeschlossen:" } else { "excluded:" }
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn short(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}
