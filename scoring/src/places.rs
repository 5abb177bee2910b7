//! A municipality's named places in the reader's language: for each facility category of the
//! atlas ([`crate::atlas::Places`]) the nearest Kitas, schools, pools … with their town, distance
//! and source, or the reason the category is not mapped there. The municipality detail of the
//! API and the handout both read them from here, so they say the same.

use crate::atlas::Atlas;
use crate::vocab::Lang;
use serde::Serialize;
use std::borrow::Cow;

/// One facility category near a municipality.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceGroup<'a> {
    /// Category id, e.g. `childcare`, `primary_school`.
    pub category: &'a str,
    /// What the places are (the category's name in the answer's language), e.g. "Grundschule".
    pub label: &'a str,
    /// Ids of the sources its places come from (see the answer's `sources`).
    pub sources: &'a [String],
    /// Places farther than this many km (crow-flies) are not listed.
    pub max_km: f64,
    /// Nearest first; empty when none lies within `max_km` (see `none_in_reach`).
    pub nearest: Vec<NearPlace<'a>>,
    /// Why there is no list at all: the category's data does not cover this municipality.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_mapped: Option<Cow<'a, str>>,
}

/// A named facility near a municipality.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NearPlace<'a> {
    /// Name as the source writes it.
    pub name: &'a str,
    /// The municipality it lies in: AGS and name.
    pub ags: &'a str,
    pub town: &'a str,
    /// Crow-flies km from where the municipality's people live on average (its
    /// population-weighted centre), one decimal.
    pub distance_km: f64,
    /// Id of the source it comes from.
    pub source: &'a str,
}

impl PlaceGroup<'_> {
    /// The sentence for a category that has no list: not mapped here (with the reason), or
    /// none within reach. `None` when there is a list.
    pub fn gap_sentence(&self, lang: Lang) -> Option<String> {
        if let Some(why) = &self.not_mapped {
            return Some(match lang {
                Lang::De => format!("hier nicht erfasst – {why}"),
                Lang::En => format!("not mapped here – {why}"),
            });
        }
        self.nearest.is_empty().then(|| match lang {
            Lang::De => format!("keine im Umkreis von {} km in den Daten", self.max_km),
            Lang::En => format!("none within {} km in the data", self.max_km),
        })
    }
}

/// The named places near municipality `i` of the atlas, one group per category in the atlas's
/// order; empty for an atlas without named places.
pub fn places_near(atlas: &Atlas, i: usize, lang: Lang) -> Vec<PlaceGroup<'_>> {
    let p = &atlas.places;
    let Some(m) = atlas.municipalities.get(i).filter(|_| i < p.nearest.len()) else {
        return Vec::new();
    };
    p.categories
        .iter()
        .zip(p.nearest.row(i))
        .map(|(c, near)| {
            let nearest = near
                .into_iter()
                .flatten()
                .filter_map(|n| {
                    let place = p.points.get(n.place as usize)?;
                    let town = atlas.municipalities.get(place.municipality as usize)?;
                    Some(NearPlace {
                        name: &place.name,
                        ags: &town.ags,
                        town: &town.name,
                        distance_km: n.distance_km,
                        source: c.sources.get(place.source as usize)?,
                    })
                })
                .collect();
            let not_mapped = near.is_none().then(|| {
                let why = atlas
                    .indicator(&format!("{}_distance_km", c.id))
                    .and_then(|ind| ind.missing.get(&m.ags));
                match (why, lang) {
                    (Some(why), _) => crate::gaps::reason(why, lang),
                    (None, Lang::De) => Cow::Borrowed("die Daten decken diesen Ort nicht ab"),
                    (None, Lang::En) => Cow::Borrowed("the data does not cover this place"),
                }
            });
            PlaceGroup {
                category: &c.id,
                label: if lang == Lang::De {
                    &c.label_de
                } else {
                    &c.label_en
                },
                sources: &c.sources,
                max_km: c.max_km,
                nearest,
                not_mapped,
            }
        })
        .collect()
}

/// The DB station category in words, as the source defines it (1 = largest hub … 7 = smallest
/// halt), e.g. "DB-Bahnhofskategorie 6 (1 = großer Knoten … 7 = kleiner Halt)".
pub fn station_category(category: u8, lang: Lang) -> String {
    match lang {
        Lang::De => {
            format!("DB-Bahnhofskategorie {category} (1 = großer Knoten … 7 = kleiner Halt)")
        }
        Lang::En => format!("DB station category {category} (1 = largest hub … 7 = smallest halt)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn atlas() -> Atlas {
        crate::synthetic::with_libraries(
            crate::synthetic::atlas(3, 1),
            &["1 0 Stadtbibliothek"],
            &[r#""0:1.5""#, "null", r#""""#],
        )
    }

    #[test]
    fn lists_names_towns_and_says_why_not() {
        let a = atlas();
        let g = &places_near(&a, 0, Lang::De)[0];
        assert_eq!(g.label, "Bibliothek");
        assert_eq!(g.nearest[0].name, "Stadtbibliothek");
        assert_eq!(g.nearest[0].town, a.municipalities[1].name);
        assert_eq!(g.gap_sentence(Lang::De), None);
        let g = &places_near(&a, 1, Lang::En)[0];
        assert!(g.nearest.is_empty() && g.not_mapped.is_some());
        assert!(
            g.gap_sentence(Lang::En)
                .unwrap()
                .starts_with("not mapped here")
        );
        let g = &places_near(&a, 2, Lang::De)[0];
        assert_eq!(
            g.gap_sentence(Lang::De).unwrap(),
            "keine im Umkreis von 25 km in den Daten"
        );
        assert!(places_near(&a, 9, Lang::En).is_empty());
        assert!(station_category(6, Lang::En).starts_with("DB station category 6 (1 = "));
    }
}
