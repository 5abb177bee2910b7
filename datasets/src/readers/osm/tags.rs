//! The tag table: which OSM elements are rows of the source, and what each counts as.

use crate::facility::Category;
use std::collections::HashSet;

/// What an element with a table row's tag counts as. Most rows map straight to a category; the
/// others need a look at further tags, each rule documented on its function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Maps {
    /// This category, unless `access=private`/`no` (see [`is_closed_to_public`]).
    To(Category),
    /// [`Category::Childcare`], unless the element is a childminder ([`is_childminder`]).
    Kindergarten,
    /// A school category from `school:de`, `school`, `isced:level` or the name
    /// ([`school_categories`]); none of them → out of scope.
    School,
    /// A single pool: [`Category::Pool`] only if `access` says it is open to the public
    /// ([`is_public`]); [`Category::IndoorPool`] as well if it is covered ([`is_indoor`]).
    PublicPool,
    /// A public bath (Spaßbad): [`Category::Pool`], plus [`Category::IndoorPool`] if covered.
    Bath,
    /// [`Category::Sport`]; plus [`Category::Pool`] (and maybe [`Category::IndoorPool`]) if
    /// `sport` lists `swimming` — that is how public baths (Schwimmhalle, Freibad) are mapped.
    SportsCentre,
    /// [`Category::RailStation`], unless `station=miniature` (park railways carry no passengers
    /// anywhere useful).
    Station,
    /// `public_transport=station`: [`Category::RailStation`] only with `train=yes`; other such
    /// stations (bus stations) are not rows at all.
    TrainStation,
    /// `leisure=garden`: [`Category::Culture`] only with `garden:type=botanical`; other gardens
    /// are not rows at all.
    BotanicalGarden,
}

/// The tag table: an element carrying `key=value` of a row is a row of the source and counts
/// as what [`Maps`] says. An element matching several rows gets the union of their categories.
/// Keep `docs/osm.md` in step with this table.
const TAG_TABLE: &[(&str, &str, Maps)] = &[
    // Kita (Krippe and Kindergarten). amenity=childcare is deliberately not a row: in German
    // tagging it mixes Krippen with Horte (after-school care) and Kindertagespflege.
    ("amenity", "kindergarten", Maps::Kindergarten),
    ("amenity", "school", Maps::School),
    ("leisure", "sports_centre", Maps::SportsCentre),
    ("leisure", "sports_hall", Maps::To(Category::Sport)),
    // Most leisure=swimming_pool objects are garden pools traced from aerial imagery, without
    // any access tag: only pools tagged as public count.
    ("leisure", "swimming_pool", Maps::PublicPool),
    // Deprecated spelling of leisure=swimming_pool, still on old objects: same rule.
    ("amenity", "swimming_pool", Maps::PublicPool),
    // Spaß- and Freizeitbäder: public baths with slides.
    ("leisure", "water_park", Maps::Bath),
    ("leisure", "playground", Maps::To(Category::Playground)),
    ("leisure", "park", Maps::To(Category::Park)),
    ("amenity", "library", Maps::To(Category::Library)),
    ("amenity", "theatre", Maps::To(Category::Culture)),
    ("amenity", "arts_centre", Maps::To(Category::Culture)),
    ("tourism", "museum", Maps::To(Category::Culture)),
    // Non-commercial galleries; art dealers are shop=art and not a row.
    ("tourism", "gallery", Maps::To(Category::Culture)),
    // Also Tierparks and wildlife parks, which Saxony has many of.
    ("tourism", "zoo", Maps::To(Category::Culture)),
    ("tourism", "aquarium", Maps::To(Category::Culture)),
    // Botanical gardens belong to Culture (see Category::Culture); other gardens are no rows.
    ("leisure", "garden", Maps::BotanicalGarden),
    ("amenity", "cinema", Maps::To(Category::Cinema)),
    ("railway", "station", Maps::Station),
    ("railway", "halt", Maps::Station),
    // Newer public-transport schema; the same element usually also has railway=station.
    ("public_transport", "station", Maps::TrainStation),
];

