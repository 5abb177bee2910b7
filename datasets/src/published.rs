//! The published columns lotse takes from the Deutschlandatlas tables: for each, the column code
//! the reader reads and the atlas id, labels and unit the indicator gets. One list serves both
//! stages, so a column cannot be read without becoming an indicator, or the other way round.

/// One published column.
pub struct Published {
    /// The column code in the published table (and its dictionary).
    pub column: &'static str,
    /// The atlas indicator id.
    pub id: &'static str,
    pub de: &'static str,
    pub en: &'static str,
    pub unit: &'static str,
}

impl Published {
    /// The column codes of a table's list, as the reader asks for them.
    pub fn codes(table: &[Published]) -> Vec<&'static str> {
        table.iter().map(|c| c.column).collect()
    }
}

/// Municipality table `GEM1222` (keyed by the AGS of 2022).
pub const GEM1222: &[Published] = &[
    Published {
        column: "p_grunds",
        id: "car_min_primary_school",
        de: "Pkw-Fahrzeit zur nächsten Grundschule",
        en: "car time to the nearest primary school",
        unit: "min",
    },
    Published {
        column: "p_sek_1",
        id: "car_min_secondary_1",
        de: "Pkw-Fahrzeit zur nächsten Schule der Sekundarstufe I",
        en: "car time to the nearest lower-secondary school",
        unit: "min",
    },
    Published {
        column: "p_sek_2",
        id: "car_min_secondary_2",
        de: "Pkw-Fahrzeit zur nächsten Schule mit Sekundarstufe II",
        en: "car time to the nearest upper-secondary school",
        unit: "min",
    },
    Published {
        column: "p_markt",
        id: "car_min_supermarket",
        de: "Pkw-Fahrzeit zum nächsten Supermarkt",
        en: "car time to the nearest supermarket",
        unit: "min",
    },
    Published {
        column: "p_notfall",
        id: "car_min_emergency",
        de: "Pkw-Fahrzeit zur nächsten Notaufnahme",
        en: "car time to the nearest emergency room",
        unit: "min",
    },
    Published {
        column: "p_hbad",
        id: "car_min_indoor_pool",
        de: "Pkw-Fahrzeit zum nächsten Hallenbad",
        en: "car time to the nearest indoor pool",
        unit: "min",
    },
    Published {
        column: "p_freibad",
        id: "car_min_outdoor_pool",
        de: "Pkw-Fahrzeit zum nächsten Frei- oder Naturbad",
        en: "car time to the nearest outdoor pool",
        unit: "min",
    },
];
/// Municipality table `GEM1221`.
pub const GEM1221: &[Published] = &[Published {
    column: "p_harzt",
    id: "car_min_gp",
    de: "Pkw-Fahrzeit zur nächsten Hausarztpraxis",
    en: "car time to the nearest GP",
    unit: "min",
}];
/// Municipality table `GEM1220`.
pub const GEM1220: &[Published] = &[Published {
    column: "p_apo",
    id: "car_min_pharmacy",
    de: "Pkw-Fahrzeit zur nächsten Apotheke",
    en: "car time to the nearest pharmacy",
    unit: "min",
}];
/// Association table `VBG1222` (keyed by ARS[0:9]).
pub const VBG1222: &[Published] = &[Published {
    column: "pendel",
    id: "commute_distance_km",
    de: "Durchschnittliche Pendeldistanz",
    en: "average commuting distance of employees living here",
    unit: "km",
}];
/// Association table `VBG1219`.
pub const VBG1219: &[Published] = &[
    Published {
        column: "oenv",
        id: "transit_access_pct",
        de: "Bevölkerung nahe einer Haltestelle mit ≥ 20 Abfahrten am Tag",
        en: "residents near a stop with at least 20 departures a day",
        unit: "%",
    },
    Published {
        column: "p_ozmz_miv",
        id: "car_min_central_place",
        de: "Pkw-Fahrzeit zum nächsten Ober- oder Mittelzentrum",
        en: "car time to the nearest middle-order or regional centre",
        unit: "min",
    },
    Published {
        column: "p_ozmz_oev",
        id: "transit_min_central_place",
        de: "ÖV-Reisezeit zum nächsten Ober- oder Mittelzentrum",
        en: "public-transport time to the nearest middle-order or regional centre",
        unit: "min",
    },
];
/// District table `KRS1222`.
pub const KRS1222: &[Published] = &[
    Published {
        column: "kbetr_u3",
        id: "childcare_rate_u3_pct",
        de: "Betreuungsquote unter 3 Jahren",
        en: "childcare rate, children under 3",
        unit: "%",
    },
    Published {
        column: "kbetr_ue3",
        id: "childcare_rate_3to5_pct",
        de: "Betreuungsquote 3 bis unter 6 Jahre",
        en: "childcare rate, children aged 3–5",
        unit: "%",
    },
    Published {
        column: "kbetr_ue6",
        id: "childcare_rate_6to10_pct",
        de: "Betreuungsquote 6 bis unter 11 Jahre",
        en: "childcare rate, children aged 6–10",
        unit: "%",
    },
    Published {
        column: "v_karzt",
        id: "paediatricians_per_100k_u15",
        de: "Kinderärzte je 100.000 Kinder unter 15",
        en: "paediatricians per 100,000 children under 15",
        unit: "per 100000 children",
    },
    Published {
        column: "ew_sportv",
        id: "sports_clubs_per_100k",
        de: "Sportvereine je 100.000 Einwohner",
        en: "sports clubs per 100,000 residents",
        unit: "per 100000 residents",
    },
    Published {
        column: "mitgl_sportv",
        id: "sports_club_members_per_100",
        de: "Mitglieder in Sportvereinen je 100 Einwohner",
        en: "sports club members per 100 residents",
        unit: "per 100 residents",
    },
    Published {
        column: "schule_oabschl",
        id: "school_leavers_no_qualification_pct",
        de: "Schulabgänger ohne Hauptschulabschluss",
        en: "school leavers without a qualification",
        unit: "%",
    },
];

/// District table `KRS1221`.
pub const KRS1221: &[Published] = &[
    Published {
        column: "hh_veink",
        id: "household_income_per_capita_keur",
        de: "Verfügbares Einkommen je Einwohner",
        en: "disposable household income per resident",
        unit: "1000 EUR/year",
    },
    Published {
        column: "kbtr_pers",
        id: "kita_places_per_staff",
        de: "Kita-Plätze je pädagogisch tätiger Person",
        en: "Kita places per pedagogical staff member",
        unit: "places/person",
    },
];
