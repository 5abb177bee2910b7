//! The words the profile and the criteria table share: language, preferred town size, the
//! children's age band. The lowest module of the crate: it imports nothing from it, so that
//! `profile` and `criteria` can both build on it without importing each other.

use serde::{Deserialize, Serialize};

/// Official size classes of German municipalities by population (the classic statistical
/// classes also used by BBSR): Landgemeinde < 5,000, Kleinstadt < 20,000, Mittelstadt < 100,000,
/// Großstadt from 100,000.
pub const TOWN_SIZE_BOUNDS: [f64; 3] = [5_000.0, 20_000.0, 100_000.0];

/// Age band of the youngest child under 7, which picks the district care rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    /// Under 3 (Krippe).
    Under3,
    /// 3 to 6 (Kindergarten until school starts).
    From3To6,
}

/// Language of sentences and labels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// German, the default: the language of the sources and of the offices a newcomer deals with.
    #[default]
    De,
    En,
}

/// Preferred size of place; switches the `town_size` criterion on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TownSize {
    /// Landgemeinde, under 5,000 residents.
    Village,
    /// Kleinstadt, 5,000–20,000.
    SmallTown,
    /// Mittelstadt, 20,000–100,000.
    Town,
    /// Großstadt, 100,000 and more.
    City,
}

impl TownSize {
    /// Population range `[lo, hi)` of the class.
    pub fn bounds(self) -> (f64, f64) {
        let b = TOWN_SIZE_BOUNDS;
        match self {
            TownSize::Village => (0.0, b[0]),
            TownSize::SmallTown => (b[0], b[1]),
            TownSize::Town => (b[1], b[2]),
            TownSize::City => (b[2], f64::INFINITY),
        }
    }
}

/// Picks the German or the English text.
pub(crate) fn pick(lang: Lang, de: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::De => de,
        Lang::En => en,
    }
}