/// How a school's type tag (or, last, its name) names the school type. Matched against the
/// lower-cased words of the value (split at anything that is not a letter or digit), so that
/// "Fachoberschule" is not an Oberschule and "Grundschule;Oberschule" is both. "Grund- und
/// Oberschule" is read as "Grundschule und Oberschule" first.
const SCHOOL_WORDS: &[(SchoolWord, Category)] = &[
    (SchoolWord::Is("grundschule"), Category::PrimarySchool),
    // school=primary, the international value of the `school` key.
    (SchoolWord::Is("primary"), Category::PrimarySchool),
    (SchoolWord::Is("oberschule"), Category::Oberschule),
    // Saxony's name for the Oberschule until 2013; still on many objects.
    (SchoolWord::Is("mittelschule"), Category::Oberschule),
    // The secondary school a Gemeinschaftsschule replaces for a family is the Oberschule.
    (SchoolWord::Is("gemeinschaftsschule"), Category::Oberschule),
    // Real-, Haupt- and Gesamtschule are the neighbouring Länder's counterparts (the extract
    // reaches beyond the state border; the polygons decide later).
    (SchoolWord::Is("realschule"), Category::Oberschule),
    (SchoolWord::Is("hauptschule"), Category::Oberschule),
    (SchoolWord::Is("gesamtschule"), Category::Oberschule),
    // Unless a word starting with "beruf" comes right before it ("Berufliches Gymnasium",
    // grades 11–13 only): see `school_words`.
    (SchoolWord::Is("gymnasium"), Category::Gymnasium),
    (SchoolWord::Is("förderschule"), Category::SpecialSchool),
    (SchoolWord::Is("foerderschule"), Category::SpecialSchool),
    (SchoolWord::Is("förderzentrum"), Category::SpecialSchool),
    (SchoolWord::Is("sonderschule"), Category::SpecialSchool),
    // Berufsschule, Berufsfachschule, berufsbildende Schule, Berufliches Schulzentrum, …
    (SchoolWord::StartsWith("beruf"), Category::VocationalSchool),
    (SchoolWord::Is("fachoberschule"), Category::VocationalSchool),
    (SchoolWord::Is("fachschule"), Category::VocationalSchool),
    // "BSZ für Technik": Berufliches Schulzentrum, Saxony's vocational school centres.
    (SchoolWord::Is("bsz"), Category::VocationalSchool),
];

