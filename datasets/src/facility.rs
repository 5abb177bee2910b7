//! Facility points: every Kita, school, pool, library, … that a reader found, in one shape, so
//! that indexing and the distance indicators do not care which file or format a point came from.

use crate::report::Reject;
use serde::{Deserialize, Serialize};

/// What a facility is, for a family. A facility that serves two purposes (a school with a
/// Grundschule and an Oberschule, an indoor pool) appears once per category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Kindertageseinrichtung (Krippe, Kindergarten); not Kindertagespflege (childminders).
    Childcare,
    /// Grundschule (ages 6–10).
    PrimarySchool,
    /// Oberschule (secondary, grades 5–10); also Gemeinschaftsschule.
    Oberschule,
    /// Gymnasium (secondary, to the Abitur).
    Gymnasium,
    /// Förderschule.
    SpecialSchool,
    /// Berufsbildende Schule.
    VocationalSchool,
    /// Any public swimming pool (indoor, outdoor, combined).
    Pool,
    /// Pool usable all year (indoor or combined).
    IndoorPool,
    /// Public library.
    Library,
    /// Museum, theatre, gallery, zoo, botanical garden and the like.
    Culture,
    Cinema,
    Playground,
    Park,
    /// Sports centre or hall.
    Sport,
    /// Railway station or halt with passenger service.
    RailStation,
}

impl Category {
    pub const ALL: [Category; 15] = [
        Category::Childcare,
        Category::PrimarySchool,
        Category::Oberschule,
        Category::Gymnasium,
        Category::SpecialSchool,
        Category::VocationalSchool,
        Category::Pool,
        Category::IndoorPool,
        Category::Library,
        Category::Culture,
        Category::Cinema,
        Category::Playground,
        Category::Park,
        Category::Sport,
        Category::RailStation,
    ];

    /// Stable snake_case id, used in indicator ids (`<id>_distance_km`).
    pub fn id(self) -> &'static str {
        match self {
            Category::Childcare => "childcare",
            Category::PrimarySchool => "primary_school",
            Category::Oberschule => "oberschule",
            Category::Gymnasium => "gymnasium",
            Category::SpecialSchool => "special_school",
            Category::VocationalSchool => "vocational_school",
            Category::Pool => "pool",
            Category::IndoorPool => "indoor_pool",
            Category::Library => "library",
            Category::Culture => "culture",
            Category::Cinema => "cinema",
            Category::Playground => "playground",
            Category::Park => "park",
            Category::Sport => "sport",
            Category::RailStation => "rail_station",
        }
    }

    /// (German, English) label.
    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            Category::Childcare => ("Kita", "childcare (Kita)"),
            Category::PrimarySchool => ("Grundschule", "primary school"),
            Category::Oberschule => ("Oberschule", "Oberschule (secondary school)"),
            Category::Gymnasium => ("Gymnasium", "Gymnasium (academic secondary school)"),
            Category::SpecialSchool => ("Förderschule", "special-needs school"),
            Category::VocationalSchool => ("Berufsschule", "vocational school"),
            Category::Pool => ("Schwimmbad", "swimming pool"),
            Category::IndoorPool => ("Hallenbad", "indoor pool"),
            Category::Library => ("Bibliothek", "library"),
            Category::Culture => (
                "Kultur (Museum, Theater, Zoo)",
                "culture (museum, theatre, zoo)",
            ),
            Category::Cinema => ("Kino", "cinema"),
            Category::Playground => ("Spielplatz", "playground"),
            Category::Park => ("Park", "park"),
            Category::Sport => ("Sportstätte", "sports facility"),
            Category::RailStation => ("Bahnhof", "railway station"),
        }
    }

    /// Children-related categories weight distances by where children live, not all residents.
    pub fn weights_by_children(self) -> bool {
        matches!(
            self,
            Category::Childcare
                | Category::PrimarySchool
                | Category::Oberschule
                | Category::Gymnasium
                | Category::SpecialSchool
                | Category::Playground
        )
    }
}

/// One facility location.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacilityPoint {
    pub category: Category,
    /// WGS84 longitude and latitude in degrees.
    pub lon: f64,
    pub lat: f64,
    /// Name as the source writes it, if any (used for de-duplication and display).
    pub name: Option<String>,
    /// Id of the source (manifest entry) the point came from.
    pub source: String,
    /// The municipality the source itself claims (AGS), if it says; assignment uses the
    /// polygons, this is only for the report's cross-check.
    pub ags_hint: Option<String>,
    /// Places (Kita) or pupils (school), where the source gives them.
    pub capacity: Option<f64>,
    /// DB station category 1–7 of a railway station run by DB Station&Service (shown with the
    /// named station; no indicator rests on it).
    pub station_category: Option<u8>,
}

/// Checks a WGS84 coordinate: finite, in range, and not the (0, 0) that broken geocoders emit.
/// Whether it lies inside the region is decided later, by the municipality polygons.
pub fn check_lonlat(lon: f64, lat: f64) -> Result<(), Reject> {
    if !lon.is_finite()
        || !lat.is_finite()
        || !(-180.0..=180.0).contains(&lon)
        || !(-90.0..=90.0).contains(&lat)
        || (lon == 0.0 && lat == 0.0)
    {
        Err(Reject::BadCoordinate)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates() {
        assert!(check_lonlat(13.7, 51.05).is_ok());
        assert_eq!(check_lonlat(0.0, 0.0), Err(Reject::BadCoordinate));
        assert_eq!(check_lonlat(f64::NAN, 51.0), Err(Reject::BadCoordinate));
        assert_eq!(check_lonlat(200.0, 51.0), Err(Reject::BadCoordinate));
        assert_eq!(check_lonlat(13.0, -91.0), Err(Reject::BadCoordinate));
    }

    #[test]
    fn category_ids_are_unique() {
        let mut ids: Vec<_> = Category::ALL.iter().map(|c| c.id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), Category::ALL.len());
    }
}