/// How a [`SCHOOL_WORDS`] row matches one word.
#[derive(Clone, Copy, Debug)]
enum SchoolWord {
    Is(&'static str),
    StartsWith(&'static str),
}

impl SchoolWord {
    fn matches(self, word: &str) -> bool {
        match self {
            SchoolWord::Is(w) => word == w,
            SchoolWord::StartsWith(p) => word.starts_with(p),
        }
    }
}

/// What the table makes of one element.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Verdict {
    /// No row matches: not a row of the source.
    Unmapped,
    /// A row, counted in these categories (sorted, distinct).
    Keep(Vec<Category>),
    /// A row that lotse does not use; the reason goes into the report's notes.
    Out(&'static str),
}

const OUT_CHILDMINDER: &str = "childminder (Kindertagespflege) tagged amenity=kindergarten";
const OUT_SCHOOL_UNTYPED: &str =
    "school whose type neither school:de, school, isced:level nor its name tells";
const OUT_POOL_NOT_PUBLIC: &str =
    "swimming pool not tagged access=yes/public/permissive (garden, hotel or club pool)";
const OUT_PRIVATE: &str = "access=private/no (not open to the public)";
const OUT_MINIATURE: &str = "miniature (park) railway station";
pub(super) const OUT_NOT_MULTIPOLYGON: &str =
    "relation that is not a multipolygon (e.g. type=site): only areas can be placed";

/// The facility categories the tag table gives an element with these tags (sorted, distinct);
/// empty for an element lotse does not use — unmapped, or mapped but out of scope (a private
/// pool, a childminder, a school of unknown type).
///
/// Why public: the table is the judgement a user has to trust, so it is callable (and tested)
/// on its own, without a PBF file; `docs/osm.md` documents it row by row.
pub fn categories_for_tags<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<Category> {
    let tags: Vec<(&str, &str)> = tags.collect();
    match classify(&tags) {
        Verdict::Keep(categories) => categories,
        Verdict::Unmapped | Verdict::Out(_) => Vec::new(),
    }
}

/// Applies every matching table row; kept categories of any row win over out-of-scope verdicts
/// of others (a public sports centre that also carries a private pool's tag is still Sport).
pub(super) fn classify(tags: &[(&str, &str)]) -> Verdict {
    let mut categories: Vec<Category> = Vec::new();
    let mut out: Option<&'static str> = None;
    for &(k, v) in tags {
        for &(key, value, maps) in TAG_TABLE {
            if k != key || v != value {
                continue;
            }
            match apply(maps, tags) {
                Verdict::Keep(c) => categories.extend(c),
                Verdict::Out(why) => out = out.or(Some(why)),
                Verdict::Unmapped => {}
            }
        }
    }
    if !categories.is_empty() {
        categories.sort();
        categories.dedup();
        Verdict::Keep(categories)
    } else if let Some(why) = out {
        Verdict::Out(why)
    } else {
        Verdict::Unmapped
    }
}

/// One row's rule (see [`Maps`]).
fn apply(maps: Maps, tags: &[(&str, &str)]) -> Verdict {
    let closed = is_closed_to_public(tags);
    match maps {
        Maps::Kindergarten if is_childminder(tags) => Verdict::Out(OUT_CHILDMINDER),
        Maps::Kindergarten => Verdict::Keep(vec![Category::Childcare]),
        Maps::School => {
            let categories = school_categories(tags);
            if categories.is_empty() {
                Verdict::Out(OUT_SCHOOL_UNTYPED)
            } else {
                Verdict::Keep(categories)
            }
        }
        Maps::TrainStation if tag(tags, "train") != Some("yes") => Verdict::Unmapped,
        Maps::BotanicalGarden if tag(tags, "garden:type") != Some("botanical") => Verdict::Unmapped,
        Maps::PublicPool if !is_public(tags) => Verdict::Out(OUT_POOL_NOT_PUBLIC),
        _ if closed => Verdict::Out(OUT_PRIVATE),
        Maps::To(category) => Verdict::Keep(vec![category]),
        Maps::PublicPool | Maps::Bath => Verdict::Keep(pool(tags)),
        Maps::SportsCentre => {
            let mut c = vec![Category::Sport];
            if list_contains(tag(tags, "sport"), "swimming") {
                c.extend(pool(tags));
            }
            Verdict::Keep(c)
        }
        Maps::Station if tag(tags, "station") == Some("miniature") => Verdict::Out(OUT_MINIATURE),
        Maps::Station | Maps::TrainStation => Verdict::Keep(vec![Category::RailStation]),
        Maps::BotanicalGarden => Verdict::Keep(vec![Category::Culture]),
    }
}

/// The value of `key`, if the element has it.
pub(super) fn tag<'a>(tags: &[(&str, &'a str)], key: &str) -> Option<&'a str> {
    tags.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// Whether a `;`-separated OSM value list (`sport=swimming;diving`) contains `item`.
fn list_contains(value: Option<&str>, item: &str) -> bool {
    value.is_some_and(|v| v.split(';').any(|s| s.trim() == item))
}

/// `access=private` or `access=no`: a playground in a housing estate's courtyard, a company
/// gym. Why not for Kitas and schools: there `access` describes the grounds, not who may enrol.
fn is_closed_to_public(tags: &[(&str, &str)]) -> bool {
    matches!(tag(tags, "access"), Some("private" | "no"))
}

/// A pool counts only if it says it is open: `access=yes`, `public` or `permissive`. Why not
/// `customers`: hotel, sauna and fitness-club pools are tagged so; public baths are found by
/// their `leisure=sports_centre` + `sport=swimming` complex instead.
fn is_public(tags: &[(&str, &str)]) -> bool {
    matches!(tag(tags, "access"), Some("yes" | "public" | "permissive"))
}

/// [`Category::Pool`], plus [`Category::IndoorPool`] if the pool is usable all year.
fn pool(tags: &[(&str, &str)]) -> Vec<Category> {
    if is_indoor(tags) {
        vec![Category::Pool, Category::IndoorPool]
    } else {
        vec![Category::Pool]
    }
}

/// A covered pool: `indoor=yes`, `covered=yes`, a `building` tag on the element itself (a
/// Schwimmhalle mapped as its building), or a name saying "Hallenbad"/"Schwimmhalle"/"Hallen-
/// und Freibad" (the usual names, often the only hint on a node).
fn is_indoor(tags: &[(&str, &str)]) -> bool {
    if tag(tags, "indoor") == Some("yes") || tag(tags, "covered") == Some("yes") {
        return true;
    }
    if tag(tags, "building").is_some_and(|b| b != "no") {
        return true;
    }
    tag(tags, "name").is_some_and(|n| {
        let n = n.to_lowercase();
        n.contains("hallenbad") || n.contains("schwimmhalle") || n.contains("hallen- und")
    })
}

/// A childminder (Kindertagespflege: a person caring for up to five children at home) mapped
/// as `amenity=kindergarten`. Why excluded: [`Category::Childcare`] measures the distance to a
/// Kindertageseinrichtung, and childminders' places are neither stable nor public. Recognised
/// by `childcare`, `childcare:type`, `kindergarten:type` or `kindergarten` saying childminder /
/// Tagespflege / Tagesmutter / Tagesvater, or by such a name ("Kindertagespflege Sonnenschein").
fn is_childminder(tags: &[(&str, &str)]) -> bool {
    const WORDS: [&str; 5] = [
        "childminder",
        "tagespflege",
        "tagesmutter",
        "tagesvater",
        "tageseltern",
    ];
    [
        "childcare",
        "childcare:type",
        "kindergarten:type",
        "kindergarten",
        "name",
    ]
    .iter()
    .filter_map(|k| tag(tags, k))
    .any(|v| {
        let v = v.to_lowercase();
        WORDS.iter().any(|w| v.contains(w))
    })
}

/// The categories of a school: from the first of `school:de`, `school`, `isced:level` and
/// `name` that names any. Why this order: `school:de` is the German type in the mappers' own
/// words; `school` is sometimes used the same way; `isced:level` only gives levels; the name
/// ("34. Grundschule Dresden") is right almost always but is not a tag meant for it.
///
/// `isced:level` (values like `1`, `2;3`, `1-3`), honestly approximate for Saxony: 1 →
/// Grundschule; 2 without 3 → Oberschule (grades 5–10); 2 and 3 → Gymnasium (a general school
/// teaching to the Abitur); 3 alone is ambiguous (berufliches Gymnasium, Fachoberschule,
/// Berufsschule) and gives nothing; 0 and 4+ give nothing.
fn school_categories(tags: &[(&str, &str)]) -> Vec<Category> {
    for key in ["school:de", "school"] {
        let c = tag(tags, key).map(school_words).unwrap_or_default();
        if !c.is_empty() {
            return c;
        }
    }
    let c = tag(tags, "isced:level")
        .map(isced_categories)
        .unwrap_or_default();
    if !c.is_empty() {
        return c;
    }
    tag(tags, "name").map(school_words).unwrap_or_default()
}

/// The categories the words of a school type (or name) name, per [`SCHOOL_WORDS`].
fn school_words(text: &str) -> Vec<Category> {
    let text = text.to_lowercase().replace("grund- und", "grundschule und");
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    for (i, word) in words.iter().enumerate() {
        for &(pattern, category) in SCHOOL_WORDS {
            if !pattern.matches(word) {
                continue;
            }
            let vocational_gymnasium =
                category == Category::Gymnasium && i > 0 && words[i - 1].starts_with("beruf");
            if !vocational_gymnasium {
                out.push(category);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The categories of an `isced:level` value (see [`school_categories`]).
fn isced_categories(value: &str) -> Vec<Category> {
    let mut levels = HashSet::new();
    for part in value.split([';', ',']) {
        let part = part.trim();
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a.trim().parse::<u8>(), b.trim().parse::<u8>()),
            None => (part.parse::<u8>(), part.parse::<u8>()),
        };
        if let (Ok(a), Ok(b)) = (a, b)
            && a <= b
            && b <= 8
        {
            levels.extend(a..=b);
        }
    }
    let mut out = Vec::new();
    if levels.contains(&1) {
        out.push(Category::PrimarySchool);
    }
    match (levels.contains(&2), levels.contains(&3)) {
        (true, true) => out.push(Category::Gymnasium),
        (true, false) => out.push(Category::Oberschule),
        _ => {}
    }
    out
}

/// Whether a tag can start a table row: a cheap test run on every one of the file's elements
/// before their tags are collected.
pub(super) fn is_row_key(key: &str) -> bool {
    TAG_TABLE.iter().any(|(k, _, _)| *k == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cats(tags: &[(&str, &str)]) -> Vec<Category> {
        categories_for_tags(tags.iter().copied())
    }

    fn verdict(tags: &[(&str, &str)]) -> Verdict {
        classify(tags)
    }

    #[test]
    fn simple_rows() {
        use Category::*;
        assert_eq!(cats(&[("leisure", "playground")]), vec![Playground]);
        assert_eq!(cats(&[("leisure", "park")]), vec![Park]);
        assert_eq!(cats(&[("amenity", "library")]), vec![Library]);
        assert_eq!(cats(&[("amenity", "cinema")]), vec![Cinema]);
        for (k, v) in [
            ("amenity", "theatre"),
            ("amenity", "arts_centre"),
            ("tourism", "museum"),
            ("tourism", "gallery"),
            ("tourism", "zoo"),
            ("tourism", "aquarium"),
        ] {
            assert_eq!(cats(&[(k, v)]), vec![Culture], "{k}={v}");
        }
        assert_eq!(cats(&[("leisure", "sports_hall")]), vec![Sport]);
        assert_eq!(cats(&[("leisure", "sports_centre")]), vec![Sport]);
        assert_eq!(verdict(&[("shop", "bakery")]), Verdict::Unmapped);
        assert_eq!(verdict(&[]), Verdict::Unmapped);
    }

    #[test]
    fn childcare_but_not_childminders() {
        assert_eq!(
            cats(&[("amenity", "kindergarten")]),
            vec![Category::Childcare]
        );
        // Kitas' grounds are often access=private; that does not make the Kita private.
        assert_eq!(
            cats(&[("amenity", "kindergarten"), ("access", "private")]),
            vec![Category::Childcare]
        );
        for tags in [
            [
                ("amenity", "kindergarten"),
                ("kindergarten:type", "childminder"),
            ],
            [("amenity", "kindergarten"), ("childcare", "Tagespflege")],
            [
                ("amenity", "kindergarten"),
                ("name", "Kindertagespflege Wirbelwind"),
            ],
            [("amenity", "kindergarten"), ("name", "Tagesmutter Anja")],
        ] {
            assert_eq!(verdict(&tags), Verdict::Out(OUT_CHILDMINDER), "{tags:?}");
        }
        assert_eq!(verdict(&[("amenity", "childcare")]), Verdict::Unmapped);
    }

    #[test]
    fn schools_by_type_tag() {
        use Category::*;
        let school = |k: &'static str, v: &'static str| cats(&[("amenity", "school"), (k, v)]);
        assert_eq!(school("school:de", "Grundschule"), vec![PrimarySchool]);
        assert_eq!(school("school:de", "Oberschule"), vec![Oberschule]);
        assert_eq!(school("school:de", "Mittelschule"), vec![Oberschule]);
        assert_eq!(school("school:de", "Gemeinschaftsschule"), vec![Oberschule]);
        assert_eq!(school("school:de", "Realschule"), vec![Oberschule]);
        assert_eq!(school("school:de", "Gymnasium"), vec![Gymnasium]);
        assert_eq!(school("school:de", "Förderschule"), vec![SpecialSchool]);
        assert_eq!(school("school:de", "Berufsschule"), vec![VocationalSchool]);
        assert_eq!(
            school("school:de", "Berufsbildende Schule"),
            vec![VocationalSchool]
        );
        assert_eq!(
            school("school:de", "Berufliches Gymnasium"),
            vec![VocationalSchool]
        );
        assert_eq!(
            school("school:de", "Fachoberschule"),
            vec![VocationalSchool]
        );
        assert_eq!(
            school("school:de", "Grund- und Oberschule"),
            vec![PrimarySchool, Oberschule]
        );
        assert_eq!(
            school("school:de", "Grundschule;Oberschule"),
            vec![PrimarySchool, Oberschule]
        );
        assert_eq!(school("school", "primary"), vec![PrimarySchool]);
        assert_eq!(school("school", "Gymnasium"), vec![Gymnasium]);
        // school:de wins over isced:level.
        assert_eq!(
            cats(&[
                ("amenity", "school"),
                ("school:de", "Gymnasium"),
                ("isced:level", "1")
            ]),
            vec![Gymnasium]
        );
    }

    #[test]
    fn schools_by_isced_level_and_name() {
        use Category::*;
        let isced = |v: &'static str| cats(&[("amenity", "school"), ("isced:level", v)]);
        assert_eq!(isced("1"), vec![PrimarySchool]);
        assert_eq!(isced("2"), vec![Oberschule]);
        assert_eq!(isced("2;3"), vec![Gymnasium]);
        assert_eq!(isced("2-3"), vec![Gymnasium]);
        assert_eq!(isced("1;2"), vec![PrimarySchool, Oberschule]);
        assert_eq!(isced("1-3"), vec![PrimarySchool, Gymnasium]);
        assert_eq!(isced("3"), Vec::<Category>::new());
        assert_eq!(isced("0"), Vec::<Category>::new());
        assert_eq!(isced("rubbish"), Vec::<Category>::new());
        assert_eq!(
            cats(&[("amenity", "school"), ("name", "34. Grundschule Dresden")]),
            vec![PrimarySchool]
        );
        assert_eq!(
            cats(&[("amenity", "school"), ("name", "BSZ für Technik Dresden")]),
            vec![VocationalSchool]
        );
        // Unrecognised school:de falls through to isced:level.
        assert_eq!(
            cats(&[
                ("amenity", "school"),
                ("school:de", "Freie Waldorfschule"),
                ("isced:level", "1")
            ]),
            vec![PrimarySchool]
        );
        assert_eq!(
            verdict(&[("amenity", "school"), ("name", "Freie Schule Elbmarsch")]),
            Verdict::Out(OUT_SCHOOL_UNTYPED)
        );
    }

    #[test]
    fn pools() {
        use Category::*;
        assert_eq!(
            verdict(&[("leisure", "swimming_pool")]),
            Verdict::Out(OUT_POOL_NOT_PUBLIC)
        );
        assert_eq!(
            verdict(&[("leisure", "swimming_pool"), ("access", "private")]),
            Verdict::Out(OUT_POOL_NOT_PUBLIC)
        );
        assert_eq!(
            verdict(&[("leisure", "swimming_pool"), ("access", "customers")]),
            Verdict::Out(OUT_POOL_NOT_PUBLIC)
        );
        assert_eq!(
            cats(&[("leisure", "swimming_pool"), ("access", "yes")]),
            vec![Pool]
        );
        assert_eq!(
            cats(&[
                ("leisure", "swimming_pool"),
                ("access", "public"),
                ("indoor", "yes")
            ]),
            vec![Pool, IndoorPool]
        );
        assert_eq!(
            cats(&[
                ("amenity", "swimming_pool"),
                ("access", "yes"),
                ("covered", "yes")
            ]),
            vec![Pool, IndoorPool]
        );
        assert_eq!(
            cats(&[("leisure", "sports_centre"), ("sport", "swimming")]),
            vec![Pool, Sport]
        );
        assert_eq!(
            cats(&[
                ("leisure", "sports_centre"),
                ("sport", "fitness;swimming"),
                ("building", "yes")
            ]),
            vec![Pool, IndoorPool, Sport]
        );
        assert_eq!(
            cats(&[
                ("leisure", "sports_centre"),
                ("sport", "swimming"),
                ("name", "Schwimmhalle Nord")
            ]),
            vec![Pool, IndoorPool, Sport]
        );
        assert_eq!(cats(&[("leisure", "water_park")]), vec![Pool]);
        assert_eq!(
            cats(&[("leisure", "water_park"), ("building", "yes")]),
            vec![Pool, IndoorPool]
        );
    }

    #[test]
    fn access_private_stations_and_gardens() {
        use Category::*;
        assert_eq!(
            verdict(&[("leisure", "playground"), ("access", "private")]),
            Verdict::Out(OUT_PRIVATE)
        );
        assert_eq!(
            verdict(&[("leisure", "sports_centre"), ("access", "no")]),
            Verdict::Out(OUT_PRIVATE)
        );
        assert_eq!(cats(&[("railway", "station")]), vec![RailStation]);
        assert_eq!(cats(&[("railway", "halt")]), vec![RailStation]);
        assert_eq!(
            verdict(&[("railway", "station"), ("station", "miniature")]),
            Verdict::Out(OUT_MINIATURE)
        );
        assert_eq!(
            cats(&[
                ("public_transport", "station"),
                ("train", "yes"),
                ("railway", "station")
            ]),
            vec![RailStation]
        );
        assert_eq!(
            verdict(&[("public_transport", "station"), ("bus", "yes")]),
            Verdict::Unmapped
        );
        assert_eq!(
            cats(&[("leisure", "garden"), ("garden:type", "botanical")]),
            vec![Culture]
        );
        assert_eq!(verdict(&[("leisure", "garden")]), Verdict::Unmapped);
        // One element, two rows: the union.
        assert_eq!(
            cats(&[("amenity", "library"), ("tourism", "museum")]),
            vec![Library, Culture]
        );
    }
}
