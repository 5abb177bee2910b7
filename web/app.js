// lotse web page: one household profile in, a ranked, explained and mapped answer out.
// Plain ES module, no framework, no external resources (the server's CSP forbids them anyway).
// Everything the page shows comes from the JSON API under /api/v1; all UI text is in I18N.

'use strict';

// ------------------------------------------------------------------------------------------
// Texts
// ------------------------------------------------------------------------------------------

const I18N = {
  en: {
    skip: 'Skip to the results',
    skipCompare: 'Skip to Compare',
    tagline: 'Where should we live in Saxony? A ranking of all 418 municipalities for your household – with reasons and sources.',
    formHeading: 'Your household',
    formIntro: 'Tell us who is moving and what matters. Every field has a sensible default: you can press “Rank” right away.',
    adults: 'Adults',
    children: 'Children (age in years)',
    childAge: 'Age of child {n}',
    removeChild: 'Remove child {n}',
    remove: 'Remove',
    addChild: '+ Add a child',
    noChildren: 'No children.',
    rentBudget: 'Rent budget (€ per month)',
    rentBudgetHint: 'Cold rent (Kaltmiete): without heating and service charges. Warm rent (Warmmiete): with them; lotse adds the German average of these costs per m² to the estimated cold rent. Leave empty to ignore rent.',
    rentBasis: 'The budget is for',
    rentBasisCold: 'cold rent',
    rentBasisWarm: 'warm rent',
    workplace: 'Workplace (town in Saxony)',
    workplacePlaceholder: 'e.g. Dresden – start typing',
    workplaceHint: 'Optional. Used to estimate the commute.',
    car: 'Do you have a car?',
    yes: 'Yes',
    no: 'No',
    weightsHeading: 'What matters to you?',
    weightsHint: '0 = not at all, 5 = essential: set a criterion to 5 yourself and a town scoring very low on it is left out (the preset 5s leave nobody out). Criteria for children switch on by their ages.',
    resetWeights: 'Reset to defaults',
    moreOptions: 'More options',
    income: 'Household net income (€ per month)',
    livingSpace: 'Living space needed (m²)',
    livingSpaceHint: 'Empty: 45 m² for the first person and 15 m² for each further person.',
    maxCommute: 'Longest acceptable commute (km, one way)',
    maxCommuteMin: 'Longest acceptable commute (minutes, one way)',
    maxCommuteMinHint: 'Empty: {m} minutes, where the commute stops counting; towns beyond it are left out.',
    townSize: 'Preferred size of place',
    townSizeAny: 'no preference',
    townSizeVillage: 'village (under 5,000 residents)',
    townSizeSmall: 'small town (5,000–20,000)',
    townSizeTown: 'town (20,000–100,000)',
    townSizeCity: 'city (100,000 and more)',
    rentMust: 'Leave out towns where the flat would cost more than my budget',
    aggregation: 'How strengths and weaknesses combine',
    aggArithmetic: 'a strength can make up for a weakness',
    aggGeometric: 'a weakness counts heavily (geometric mean)',
    rank: 'Rank',
    ranking: 'Ranking…',
    resultsHeading: 'Results',
    resultsEmpty: 'Fill in your household on the left (or keep the defaults) and press “Rank”.',
    showMore: 'Show 20 more',
    mapTitle: 'Map of Saxony: municipalities coloured by score',
    mapAria: 'Map of the 418 municipalities of Saxony, coloured by score. Click a municipality for its details; by keyboard, the ranked list and the lists of towns left out or without a rank below it open the same details.',
    compareHeading: 'Compare',
    compare: 'Compare',
    compareN: 'Compare ({n})',
    comparePick: '{n} picked – pick 2 to 6 towns',
    clear: 'Clear',
    accessibilityLink: 'Accessibility statement (what was tested, what does not work yet)',
    footerAbout: 'lotse combines open data. Figures are estimates where marked; a gap stays a gap, with its reason. Always check rents and places with the town before you move.',
    dataCredits: 'Data:',
    unconfirmed: 'Reuse terms not confirmed by the publisher for: {list}.',
    weight0: 'not important', weight1: 'a little', weight2: 'somewhat', weight3: 'important', weight4: 'very important', weight5: 'essential',
    offChildUnder: 'only used with a child under {n} – move the slider to use it anyway',
    offChildAged: 'only used with a child aged {lo}–{hi} – move the slider to use it anyway',
    // Keyed by the code of the criterion's switch-on rule in /api/v1/criteria.
    off_affordability_needs_money: 'only used with a rent budget or an income',
    off_commute_needs_workplace: 'only used with a workplace',
    off_town_size_needs_preference: 'only used with a preferred size of place (More options)',
    summary: '{ranked} of {total} municipalities ranked for {persons} ({space} m² flat{work}).',
    summaryWork: ', workplace {w}',
    persons1: '1 person', personsN: '{n} persons',
    excludedN: '{n} left out because they miss a limit (yours or the commute limit) or a floor of what you call essential.',
    unrankedN: '{n} without a rank: too little data on what matters to you.',
    criteriaUsed: 'What the score is made of',
    criteriaUsedHint: 'Share of the score each criterion carries, from your weights.',
    score: 'score',
    scoreOf: 'Score {s} of 100',
    rankN: 'Rank {n}',
    details: 'Details',
    why: 'Why this score?',
    strong: 'Strong: {list}',
    plainSwitch: 'Easy read',
    plainNote: 'This is the easy-read view. People who need easy read have not checked this text yet.',
    plainHeading: 'Your best places',
    plainIntro1: 'We compared all towns in Saxony.',
    plainIntro2: 'We looked at what you told us.',
    plainLimit1: 'The way to work may take up to {m} minutes.',
    plainLimit2: 'We do not show towns with a longer way to work.',
    plainNone: 'No town fits everything you told us. Please change your details.',
    plainGroup: 'The places from rank {a} to rank {b} are about equally good.',
    plainPlace: 'Rank {rank}: {name}',
    plainDistrict: '{name} is in {district}.',
    plainStrong: 'Very good there: {list}.',
    plainWeak: 'Not so good there: {list}.',
    plainRent: 'The cold rent for your flat is about {eur} euros a month.',
    plainRentWhat: 'Cold rent means: without heating and other costs.',
    plainMore: 'More about {name}',
    weak: 'Weaker: {list}',
    exampleNote: 'Example for the preset household – change the form and press “Rank”.',
    whyLoading: 'Loading the reasons…',
    points: '{p} pts',
    pointsTitle: 'Contributes {p} of the {s} points (weight {w}, utility {u} of 100)',
    dropped: 'no data here – its weight went to the other criteria',
    robust: 'Usually rank {lo}–{hi}. With your weights shifted a little: {p} times out of 100 in the top {k}',
    robustOne: 'Rank {lo} even with your weights shifted a little; {p} times out of 100 in the top {k}',
    robustTitle: 'We ranked again {draws} times: each of your weights moved by up to one step (never below half of it), commute times by up to ±{c} % and rents by up to ±{r} %, as these estimates can be off. In 9 of 10 of these rankings the town came {lo}–{hi}.',
    group: 'Group {g}: {n} places about equally good – their order could easily change',
    groupOne: 'Group {g}',
    groupTitle: 'Their rank ranges overlap: small changes to your weights or to the estimates reorder them. Read them as equally good, not as a strict order.',
    pareto: 'No town is better on everything',
    paretoTitle: 'No other ranked town is at least as good on every criterion and better on one.',
    dominated: '{name} (#{rank}) is at least as good on everything',
    dominatedTitle: 'That town is at least as good on every criterion you care about and better on one.',
    coverage: 'Score rests on {p} % of your weights',
    coverageTitle: 'Criteria without data here: their weight was shared among the others.',
    estimate: 'estimate',
    source: 'Source',
    sources: 'Sources',
    sourceOf: 'Source: {s}',
    refDate: 'as of {d}',
    method: 'Method: {m}',
    compareSelect: 'Compare {name}',
    excludedHeading: 'Left out ({n}), nearest misses first',
    excludedWhy: '{name}: {reason}',
    unrankedHeading: 'Not ranked ({n})',
    unrankedWhy: '{name}: only {p} % of your weights have data here',
    limit_max_commute_km: 'commute {v} km, more than your {t} km (by {b} km)',
    limit_max_commute_min: 'commute to {w} about {v} min (estimated), beyond the limit of {t} min (by {b} min)',
    limit_essential: '{c} only {v} of 100, below the floor of {t} for what you call essential',
    commuteLimit: 'Commute limit in force: {m} min one way ({by}); towns beyond it are left out.',
    commuteLimitDefault: 'default, where the commute stops counting',
    commuteLimitHousehold: 'your choice',
    raiseCommuteLimit: 'Raise to {m} min (brings in {name})',
    limit_rent_within_budget: 'rent about {v} €, above your budget of {t} € (by {b} €)',
    limit_max_rent_share_pct: 'rent would be {v} % of your income, above {t} %',
    limit_within_km: 'nearest {f} {v} km away, more than {t} km',
    limit_min_population: '{v} residents, fewer than {t}',
    limit_max_population: '{v} residents, more than {t}',
    legendLow: 'lower score',
    legendHigh: 'higher score',
    legendUnranked: 'not ranked (too little data)',
    legendExcluded: 'left out (misses a limit)',
    legendWork: 'workplace',
    legendNoData: 'press “Rank” to colour the map',
    mapSource: 'Boundaries: {a}',
    detailRank: 'Rank {rank} of {total} · score {score}',
    detailExcluded: 'Left out: {reason}',
    detailUnranked: 'Not ranked: too little data on what matters to you',
    detailReasons: 'Why this score',
    help: 'Who helps newcomers here',
    helpHint: 'People and offices that advise newcomers in this district (Landkreis or city).',
    helpStatewide: 'For all of Saxony',
    printHelp: 'Who helps newcomers in the districts of these towns',
    printReading: 'How the figures are estimated, and what they are compared with',
    printPlaces: 'Kitas and schools nearest where people live in these towns (straight line)',
    printNotMapped: 'not mapped here in the data',
    notMappedHead: 'Not mapped here',
    notMappedOthers: '{what}: the data covers only some towns (the figures below say which)',
    addressTitle: 'The address as the source records it (some as of the office opening): check it before you go.',
    inferred: 'inferred, not verified',
    inferredTitle: 'The source marks this entry as inferred: check before you go.',
    noHelp: 'The data holds no district contact for this place.',
    places: 'Kitas, schools and more nearby',
    placesHint: 'The nearest by name, measured in a straight line from where the people of {name} live on average; the way by road is about a third longer.',
    placesNone: 'The data names no places for this town.',
    placesSources: 'Sources of these places',
    station: 'Railway station',
    notMapped: 'not mapped here – {why}',
    noneInReach: 'none within {km} km in the data',
    website: 'website',
    figures: 'All {n} figures for {name}',
    figuresHint: 'Hover over or tap a figure for its source, date and method; numbers in brackets point to the sources below.',
    missing: 'no figure',
    districtFigure: 'district figure',
    associationFigure: 'figure of the municipal association',
    indicator: 'Indicator',
    value: 'Value',
    population: 'residents',
    oberzentrum: 'Oberzentrum (regional centre)',
    mittelzentrum: 'Mittelzentrum (middle-order centre)',
    close: 'Close',
    compareIntro: 'Side by side for your household: the figure, how good it is for you (0–100) and why. Green: the best of these towns.',
    criterion: 'Criterion',
    status: 'Rank',
    statusRanked: '#{rank} · {score}',
    statusExcluded: 'left out',
    statusUnranked: 'not ranked',
    context: 'For context (not scored)',
    licenceUnconfirmed: 'reuse terms not confirmed',
    loadingFailed: 'Could not load {what}: {why}',
    errorCheck: 'Please check this field.',
    copyLink: 'Copy link to this result',
    linkCopied: 'Link copied: it opens this result with your entries.',
    linkCopyFailed: 'Copy this address from the address bar: {url}',
    printResult: 'Print handout',
    didYouMean: 'Did you mean:',
    oneOf: 'Several towns have this name. Which one?',
    staleResults: 'These results are for your previous entries. Fix the field above and rank again.',
    errorGeneral: 'The ranking could not be made: {why}',
    errorBusy: 'The server is busy right now. Please try again in a few seconds.',
    errorSlow: 'The server took too long to answer. Please try again.',
    errorTooLarge: 'The request is too large for the server.',
    errorServer: 'Something went wrong on the server. Please try again later.',
    err_adults: 'Enter {min} to {max} adults.',
    err_children: 'Ages in whole years from {min} to {max} (grown-up children count as adults).',
    err_rent_budget_eur: 'Enter a monthly budget between {min} and {max} €, or leave it empty.',
    err_income_eur: 'Enter a monthly income between {min} and {max} €, or leave it empty.',
    err_living_space_m2: 'Enter {min} to {max} m², or leave it empty.',
    err_workplace: 'We don’t know this place. Pick a town in Saxony from the list.',
    err_max_commute_km: 'Enter {min} to {max} km; it needs a workplace.',
    err_max_commute_min: 'Enter {min} to {max} minutes; it needs a workplace.',
    err_weights: 'Weights go from 0 to {max}.',
    err_rent_must: 'This needs a rent budget.',
    networkError: 'The server did not answer. Is lotse still running?',
    unitNames: { persons: 'residents', count: '', 'per 1000 children under 15': 'per 1,000 children under 15', 'per 1000 residents': 'per 1,000 residents', 'per 100000 children': 'per 100,000 children', 'per 100000 residents': 'per 100,000 residents', 'per 100 residents': 'per 100 residents', '1000 EUR/year': '× 1,000 € a year', 'places/person': 'places per person', share: '' },
    kinds: {
      welcome_center: 'Welcome Center', welcome_team: 'Welcome team', welcome_service_and_portal: 'Welcome service and portal', welcome_app: 'Welcome app',
      regional_skilled_worker_alliance: 'Fachkräfteallianz (regional skilled-worker alliance)', skilled_worker_alliance_state: 'Fachkräfteallianz Sachsen (state)',
      auslaenderbehoerde: 'Ausländerbehörde (immigration office)', migration_employment_info_centre: 'Information centre for immigration and work',
      recognition_counselling_network: 'Recognition of foreign qualifications (network)', recognition_counselling: 'Recognition of foreign qualifications',
      labour_rights_counselling: 'Labour-rights counselling', state_skilled_worker_centre: 'State skilled-worker centre', returnee_welcome_service: 'Service for returnees',
    },
  },
  de: {
    skip: 'Zu den Ergebnissen springen',
    skipCompare: 'Zum Vergleich springen',
    tagline: 'Wo sollen wir in Sachsen wohnen? Eine Rangliste aller 418 Gemeinden für Ihren Haushalt – mit Begründung und Quellen.',
    formHeading: 'Ihr Haushalt',
    formIntro: 'Sagen Sie uns, wer umzieht und was Ihnen wichtig ist. Alle Felder sind sinnvoll vorbelegt: Sie können sofort auf „Rangliste“ drücken.',
    adults: 'Erwachsene',
    children: 'Kinder (Alter in Jahren)',
    childAge: 'Alter von Kind {n}',
    removeChild: 'Kind {n} entfernen',
    remove: 'Entfernen',
    addChild: '+ Kind hinzufügen',
    noChildren: 'Keine Kinder.',
    rentBudget: 'Mietbudget (€ im Monat)',
    rentBudgetHint: 'Kaltmiete: ohne Heizung und Nebenkosten. Warmmiete: mit ihnen; lotse rechnet dann den bundesweiten Durchschnitt dieser Kosten je m² auf die geschätzte Kaltmiete. Leer lassen, um die Miete nicht zu bewerten.',
    rentBasis: 'Das Budget gilt für die',
    rentBasisCold: 'Kaltmiete',
    rentBasisWarm: 'Warmmiete',
    workplace: 'Arbeitsort (Gemeinde in Sachsen)',
    workplacePlaceholder: 'z. B. Dresden – tippen Sie los',
    workplaceHint: 'Freiwillig. Dient zur Schätzung des Arbeitswegs.',
    car: 'Haben Sie ein Auto?',
    yes: 'Ja',
    no: 'Nein',
    weightsHeading: 'Was ist Ihnen wichtig?',
    weightsHint: '0 = gar nicht, 5 = unverzichtbar: Setzen Sie ein Kriterium selbst auf 5, fallen Orte heraus, die darin sehr schlecht abschneiden (die voreingestellten 5 schließen niemanden aus). Kriterien für Kinder schalten sich nach deren Alter ein.',
    resetWeights: 'Auf Standard zurücksetzen',
    moreOptions: 'Weitere Angaben',
    income: 'Haushaltsnettoeinkommen (€ im Monat)',
    livingSpace: 'Benötigte Wohnfläche (m²)',
    livingSpaceHint: 'Leer: 45 m² für die erste Person und 15 m² für jede weitere.',
    maxCommute: 'Längster zumutbarer Arbeitsweg (km, einfach)',
    maxCommuteMin: 'Längster zumutbarer Arbeitsweg (Minuten, einfach)',
    maxCommuteMinHint: 'Leer: {m} Minuten, ab denen der Arbeitsweg nichts mehr zählt; Orte darüber fallen heraus.',
    townSize: 'Bevorzugte Ortsgröße',
    townSizeAny: 'egal',
    townSizeVillage: 'Dorf (unter 5.000 Einwohner)',
    townSizeSmall: 'Kleinstadt (5.000–20.000)',
    townSizeTown: 'Mittelstadt (20.000–100.000)',
    townSizeCity: 'Großstadt (ab 100.000)',
    rentMust: 'Orte weglassen, in denen die Wohnung mehr als mein Budget kostet',
    aggregation: 'Wie Stärken und Schwächen verrechnet werden',
    aggArithmetic: 'eine Stärke kann eine Schwäche ausgleichen',
    aggGeometric: 'eine Schwäche wiegt schwer (geometrisches Mittel)',
    rank: 'Rangliste',
    ranking: 'Rangliste wird erstellt …',
    resultsHeading: 'Ergebnis',
    resultsEmpty: 'Füllen Sie links Ihren Haushalt aus (oder lassen Sie die Vorgaben) und drücken Sie „Rangliste“.',
    showMore: '20 weitere zeigen',
    mapTitle: 'Karte von Sachsen: Gemeinden nach Punktzahl eingefärbt',
    mapAria: 'Karte der 418 Gemeinden Sachsens, nach Punktzahl eingefärbt. Klicken Sie auf eine Gemeinde für Details; per Tastatur öffnen die Rangliste und die Listen der ausgeschlossenen und der nicht bewerteten Orte darunter dieselben Details.',
    compareHeading: 'Vergleich',
    compare: 'Vergleichen',
    compareN: 'Vergleichen ({n})',
    comparePick: '{n} ausgewählt – wählen Sie 2 bis 6 Orte',
    clear: 'Leeren',
    accessibilityLink: 'Erklärung zur Barrierefreiheit (was geprüft ist, was noch nicht geht)',
    footerAbout: 'lotse verbindet offene Daten. Schätzwerte sind gekennzeichnet; eine Lücke bleibt eine Lücke, mit Begründung. Prüfen Sie Mieten und Plätze vor dem Umzug immer bei der Gemeinde.',
    dataCredits: 'Daten:',
    unconfirmed: 'Nachnutzungsbedingungen vom Herausgeber nicht bestätigt für: {list}.',
    weight0: 'unwichtig', weight1: 'etwas', weight2: 'mittel', weight3: 'wichtig', weight4: 'sehr wichtig', weight5: 'entscheidend',
    offChildUnder: 'nur mit einem Kind unter {n} – Regler bewegen, um es trotzdem zu nutzen',
    offChildAged: 'nur mit einem Kind von {lo}–{hi} Jahren – Regler bewegen, um es trotzdem zu nutzen',
    off_affordability_needs_money: 'nur mit Mietbudget oder Einkommen',
    off_commute_needs_workplace: 'nur mit Arbeitsort',
    off_town_size_needs_preference: 'nur mit bevorzugter Ortsgröße (Weitere Angaben)',
    summary: '{ranked} von {total} Gemeinden bewertet für {persons} ({space} m² Wohnung{work}).',
    summaryWork: ', Arbeitsort {w}',
    persons1: '1 Person', personsN: '{n} Personen',
    excludedN: '{n} ausgeschlossen, weil sie eine Grenze (Ihre oder die des Arbeitswegs) oder die Schwelle für Unverzichtbares verfehlen.',
    unrankedN: '{n} ohne Rang: zu wenige Daten zu dem, was Ihnen wichtig ist.',
    criteriaUsed: 'Woraus sich die Punktzahl zusammensetzt',
    criteriaUsedHint: 'Anteil jedes Kriteriums an der Punktzahl, aus Ihren Gewichten.',
    score: 'Punkte',
    scoreOf: '{s} von 100 Punkten',
    rankN: 'Platz {n}',
    details: 'Details',
    why: 'Warum diese Punktzahl?',
    strong: 'Stark: {list}',
    plainSwitch: 'Einfache Sprache',
    plainNote: 'Das ist die Ansicht in Einfacher Sprache. Prüf-Leser haben diesen Text noch nicht geprüft.',
    plainHeading: 'Ihre besten Orte',
    plainIntro1: 'Wir haben alle Orte in Sachsen verglichen.',
    plainIntro2: 'Wir haben dabei auf Ihre Angaben geachtet.',
    plainLimit1: 'Der Weg zur Arbeit darf bis zu {m} Minuten dauern.',
    plainLimit2: 'Orte mit einem längeren Weg zeigen wir nicht.',
    plainNone: 'Kein Ort passt zu allen Ihren Angaben. Bitte ändern Sie Ihre Angaben.',
    plainGroup: 'Die Orte von Platz {a} bis Platz {b} sind etwa gleich gut.',
    plainPlace: 'Platz {rank}: {name}',
    plainDistrict: '{name} gehört zum {district}.',
    plainStrong: 'Das ist dort sehr gut: {list}.',
    plainWeak: 'Das ist dort nicht so gut: {list}.',
    plainRent: 'Die Kalt-Miete für Ihre Wohnung ist etwa {eur} Euro im Monat.',
    plainRentWhat: 'Kalt-Miete heißt: ohne Heizung und ohne Neben-Kosten.',
    plainMore: 'Mehr über {name}',
    weak: 'Schwächer: {list}',
    exampleNote: 'Beispiel für den vorbelegten Haushalt – Formular anpassen und „Rangliste“ drücken.',
    whyLoading: 'Begründung wird geladen …',
    points: '{p} P.',
    pointsTitle: 'Trägt {p} der {s} Punkte bei (Gewicht {w}, Nutzen {u} von 100)',
    dropped: 'hier keine Daten – sein Gewicht ging an die übrigen Kriterien',
    robust: 'Meist Platz {lo}–{hi}. Mit leicht verschobenen Gewichten {p}-mal von 100 unter den ersten {k}',
    robustOne: 'Platz {lo}, auch mit leicht verschobenen Gewichten; {p}-mal von 100 unter den ersten {k}',
    robustTitle: 'Wir haben {draws}-mal neu gerechnet: jedes Ihrer Gewichte um bis zu eine Stufe verschoben (nie unter die Hälfte), Pendelzeiten um bis zu ±{c} % und Mieten um bis zu ±{r} %, weil diese Schätzungen danebenliegen können. In 9 von 10 dieser Ranglisten kam der Ort auf Platz {lo}–{hi}.',
    group: 'Gruppe {g}: {n} Orte, etwa gleich gut – ihre Reihenfolge kann leicht kippen',
    groupOne: 'Gruppe {g}',
    groupTitle: 'Ihre Platzbereiche überlappen sich: kleine Änderungen an Ihren Gewichten oder an den Schätzungen ordnen sie um. Lesen Sie sie als gleich gut, nicht als feste Reihenfolge.',
    pareto: 'Von keinem Ort in allem übertroffen',
    paretoTitle: 'Kein anderer bewerteter Ort ist bei jedem Kriterium mindestens so gut und bei einem besser.',
    dominated: '{name} (Platz {rank}) ist in allem mindestens so gut',
    dominatedTitle: 'Dieser Ort ist bei jedem Ihrer Kriterien mindestens so gut und bei einem besser.',
    coverage: 'Punktzahl beruht auf {p} % Ihrer Gewichte',
    coverageTitle: 'Kriterien ohne Daten hier: ihr Gewicht wurde auf die übrigen verteilt.',
    estimate: 'Schätzung',
    source: 'Quelle',
    sources: 'Quellen',
    sourceOf: 'Quelle: {s}',
    refDate: 'Stand {d}',
    method: 'Methode: {m}',
    compareSelect: '{name} vergleichen',
    excludedHeading: 'Ausgeschlossen ({n}), knappste zuerst',
    excludedWhy: '{name}: {reason}',
    unrankedHeading: 'Ohne Rang ({n})',
    unrankedWhy: '{name}: nur für {p} % Ihrer Gewichte gibt es hier Daten',
    limit_max_commute_km: 'Arbeitsweg {v} km, mehr als Ihre {t} km (um {b} km)',
    limit_max_commute_min: 'Arbeitsweg nach {w} etwa {v} Min. (geschätzt), über der Grenze von {t} Min. (um {b} Min.)',
    limit_essential: '{c} nur {v} von 100, unter der Schwelle von {t} für Unverzichtbares',
    commuteLimit: 'Grenze für den Arbeitsweg: {m} Min. einfach ({by}); Orte darüber fallen heraus.',
    commuteLimitDefault: 'Standard, ab hier zählt der Arbeitsweg nichts mehr',
    commuteLimitHousehold: 'Ihre Angabe',
    raiseCommuteLimit: 'Auf {m} Min. anheben (nimmt {name} auf)',
    limit_rent_within_budget: 'Miete etwa {v} €, über Ihrem Budget von {t} € (um {b} €)',
    limit_max_rent_share_pct: 'Miete wäre {v} % Ihres Einkommens, über {t} %',
    limit_within_km: 'nächste(r) {f} {v} km entfernt, mehr als {t} km',
    limit_min_population: '{v} Einwohner, weniger als {t}',
    limit_max_population: '{v} Einwohner, mehr als {t}',
    legendLow: 'weniger Punkte',
    legendHigh: 'mehr Punkte',
    legendUnranked: 'ohne Rang (zu wenige Daten)',
    legendExcluded: 'ausgeschlossen (verfehlt eine Grenze)',
    legendWork: 'Arbeitsort',
    legendNoData: '„Rangliste“ drücken, um die Karte einzufärben',
    mapSource: 'Grenzen: {a}',
    detailRank: 'Platz {rank} von {total} · {score} Punkte',
    detailExcluded: 'Ausgeschlossen: {reason}',
    detailUnranked: 'Ohne Rang: zu wenige Daten zu dem, was Ihnen wichtig ist',
    detailReasons: 'Warum diese Punktzahl',
    help: 'Wer hier Neuankömmlingen hilft',
    helpHint: 'Stellen, die Neuankömmlinge in diesem Landkreis bzw. dieser Stadt beraten.',
    helpStatewide: 'Für ganz Sachsen',
    printHelp: 'Wer Zugezogenen in den Kreisen dieser Orte hilft',
    printReading: 'Wie die Zahlen geschätzt sind und womit sie verglichen werden',
    printPlaces: 'Kitas und Schulen am nächsten, wo die Menschen in diesen Orten wohnen (Luftlinie)',
    printNotMapped: 'in den Daten hier nicht erfasst',
    notMappedHead: 'Hier nicht erfasst',
    notMappedOthers: '{what}: die Daten decken nur einige Orte ab (welche, steht bei den Kennzahlen unten)',
    addressTitle: 'Die Adresse, wie die Quelle sie nennt (teils zur Eröffnung der Stelle): bitte vorher prüfen.',
    inferred: 'abgeleitet, nicht geprüft',
    inferredTitle: 'Die Quelle kennzeichnet diesen Eintrag als abgeleitet: bitte vorher prüfen.',
    noHelp: 'Die Daten enthalten für diesen Ort keine Ansprechstelle im Landkreis.',
    places: 'Kitas, Schulen und mehr in der Nähe',
    placesHint: 'Die nächstgelegenen mit Namen, gemessen in Luftlinie von dort, wo die Menschen in {name} im Mittel wohnen; der Weg auf der Straße ist etwa ein Drittel länger.',
    placesNone: 'Die Daten nennen für diesen Ort keine Einrichtungen mit Namen.',
    placesSources: 'Quellen dieser Orte',
    station: 'Bahnhof',
    notMapped: 'hier nicht erfasst – {why}',
    noneInReach: 'keine im Umkreis von {km} km in den Daten',
    website: 'Website',
    figures: 'Alle {n} Kennzahlen für {name}',
    figuresHint: 'Zeigen Sie auf eine Zahl (oder tippen Sie sie an) für Quelle, Stand und Methode; die Zahlen in Klammern verweisen auf die Quellen unten.',
    missing: 'kein Wert',
    districtFigure: 'Wert des Landkreises',
    associationFigure: 'Wert des Gemeindeverbands',
    indicator: 'Kennzahl',
    value: 'Wert',
    population: 'Einwohner',
    oberzentrum: 'Oberzentrum',
    mittelzentrum: 'Mittelzentrum',
    close: 'Schließen',
    compareIntro: 'Nebeneinander für Ihren Haushalt: der Wert, wie gut er für Sie ist (0–100), und warum. Grün: der beste dieser Orte.',
    criterion: 'Kriterium',
    status: 'Platz',
    statusRanked: 'Platz {rank} · {score}',
    statusExcluded: 'ausgeschlossen',
    statusUnranked: 'ohne Rang',
    context: 'Zur Einordnung (nicht bewertet)',
    licenceUnconfirmed: 'Nachnutzung nicht bestätigt',
    loadingFailed: '{what} konnte nicht geladen werden: {why}',
    errorCheck: 'Bitte prüfen Sie dieses Feld.',
    copyLink: 'Link zu diesem Ergebnis kopieren',
    linkCopied: 'Link kopiert: Er öffnet dieses Ergebnis mit Ihren Angaben.',
    linkCopyFailed: 'Bitte diese Adresse aus der Adresszeile kopieren: {url}',
    printResult: 'Handzettel drucken',
    didYouMean: 'Meinten Sie:',
    oneOf: 'Mehrere Orte heißen so. Welcher ist gemeint?',
    staleResults: 'Diese Ergebnisse gelten für Ihre vorigen Angaben. Bitte das Feld oben korrigieren und neu ranglisten.',
    errorGeneral: 'Die Rangliste konnte nicht erstellt werden: {why}',
    errorBusy: 'Der Server ist gerade ausgelastet. Bitte versuchen Sie es in einigen Sekunden noch einmal.',
    errorSlow: 'Der Server hat zu lange für die Antwort gebraucht. Bitte versuchen Sie es noch einmal.',
    errorTooLarge: 'Die Anfrage ist zu groß für den Server.',
    errorServer: 'Auf dem Server ist etwas schiefgegangen. Bitte versuchen Sie es später noch einmal.',
    err_adults: 'Bitte {min} bis {max} Erwachsene angeben.',
    err_children: 'Alter in ganzen Jahren von {min} bis {max} (volljährige Kinder zählen als Erwachsene).',
    err_rent_budget_eur: 'Bitte ein Monatsbudget zwischen {min} und {max} € angeben oder leer lassen.',
    err_income_eur: 'Bitte ein Monatseinkommen zwischen {min} und {max} € angeben oder leer lassen.',
    err_living_space_m2: 'Bitte {min} bis {max} m² angeben oder leer lassen.',
    err_workplace: 'Diesen Ort kennen wir nicht. Bitte eine Gemeinde in Sachsen aus der Liste wählen.',
    err_max_commute_km: 'Bitte {min} bis {max} km angeben; dafür braucht es einen Arbeitsort.',
    err_max_commute_min: 'Bitte {min} bis {max} Minuten angeben; dafür braucht es einen Arbeitsort.',
    err_weights: 'Gewichte reichen von 0 bis {max}.',
    err_rent_must: 'Dafür braucht es ein Mietbudget.',
    networkError: 'Der Server antwortet nicht. Läuft lotse noch?',
    unitNames: { persons: 'Einwohner', count: '', min: 'Min.', km2: 'km²', m2: 'm²', EUR: '€', 'EUR/m2': '€/m²', 'per 1000 children under 15': 'je 1.000 Kinder unter 15', 'per 1000 residents': 'je 1.000 Einwohner', 'per 100000 children': 'je 100.000 Kinder', 'per 100000 residents': 'je 100.000 Einwohner', 'per 100 residents': 'je 100 Einwohner', '1000 EUR/year': '× 1.000 € im Jahr', 'places/person': 'Plätze je Person', 'persons/km2': 'Einw./km²', share: '' },
    kinds: {
      welcome_center: 'Welcome Center', welcome_team: 'Welcome-Team', welcome_service_and_portal: 'Willkommensservice und Portal', welcome_app: 'Willkommens-App',
      regional_skilled_worker_alliance: 'Regionale Fachkräfteallianz', skilled_worker_alliance_state: 'Fachkräfteallianz Sachsen',
      auslaenderbehoerde: 'Ausländerbehörde', migration_employment_info_centre: 'Informationszentrum Zuwanderung und Arbeit',
      recognition_counselling_network: 'Anerkennung ausländischer Abschlüsse (Netzwerk)', recognition_counselling: 'Anerkennung ausländischer Abschlüsse',
      labour_rights_counselling: 'Beratung zu Arbeitsrechten', state_skilled_worker_centre: 'Landesfachkräftezentrum', returnee_welcome_service: 'Service für Rückkehrer',
    },
  },
};

// The form field of each profile input a criterion's switch-on rule may need (the rules
// themselves come from /api/v1/criteria).
const FORM_INPUTS = {
  rent_budget_eur: '#rent-budget', income_eur: '#income', workplace: '#workplace', town_size: '#town-size',
};

// ColorBrewer YlGnBu (sequential, colour-blind safe): light = lower score, dark = higher.
const SCALE = ['#ffffd9', '#edf8b1', '#c7e9b4', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#253494', '#081d58'];
const GREY_UNRANKED = '#d4d4d4';
const GREY_NONE = '#eeeeee';
const SVG_NS = 'http://www.w3.org/2000/svg';
const PAGE = 20;
const EXPLAIN_TOP = 20;

// ------------------------------------------------------------------------------------------
// State
// ------------------------------------------------------------------------------------------

const state = {
  lang: 'en',
  municipalities: [],
  byAgs: new Map(),
  workplaceLookup: new Map(), // lower-cased display text → AGS
  criteria: [], // from /api/v1/criteria: id, labels, default weights, switch-on rule
  facilities: new Map(), // facility id → {label_de, label_en}, from /api/v1/criteria
  ranges: new Map(), // profile field → {min, max, allowed}, from /api/v1/criteria
  veto: null, // the veto rule from /api/v1/criteria: default commute limit, essential floor
  strengths: { strong_from: 80, weak_below: 50 }, // from /api/v1/criteria (replaced on load)
  plainNames: {}, // criterion id → {de, en}: plain-language names, from /api/v1/criteria
  plain: false, // the easy-read view is on
  touched: new Set(), // weights the user moved
  boundaries: null,
  boundariesAttribution: '',
  paths: new Map(), // AGS → <path>
  sources: [],
  sourceById: new Map(),
  detailCache: new Map(), // `${ags}|${lang}` → municipality detail (for the printed handout)
  indicatorMeta: new Map(), // indicator id → {sources, reference_date, method, label}
  ranking: null,
  rankingProfile: null,
  status: new Map(), // AGS → {kind:'ranked'|'unranked'|'excluded', row, reasons}
  shown: PAGE,
  selected: null,
  picked: new Set(),
  explainCache: new Map(), // AGS → explanations (for rows ranked below the explained top)
  requestSeq: 0,
  metaPromise: null,
  criteriaParts: new Map(), // criterion id → indicators it reads, with and without a car
  example: false, // the shown ranking is the preset example, not yet the user's
};

// ------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

function t(key, vars) {
  let s = I18N[state.lang][key];
  if (s === undefined) s = I18N.en[key];
  if (s === undefined) return key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
  return s;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (v === true) e.setAttribute(k, '');
      else e.setAttribute(k, v);
    }
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function locale() {
  return state.lang === 'de' ? 'de-DE' : 'en-GB';
}

// A distance with one decimal; one that would show as 0 (a station or place right at the
// town's centre of population) shows as "< 0.1 km".
function km(x) {
  return x < 0.05 ? `< ${fmt(0.1, 1)} km` : `${fmt(x, 1)} km`;
}

function fmt(x, digits) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  let d = digits;
  if (d === undefined) {
    const a = Math.abs(x);
    d = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 1 : 2;
    if (Number.isInteger(x)) d = 0;
  }
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: d, minimumFractionDigits: 0 }).format(x);
}

function unitText(u) {
  if (!u) return '';
  const names = I18N[state.lang].unitNames;
  if (Object.prototype.hasOwnProperty.call(names, u)) return names[u];
  return u.replace('EUR/m2', '€/m²').replace('EUR', '€').replace('km2', 'km²').replace('m2', 'm²');
}

function valueWithUnit(v, u) {
  if (v === null || v === undefined) return '–';
  const ut = unitText(u);
  if (!ut) return fmt(v);
  if (ut === '%') return `${fmt(v)} %`;
  return `${fmt(v)} ${ut}`;
}

function colourFor(score, lo, hi) {
  const x = hi > lo ? (score - lo) / (hi - lo) : 1;
  const pos = Math.max(0, Math.min(1, x)) * (SCALE.length - 1);
  const i = Math.min(SCALE.length - 2, Math.floor(pos));
  return mix(SCALE[i], SCALE[i + 1], pos - i);
}

function mix(a, b, f) {
  const pa = [1, 3, 5].map((i) => parseInt(a.slice(i, i + 2), 16));
  const pb = [1, 3, 5].map((i) => parseInt(b.slice(i, i + 2), 16));
  return '#' + pa.map((v, i) => Math.round(v + (pb[i] - v) * f).toString(16).padStart(2, '0')).join('');
}

// The page's own sentence for an answer that is not about a field: the server busy or too
// slow, the request too large, a fault on the server (the server's words are English).
function statusSentence(status) {
  if (status === 503 || status === 429) return t('errorBusy');
  if (status === 408 || status === 504) return t('errorSlow');
  if (status === 413) return t('errorTooLarge');
  if (status >= 500) return t('errorServer');
  return null;
}

class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

async function api(path, options) {
  let res;
  try {
    res = await fetch(path, options);
  } catch (e) {
    throw new ApiError(0, { detail: t('networkError') });
  }
  const ct = res.headers.get('content-type') || '';
  const body = ct.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, typeof body === 'object' ? body : { detail: String(body) });
  return body;
}

// A source's title in the page's language (the atlas carries both).
function sourceTitle(s) {
  return state.lang === 'de' && s.title_de ? s.title_de : s.title;
}

function sourceText(ids, date) {
  const names = (ids || []).map((id) => {
    const s = state.sourceById.get(id);
    return s ? `${s.publisher} – ${sourceTitle(s)}` : id;
  });
  let s = t('sourceOf', { s: names.join('; ') });
  if (date) s += ` (${t('refDate', { d: date })})`;
  return s;
}

// ------------------------------------------------------------------------------------------
// Language
// ------------------------------------------------------------------------------------------

function initialLang() {
  const saved = localStorage.getItem('lotse.lang');
  if (saved === 'de' || saved === 'en') return saved;
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
  return nav.toLowerCase().startsWith('de') ? 'de' : 'en';
}

function applyStaticTexts() {
  document.documentElement.lang = state.lang;
  document.title = state.lang === 'de' ? 'lotse – wo sollen wir in Sachsen wohnen?' : 'lotse – where should we live in Saxony?';
  for (const e of $$('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  for (const e of $$('[data-i18n-placeholder]')) e.placeholder = t(e.dataset.i18nPlaceholder);
  for (const b of $$('#lang-switch button')) b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
  $('#map-canvas').setAttribute('aria-label', t('mapAria'));
}

async function setLang(lang) {
  if (lang !== 'de' && lang !== 'en') return;
  const changed = lang !== state.lang;
  state.lang = lang;
  localStorage.setItem('lotse.lang', lang);
  applyStaticTexts();
  renderCommuteLimitHint();
  renderChildren();
  renderWeights();
  renderCredits();
  renderLegend();
  updateCompareBar();
  if (!changed) return;
  // Sentences, labels and notes come from the API in the profile's language: fetch again.
  if (state.ranking) await rank({ keepPage: true, keepSelection: true });
  else renderEmpty();
}

// ------------------------------------------------------------------------------------------
// Form
// ------------------------------------------------------------------------------------------

let children = [4];

// `min` and `max` attributes of an input for a profile field, as the server enforces them.
function rangeAttrs(field) {
  const r = state.ranges.get(field);
  return r ? { min: String(r.min), max: String(r.max) } : {};
}

// The form’s number inputs get the ranges the server enforces (the page keeps no copy).
function applyRanges() {
  for (const input of $$('input[type="number"][name]')) {
    const r = state.ranges.get(input.name);
    if (r) { input.min = String(r.min); input.max = String(r.max); }
  }
}

function renderChildren() {
  const list = $('#children-list');
  list.replaceChildren();
  if (children.length === 0) list.append(el('li', { class: 'hint small' }, t('noChildren')));
  children.forEach((age, i) => {
    const id = `child-${i}`;
    const input = el('input', {
      id, type: 'number', ...rangeAttrs('children[]'), step: '1', inputmode: 'numeric', value: age === '' ? '' : String(age),
      class: 'child-age', 'aria-describedby': 'children-error',
    });
    input.addEventListener('input', () => {
      children[i] = input.value === '' ? '' : Number(input.value);
      updateWeightStates();
    });
    // The visible "×" is part of the button's name, the words follow for screen readers.
    const remove = el('button', { type: 'button', class: 'icon-button', title: t('removeChild', { n: i + 1 }) }, '×', el('span', { class: 'visually-hidden' }, ' ' + t('removeChild', { n: i + 1 })));
    remove.addEventListener('click', () => {
      children.splice(i, 1);
      renderChildren();
      updateWeightStates();
      const next = $$('.child-age')[Math.min(i, children.length - 1)];
      (next || $('#add-child')).focus();
    });
    list.append(el('li', { class: 'child' }, el('label', { for: id, class: 'child-label' }, t('childAge', { n: i + 1 })), input, remove));
  });
  const most = state.ranges.get('children');
  $('#add-child').disabled = most ? children.length >= most.max : false;
}

function criterionLabel(c) {
  return cap(state.lang === 'de' ? c.label_de : c.label_en);
}

function cap(text) {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

function isPhone() {
  return window.matchMedia('(max-width: 760px)').matches;
}

function hasCar() {
  return $('input[name=car]:checked').value === 'yes';
}

function defaultWeight(c) {
  return hasCar() ? c.default_weight : (c.default_weight_without_car ?? c.default_weight);
}

// Why a criterion is off for the household in the form, by its switch-on rule from
// /api/v1/criteria; null when it is on.
function offReason(c) {
  const rule = c.switch_on || { when: 'always' };
  if (rule.when === 'child_aged') {
    const ages = children.filter((a) => a !== '' && !Number.isNaN(a));
    if (ages.some((a) => a >= rule.min_age && a <= rule.max_age)) return null;
    return rule.min_age === 0 ? t('offChildUnder', { n: rule.max_age + 1 }) : t('offChildAged', { lo: rule.min_age, hi: rule.max_age });
  }
  if (rule.when === 'given') {
    const given = (field) => FORM_INPUTS[field] && $(FORM_INPUTS[field]).value.trim() !== '';
    if (rule.any_of.some(given)) return null;
    const key = `off_${rule.code}`;
    return t(key) === key ? (state.lang === 'de' ? rule.note_de : rule.note_en) : t(key);
  }
  return null;
}

function renderWeights() {
  const box = $('#weights');
  // Until /api/v1/criteria answers there is nothing to show (and its error stays shown).
  if (!state.criteria.length) return;
  const old = new Map($$('input.weight', box).map((i) => [i.dataset.criterion, Number(i.value)]));
  box.replaceChildren();
  for (const c of state.criteria) {
    const id = `weight-${c.id}`;
    const value = state.touched.has(c.id) && old.has(c.id) ? old.get(c.id) : defaultWeight(c);
    const input = el('input', {
      id, type: 'range', min: '0', max: '5', step: '1', value: String(value), class: 'weight',
      'data-criterion': c.id, 'aria-describedby': `${id}-state ${id}-error`,
    });
    const out = el('output', { for: id, id: `${id}-out`, class: 'weight-value' });
    const row = el('div', { class: 'weight-row', 'data-criterion': c.id },
      el('label', { for: id, class: 'weight-label' }, criterionLabel(c)),
      input, out,
      el('p', { id: `${id}-state`, class: 'weight-state hint small' }),
      el('p', { id: `${id}-error`, class: 'field-error', 'data-field': `weights.${c.id}`, hidden: true }));
    input.addEventListener('input', () => {
      state.touched.add(c.id);
      updateWeightStates();
    });
    box.append(row);
  }
  updateWeightStates();
}

function updateWeightStates() {
  for (const row of $$('.weight-row')) {
    const id = row.dataset.criterion;
    const input = $('input', row);
    const v = Number(input.value);
    $('output', row).textContent = `${v} · ${t('weight' + v)}`;
    input.setAttribute('aria-valuetext', `${v}: ${t('weight' + v)}`);
    const c = state.criteria.find((x) => x.id === id);
    const off = state.touched.has(id) || !c ? null : offReason(c);
    row.classList.toggle('off', Boolean(off));
    $('.weight-state', row).textContent = off || '';
  }
}

function buildWorkplaceList() {
  const counts = new Map();
  for (const m of state.municipalities) counts.set(m.name, (counts.get(m.name) || 0) + 1);
  const dl = $('#municipality-options');
  dl.replaceChildren();
  const sorted = [...state.municipalities].sort((a, b) => a.name.localeCompare(b.name, 'de'));
  for (const m of sorted) {
    const text = counts.get(m.name) > 1 ? `${m.name} (${m.district})` : m.name;
    state.workplaceLookup.set(text.toLowerCase(), m.ags);
    if (counts.get(m.name) === 1) state.workplaceLookup.set(m.ags, m.ags);
    dl.append(el('option', { value: text }, m.district));
  }
}

function numberOrNull(id) {
  const e = $(id);
  if (e.value.trim() === '') return null;
  const n = Number(e.value);
  return Number.isFinite(n) ? n : NaN;
}

function buildProfile() {
  const p = { adults: numberOrNull('#adults') };
  if (p.adults === null) p.adults = NaN;
  const ages = children.filter((a) => a !== '').map(Number);
  if (ages.length) p.children = ages;
  const budget = numberOrNull('#rent-budget');
  if (budget !== null) p.rent_budget_eur = budget;
  if (budget !== null && $('#rent-basis').value === 'warm') p.rent_budget_basis = 'warm';
  const income = numberOrNull('#income');
  if (income !== null) p.income_eur = income;
  const space = numberOrNull('#living-space');
  if (space !== null) p.living_space_m2 = space;
  const work = $('#workplace').value.trim();
  if (work) p.workplace = state.workplaceLookup.get(work.toLowerCase()) || work;
  const maxc = numberOrNull('#max-commute');
  if (maxc !== null) p.max_commute_km = maxc;
  const maxm = numberOrNull('#max-commute-min');
  if (maxm !== null) p.max_commute_min = maxm;
  p.car = hasCar();
  const weights = {};
  for (const i of $$('input.weight')) if (state.touched.has(i.dataset.criterion)) weights[i.dataset.criterion] = Number(i.value);
  if (Object.keys(weights).length) p.weights = weights;
  if ($('#rent-must').checked) p.must = { rent_within_budget: true };
  if ($('#town-size').value) p.town_size = $('#town-size').value;
  if ($('#aggregation').value !== 'arithmetic') p.aggregation = $('#aggregation').value;
  p.lang = state.lang;
  // NaN is not JSON: send it as a string so the server names the field.
  for (const k of ['adults', 'rent_budget_eur', 'income_eur', 'living_space_m2', 'max_commute_km', 'max_commute_min']) {
    if (Number.isNaN(p[k])) p[k] = $(`[name=${k}]`).value || '';
  }
  return p;
}

// ------------------------------------------------------------------------------------------
// Errors next to their fields
// ------------------------------------------------------------------------------------------

// Results of earlier entries stay visible after an error, but dimmed and labelled as such.
function markStale(stale) {
  const panel = $('.results-panel');
  panel.classList.toggle('stale', stale);
  let note = $('#stale-note');
  if (stale && !note && state.ranking) {
    note = el('p', { id: 'stale-note', class: 'stale-note', role: 'status' }, t('staleResults'));
    $('#results').before(note);
  } else if (!stale && note) note.remove();
}

function clearErrors() {
  for (const e of $$('.field-error')) { e.hidden = true; e.textContent = ''; }
  for (const e of $$('[aria-invalid]')) e.removeAttribute('aria-invalid');
  const fe = $('#form-error');
  fe.hidden = true;
  fe.textContent = '';
}

function showProblem(err) {
  const p = err.problem || {};
  const field = p.field || '';
  const detail = p.detail ? p.detail.replace(/^profile field `[^`]*`: /, '') : err.message;
  const allowed = p.allowed && !detail.includes(p.allowed) ? ` (${p.allowed})` : '';
  let target = null;
  let input = null;
  let key = null;
  const base = field.replace(/\[\d+\].*$/, '').replace(/\..*$/, '');
  let rangeKey = base;
  const m = field.match(/^children\[(\d+)\]/);
  if (field.startsWith('weights.')) {
    const id = field.slice(8);
    target = document.getElementById(`weight-${id}-error`);
    input = document.getElementById(`weight-${id}`);
    key = 'err_weights';
    rangeKey = 'weights.*';
  } else if (field.startsWith('must.rent_within_budget')) {
    target = $('#rent-must-error'); input = $('#rent-must'); key = 'err_rent_must';
  } else if (base === 'children') {
    target = $('#children-error');
    input = m ? document.getElementById(`child-${m[1]}`) : null;
    key = 'err_children';
    rangeKey = m ? 'children[]' : 'children';
  } else if (base) {
    target = $(`.field-error[data-field="${base}"]`);
    input = $(`[name="${base}"]`);
    key = `err_${base}`;
  }
  if (target) {
    // The page's own sentence, with the range the server enforces (from /api/v1/criteria);
    // without that range, the server's own words.
    const range = state.ranges.get(rangeKey);
    const needsRange = /\{(min|max)\}/.test(I18N.en[key] || '');
    const known = key in I18N[state.lang] || key in I18N.en;
    const own = !known || (needsRange && !range) ? null : t(key, range ? { min: fmt(range.min), max: fmt(range.max) } : undefined);
    const choices = p.choices && Array.isArray(p.choices.names) && p.choices.names.length ? p.choices : null;
    if (choices && input) {
      // Names to pick, in either language: "Did you mean: Dresden?" or the towns of that name.
      const buttons = choices.names.map((name) => {
        const b = el('button', { type: 'button', class: 'link-button choice' }, name);
        b.addEventListener('click', () => { input.value = name; clearErrors(); rank(); });
        return b;
      });
      const lead = t(choices.kind === 'one_of' ? 'oneOf' : 'didYouMean');
      target.replaceChildren(lead, ' ', ...buttons.flatMap((b, i) => (i ? [', ', b] : [b])), choices.kind === 'one_of' ? '' : '?');
    } else {
      target.textContent = own ? `${own} ${state.lang === 'en' ? '– ' + detail + allowed : ''}`.trim() : detail + allowed;
    }
    target.hidden = false;
    const details = target.closest('details');
    if (details) details.open = true;
    if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
    // Bring the message to the middle of the view, clear of the compare bar.
    target.scrollIntoView({ block: 'center' });
  }
  const fe = $('#form-error');
  fe.textContent = target ? t('errorCheck') : statusSentence(err.status) || t('errorGeneral', { why: detail + allowed });
  fe.hidden = false;
  if (!target) fe.focus();
}

// ------------------------------------------------------------------------------------------
// Ranking
// ------------------------------------------------------------------------------------------

async function rank(opts = {}) {
  clearErrors();
  const profile = buildProfile();
  const seq = ++state.requestSeq;
  const button = $('#rank-button');
  button.disabled = true;
  $('#results').setAttribute('aria-busy', 'true');
  $('#status').textContent = t('ranking');
  try {
    const ranking = await api(`/api/v1/rank?lang=${state.lang}&top=${EXPLAIN_TOP}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(profile),
    });
    if (state.metaPromise) await state.metaPromise;
    if (seq !== state.requestSeq) return;
    expandRanking(ranking);
    for (const row of ranking.ranked) if (row.explanations) row.explanations = withCriteria(row.explanations, ranking.criteria);
    state.ranking = ranking;
    state.rankingProfile = profile;
    markStale(false);
    if (!state.example && !opts.fromAddress) rememberInAddress(profile, opts.keepPage);
    $('#copy-link').hidden = state.example;
    $('#print-result').hidden = false;
    renderPrintHelp();
    renderPrintReading();
    $('#copy-status').textContent = '';
    state.explainCache.clear();
    if (!opts.keepPage) state.shown = PAGE;
    indexRanking();
    renderResults();
    colourMap();
    if (opts.keepSelection && state.selected) await showDetail(state.selected, { focus: false });
    else hideDetail();
    if (!$('#compare-section').hidden && state.picked.size >= 2) await runCompare({ focus: false });
    if (!opts.keepPage && !opts.initial) $('#results-heading').focus();
  } catch (e) {
    if (seq !== state.requestSeq) return;
    $('#status').textContent = '';
    if (e instanceof ApiError) {
      showProblem(e);
      markStale(true);
    } else throw e;
  } finally {
    if (seq === state.requestSeq) {
      button.disabled = false;
      $('#results').setAttribute('aria-busy', 'false');
    }
  }
}

// A ranking answer is lean: rows without details come as columns (`rest`), exclusions as one
// group per limit, names of those only by AGS, help contacts once. Expanded here into one
// object per row and per missed limit, so the page reads them alike.
function expandRanking(r) {
  const byAgs = new Map(state.municipalities.map((m) => [m.ags, m]));
  const name = (ags) => (byAgs.get(ags) || {}).name || ags;
  const district = (ags) => (byAgs.get(ags) || {}).district || '';
  const rest = r.rest || { ags: [] };
  rest.ags.forEach((ags, i) => {
    r.ranked.push({
      rank: rest.first_rank + i, ags, name: name(ags), district: district(ags), score: rest.score[i],
      weight_coverage: rest.weight_coverage[i], dropped: (rest.dropped || {})[ags] || [],
      unchecked_limits: (rest.unchecked_limits || {})[ags] || [],
    });
  });
  const excluded = [];
  for (const g of r.excluded || []) {
    const { ags: list, value, ...limit } = g;
    list.forEach((ags, i) => excluded.push({
      ...limit, ags, name: name(ags), value: value[i], by: Math.abs(value[i] - g.threshold),
    }));
  }
  r.excluded = excluded;
  for (const row of r.ranked) {
    if (row.explanations) row.help = (r.help || []).filter((h) => h.district_ags5.includes(row.ags.slice(0, 5)));
  }
}

function indexRanking() {
  const r = state.ranking;
  state.status.clear();
  for (const row of r.ranked) state.status.set(row.ags, { kind: 'ranked', row });
  for (const row of r.unranked) state.status.set(row.ags, { kind: 'unranked', row });
  for (const ex of r.excluded) {
    const s = state.status.get(ex.ags);
    if (s && s.kind === 'excluded') s.reasons.push(ex);
    else state.status.set(ex.ags, { kind: 'excluded', row: ex, reasons: [ex] });
  }
}

function exclusionText(ex) {
  const f = ex.facility ? facilityName(ex.facility) : '';
  const digits = ex.unit === 'EUR' || ex.unit === 'min' || ex.unit === 'utility' ? 0 : 1;
  const wp = state.ranking && ex.workplace !== undefined ? state.ranking.workplaces[ex.workplace] : null;
  const crit = ex.criterion ? state.criteria.find((c) => c.id === ex.criterion) : null;
  const c = crit ? cap(state.lang === 'de' ? crit.label_de : crit.label_en) : '';
  // A miss below one unit is not shown as 0.
  const b = fmt(ex.by, ex.by < 1 ? 1 : digits);
  return t(`limit_${ex.limit}`, { v: fmt(ex.value, digits), t: fmt(ex.threshold, digits), b, f, c, w: wp ? wp.label : '' });
}

// The commute limit in force, and a button that raises it just enough to bring in the nearest
// town beyond it.
function commuteLimitFact(r) {
  const l = r.commute_limit;
  const li = el('li', { class: 'commute-limit' }, t('commuteLimit', {
    m: fmt(l.minutes, 0), by: t(l.set_by === 'default' ? 'commuteLimitDefault' : 'commuteLimitHousehold'),
  }));
  const beyond = r.excluded.filter((e) => e.limit === 'max_commute_min');
  if (beyond.length) {
    const nearest = beyond.reduce((a, e) => (e.by < a.by ? e : a));
    // Whole minutes above the nearest town's: the limit excludes only what lies beyond it.
    const m = Math.ceil(nearest.value);
    const range = state.ranges.get('max_commute_min');
    if (!range || m <= range.max) {
      const b = el('button', { type: 'button', class: 'link-button raise-limit' }, t('raiseCommuteLimit', { m, name: nearest.name }));
      b.addEventListener('click', () => {
        $('#max-commute-min').value = String(m);
        state.example = false;
        rank();
      });
      li.append(' ', b);
    }
  }
  return li;
}

function facilityName(id) {
  const f = state.facilities.get(id);
  return f ? (state.lang === 'de' ? f.label_de : f.label_en) : id;
}

function renderEmpty() {
  $('#status').textContent = '';
  $('#summary').replaceChildren(el('p', { class: 'hint' }, t('resultsEmpty')));
}

function renderResults() {
  const r = state.ranking;
  const total = r.ranked.length + r.unranked.length + new Set(r.excluded.map((e) => e.ags)).size;
  const persons = (r.ranked.length || r.unranked.length) ? state.rankingProfile.adults + (state.rankingProfile.children || []).length : 0;
  const work = r.workplaces && r.workplaces.length ? t('summaryWork', { w: r.workplaces.map((w) => w.label).join(', ') }) : '';
  const nExcluded = new Set(r.excluded.map((e) => e.ags)).size;
  $('#status').textContent = t('summary', {
    ranked: r.ranked.length, total, persons: persons === 1 ? t('persons1') : t('personsN', { n: persons }), space: fmt(r.living_space_m2, 0), work,
  });

  const summary = $('#summary');
  summary.replaceChildren();
  if (state.example) summary.append(el('p', { class: 'example-note' }, t('exampleNote')));
  const facts = el('ul', { class: 'facts' });
  if (r.commute_limit) facts.append(commuteLimitFact(r));
  if (nExcluded) facts.append(el('li', {}, el('a', { href: '#excluded' }, t('excludedN', { n: nExcluded }))));
  if (r.unranked.length) facts.append(el('li', {}, el('a', { href: '#excluded' }, t('unrankedN', { n: r.unranked.length }))));
  for (const n of r.notes || []) facts.append(el('li', { class: 'note' }, n.text));
  if (facts.children.length) summary.append(facts);

  // Criteria shares: what the score is made of.
  const crit = el('div', { class: 'criteria-used' },
    el('h3', {}, t('criteriaUsed')),
    el('p', { class: 'hint small' }, t('criteriaUsedHint')));
  const bars = el('ul', { class: 'share-list' });
  for (const c of r.criteria.filter((c) => c.available && c.weight > 0).sort((a, b) => b.share - a.share)) {
    const fill = el('span', { class: 'share-fill' });
    fill.style.width = `${(c.share * 100).toFixed(1)}%`;
    bars.append(el('li', {}, el('span', { class: 'share-label' }, cap(c.label)), el('span', { class: 'share-bar', 'aria-hidden': 'true' }, fill), el('span', { class: 'share-value' }, `${fmt(c.share * 100, 0)} %`)));
  }
  crit.append(bars);
  summary.append(crit);

  renderList();
  renderExcluded();
  renderPlain();
}

// A town's strengths and weaknesses: criteria whose utility passes the bands of the criteria
// table (`strengths`), strongest contribution first, weakest first.
function strengthsOf(ex) {
  return ex.filter((e) => e.utility >= state.strengths.strong_from).sort((a, b) => b.contribution - a.contribution).slice(0, 3);
}
function weaknessesOf(ex) {
  return ex.filter((e) => e.utility < state.strengths.weak_below).sort((a, b) => a.utility - b.utility).slice(0, 2);
}

function plainName(criterion, fallback) {
  const n = state.plainNames[criterion];
  return n ? n[state.lang] : fallback;
}

// The easy-read view (Leichte Sprache style: short sentences, one statement each, words
// instead of figures): the explained top in plain words. Not yet checked by people who need
// easy read; the view says so.
function renderPlain() {
  const box = $('#plain-results');
  box.replaceChildren();
  const r = state.ranking;
  if (!state.plain || !r) return;
  const p = (text) => el('p', {}, text);
  box.append(el('p', { class: 'plain-note' }, t('plainNote')), el('h3', {}, t('plainHeading')), p(t('plainIntro1')), p(t('plainIntro2')));
  if (r.commute_limit) box.append(p(t('plainLimit1', { m: fmt(r.commute_limit.minutes, 0) })), p(t('plainLimit2')));
  const rows = r.ranked.filter((row) => row.explanations);
  if (!rows.length) { box.append(p(t('plainNone'))); return; }
  const sizes = new Map();
  for (const row of r.ranked) if (row.group) sizes.set(row.group, (sizes.get(row.group) || []).concat(row.rank));
  const list = el('ol', { class: 'plain-list' });
  let group = null;
  for (const row of rows) {
    const li = el('li', {});
    const ranks = row.group ? sizes.get(row.group) : null;
    if (row.group !== group && ranks && ranks.length > 1) {
      li.append(el('p', { class: 'plain-group' }, t('plainGroup', { a: Math.min(...ranks), b: Math.max(...ranks) })));
    }
    group = row.group;
    li.append(el('h4', {}, t('plainPlace', { rank: row.rank, name: row.name })));
    // A city that is its own district (AGS ending in 000) needs no sentence about it.
    if (!row.ags.endsWith('000')) li.append(p(t('plainDistrict', { name: row.name, district: row.district })));
    const ex = row.explanations.filter((e) => !e.dropped && e.utility != null && e.weight > 0);
    const names = (list) => list.map((e) => plainName(e.criterion, e.label)).join(', ');
    const strong = strengthsOf(ex);
    const weak = weaknessesOf(ex);
    if (strong.length) li.append(p(t('plainStrong', { list: names(strong) })));
    if (weak.length) li.append(p(t('plainWeak', { list: names(weak) })));
    const rent = row.explanations.find((e) => e.criterion === 'affordability' && e.value != null);
    if (rent) li.append(p(t('plainRent', { eur: fmt(Math.round(rent.value / 10) * 10, 0) })), p(t('plainRentWhat')));
    const more = el('button', { type: 'button', class: 'link-button' }, t('plainMore', { name: row.name }));
    more.addEventListener('click', () => showDetail(row.ags));
    li.append(more);
    list.append(li);
  }
  box.append(list);
}

function setPlain(on) {
  state.plain = on;
  document.body.classList.toggle('plain-view', on);
  $('#plain-switch').setAttribute('aria-pressed', String(on));
  renderPlain();
  // On a phone the results lie below the form: bring the easy-read text into view.
  if (on && state.ranking) $('#results-heading').focus();
}

function renderList() {
  const r = state.ranking;
  const list = $('#results');
  list.replaceChildren();
  const rows = r.ranked.slice(0, state.shown);
  const lo = r.ranked.length ? r.ranked[r.ranked.length - 1].score : 0;
  const hi = r.ranked.length ? r.ranked[0].score : 100;
  // Rows whose rank intervals overlap share a group: a header on its first row, a bracket on
  // all of them (one <li> per municipality stays).
  const sizes = new Map();
  for (const row of r.ranked) if (row.group) sizes.set(row.group, (sizes.get(row.group) || 0) + 1);
  let group;
  for (const row of rows) {
    const li = resultItem(row, lo, hi);
    if (row.group) {
      const n = sizes.get(row.group);
      li.classList.add('in-group', row.group % 2 ? 'group-odd' : 'group-even');
      if (row.group !== group) {
        li.prepend(el('p', { class: 'group-head', title: n > 1 ? t('groupTitle') : '' },
          t(n > 1 ? 'group' : 'groupOne', { g: row.group, n })));
      }
      group = row.group;
    }
    list.append(li);
  }
  const more = $('#show-more');
  more.hidden = state.shown >= r.ranked.length;
}

function resultItem(row, lo, hi) {
  const r = state.ranking;
  const li = el('li', { class: 'result', 'data-ags': row.ags, id: `r-${row.ags}` });
  if (row.ags === state.selected) li.classList.add('selected');
  const nameId = `name-${row.ags}`;
  const check = el('input', { type: 'checkbox', class: 'pick', 'aria-label': t('compareSelect', { name: row.name }), checked: state.picked.has(row.ags) });
  check.addEventListener('change', () => {
    if (check.checked) state.picked.add(row.ags); else state.picked.delete(row.ags);
    updateCompareBar();
  });
  const nameButton = el('button', { type: 'button', class: 'name-button', id: nameId, 'aria-describedby': `score-${row.ags}` }, row.name);
  nameButton.addEventListener('click', () => showDetail(row.ags));
  const head = el('div', { class: 'result-head' },
    el('span', { class: 'rank' }, el('span', { class: 'visually-hidden' }, t('rankN', { n: row.rank })), el('span', { 'aria-hidden': 'true' }, String(row.rank))),
    el('div', { class: 'result-name' }, nameButton, el('span', { class: 'district' }, row.district)),
    el('label', { class: 'pick-label', title: t('compareSelect', { name: row.name }) }, check, el('span', { class: 'pick-text' }, t('compare'))));
  const fill = el('span', { class: 'score-fill' });
  fill.style.width = `${Math.max(0, Math.min(100, row.score)).toFixed(1)}%`;
  fill.style.backgroundColor = colourFor(row.score, lo, hi);
  const bar = el('div', { class: 'score-line' },
    el('span', { class: 'score-bar', role: 'img', 'aria-label': t('scoreOf', { s: fmt(row.score, 0) }) }, fill),
    el('span', { class: 'score', id: `score-${row.ags}` }, `${fmt(row.score, 0)}`, el('span', { class: 'score-unit' }, ` / 100`)));
  li.append(head, bar);

  // Strengths and weaknesses at a glance, from the explained criteria.
  if (row.explanations && row.explanations.length) {
    const ex = row.explanations.filter((e) => !e.dropped && e.utility != null && e.weight > 0);
    const strong = strengthsOf(ex);
    const weak = weaknessesOf(ex);
    const parts = [];
    if (strong.length) parts.push(el('span', { class: 'strong' }, t('strong', { list: strong.map((e) => e.label).join(', ') })));
    if (weak.length) parts.push(el('span', { class: 'weak' }, t('weak', { list: weak.map((e) => e.label).join(', ') })));
    if (parts.length) li.append(el('p', { class: 'highlights' }, ...parts));
  }

  // No <li> inside a result: `#results li` is one per municipality.
  const flags = el('div', { class: 'flags', role: 'list' });
  if (row.top_k_share !== undefined && row.rank_interval && r.robustness) {
    const rb = r.robustness;
    const p = Math.round(row.top_k_share * 100);
    const [lo, hi] = row.rank_interval;
    // The estimates' error is drawn uniform in ±2 × its mean absolute error.
    const title = t('robustTitle', { draws: fmt(rb.draws, 0), c: Math.round(rb.commute_error * 200), r: Math.round(rb.rent_error * 200), lo, hi });
    flags.append(el('span', { role: 'listitem', class: `flag ${p >= 80 ? 'good' : p >= 40 ? 'mid' : 'weak'}`, title },
      t(lo === hi ? 'robustOne' : 'robust', { k: rb.k, p, lo, hi })));
  }
  if (row.pareto_optimal) flags.append(el('span', { role: 'listitem', class: 'flag good', title: t('paretoTitle') }, t('pareto')));
  if (row.dominated_by) {
    const d = row.dominated_by;
    flags.append(el('span', { role: 'listitem', class: 'flag weak', title: t('dominatedTitle') }, t('dominated', { name: d.name, rank: d.rank })));
  }
  if (row.weight_coverage < 0.999) flags.append(el('span', { role: 'listitem', class: 'flag mid', title: t('coverageTitle') }, t('coverage', { p: Math.round(row.weight_coverage * 100) })));
  if (flags.children.length) li.append(flags);

  const why = el('details', { class: 'why' }, el('summary', {}, t('why')));
  const body = el('div', { class: 'why-body' });
  why.append(body);
  if (row.explanations && row.explanations.length) {
    body.append(explanationList(row.explanations, row.score));
    if (row.rank <= (isPhone() ? 1 : 3)) why.open = true;
  } else {
    why.addEventListener('toggle', async () => {
      if (!why.open || body.dataset.loaded) return;
      body.dataset.loaded = '1';
      body.append(el('p', { class: 'hint small' }, t('whyLoading')));
      const ex = await explainOne(row.ags);
      body.replaceChildren(ex ? explanationList(ex, row.score) : el('p', { class: 'hint' }, '–'));
    });
  }
  li.append(why);
  return li;
}

// Explanations for a municipality the ranking did not explain, for the profile it was ranked
// with (the API's explain endpoint explains any one town).
async function explainOne(ags) {
  if (state.explainCache.has(ags)) return state.explainCache.get(ags);
  if (!state.rankingProfile) return null;
  try {
    const answer = await api(`/api/v1/municipalities/${encodeURIComponent(ags)}/explain`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(state.rankingProfile),
    });
    const ex = answer.municipality ? withCriteria(answer.municipality.explanations, answer.criteria) : null;
    state.explainCache.set(ags, ex);
    return ex;
  } catch (e) {
    return null;
  }
}

// An answer carries each criterion's label, weight, unit, median, estimate flag, method and
// median texts and parts (labels, indicators, units, medians) once, in its `criteria`; a row's
// explanation only what differs. Joined here, so the page reads one object per explanation.
function withCriteria(explanations, criteria) {
  const byId = new Map((criteria || []).map((c) => [c.criterion, c]));
  return (explanations || []).map((e) => {
    const c = byId.get(e.criterion);
    if (!c) return e;
    const info = c.parts || [];
    return {
      ...e,
      label: c.label, weight: c.weight, unit: c.unit || '', median: c.median ?? null,
      median_text: c.median_text || '', method_text: c.method_text || '',
      resolution: c.resolution ?? null, estimate: Boolean(c.estimate),
      value: e.value ?? null, utility: e.utility ?? null, contribution: e.contribution ?? null, dropped: Boolean(e.dropped),
      // A part entered the utility when it has a value and its role is `scored`.
      parts: (e.parts || []).map((p, i) => {
        const shared = info[i] && info[i].part === p.part ? info[i] : {};
        return { ...shared, ...p, used: p.value != null && (shared.role || 'scored') === 'scored' };
      }),
    };
  });
}

function explanationSources(e) {
  if (e.sources && e.sources.length) {
    const ids = e.sources.map((s) => (typeof s === 'string' ? s : s.id));
    return { ids, date: e.reference_date || '' };
  }
  const own = e.parts || [];
  let indicators = own.filter((p) => p.indicator && p.used).map((p) => p.indicator);
  if (!indicators.length) {
    // A criterion told by its headline figure names no scored part: read the indicators it
    // scores from the criteria table.
    const parts = state.criteriaParts.get(e.criterion);
    const car = !state.rankingProfile || state.rankingProfile.car !== false;
    if (parts) indicators = [...(car ? parts.car : parts.noCar)];
  }
  // Data shown beside the score (not scored) is cited too.
  for (const p of own) {
    if (p.indicator && p.role === 'shown' && p.value != null && !indicators.includes(p.indicator)) indicators.push(p.indicator);
  }
  let ids = [];
  const dates = [];
  for (const id of indicators) {
    const meta = state.indicatorMeta.get(id);
    if (!meta) continue;
    for (const s of meta.sources) if (!ids.includes(s)) ids.push(s);
    if (meta.reference_date && !dates.includes(meta.reference_date)) dates.push(meta.reference_date);
  }
  // The commute is lotse's estimate from where people live (population grid) to the workplace.
  if (!ids.length && e.criterion === 'commute') ids = ['population_grid', 'vg250'];
  // Grid and boundaries only place the figures; name them only when nothing else is left.
  const main = ids.filter((s) => s !== 'vg250' && s !== 'population_grid');
  return { ids: main.length ? main : ids, date: dates.join('; ') };
}

// A small "Source" button: the source shows on hover (title) and, for touch and keyboard, on
// press, right after the sentence.
function sourceToggle(text) {
  const note = el('span', { class: 'src-text', hidden: true }, text);
  const b = el('button', { type: 'button', class: 'src', title: text, 'aria-expanded': 'false' }, t('source'));
  b.addEventListener('click', () => {
    const open = note.hidden;
    note.hidden = !open;
    b.setAttribute('aria-expanded', String(open));
  });
  return el('span', { class: 'src-wrap' }, b, note);
}

// What every town's sentence of a criterion is read against: how the estimate is made and
// the medians (the answer carries them once per criterion).
function readingText(x) {
  return [x.method_text, x.median_text].filter(Boolean).map(cap).join(' · ');
}

function readingAid(e) {
  const text = readingText(e);
  return text ? el('span', { class: 'reading-aid' }, text) : null;
}

function explanationList(explanations, score) {
  const ul = el('div', { class: 'explanations', role: 'list' });
  const arithmetic = !state.ranking || state.ranking.aggregation !== 'geometric';
  const sorted = [...explanations].sort((a, b) => (b.contribution ?? -1) - (a.contribution ?? -1));
  for (const e of sorted) {
    const u = e.utility;
    const ubar = el('span', { class: 'utility-bar', 'aria-hidden': 'true' }, el('span', { class: 'utility-fill' }));
    ubar.firstChild.style.width = `${u == null ? 0 : Math.max(2, u)}%`;
    const src = explanationSources(e);
    const srcTitle = src.ids.length ? sourceText(src.ids, src.date) : '';
    const li = el('div', { role: 'listitem', class: `explanation${e.dropped ? ' dropped' : ''}`, 'data-criterion': e.criterion },
      el('span', { class: 'crit' }, e.label, e.estimate ? el('span', { class: 'badge', title: t('estimate') }, t('estimate')) : null),
      ubar,
      el('span', { class: 'pts', title: e.contribution == null ? '' : t('pointsTitle', { p: fmt(e.contribution, 1), s: fmt(score, 0), w: fmt(e.weight, 0), u: fmt(u ?? 0, 0) }) },
        e.dropped || e.contribution == null ? '–' : arithmetic ? t('points', { p: '+' + fmt(e.contribution, 1) }) : `× ${fmt(e.contribution, 2)}`),
      el('span', { class: 'sentence' }, e.dropped ? `${e.sentence} (${t('dropped')})` : e.sentence,
        srcTitle ? sourceToggle(srcTitle) : null, readingAid(e)));
    ul.append(li);
  }
  return ul;
}

function renderExcluded() {
  const r = state.ranking;
  const box = $('#excluded');
  box.replaceChildren();
  const byAgs = new Map();
  for (const ex of r.excluded) {
    if (!byAgs.has(ex.ags)) byAgs.set(ex.ags, []);
    byAgs.get(ex.ags).push(ex);
  }
  if (byAgs.size) {
    const d = el('details', { class: 'excluded-list' }, el('summary', {}, t('excludedHeading', { n: byAgs.size })));
    const ul = el('ul', {});
    const miss = (list) => Math.max(...list.map((x) => (x.threshold ? x.by / Math.abs(x.threshold) : x.by)));
    const sorted = [...byAgs].sort((a, b) => miss(a[1]) - miss(b[1]));
    for (const [ags, list] of sorted) {
      const b = el('button', { type: 'button', class: 'link-button' }, list[0].name);
      b.addEventListener('click', () => showDetail(ags));
      ul.append(el('li', {}, b, ': ', list.map(exclusionText).join('; ')));
    }
    d.append(ul);
    box.append(d);
  }
  if (r.unranked.length) {
    const d = el('details', { class: 'excluded-list' }, el('summary', {}, t('unrankedHeading', { n: r.unranked.length })));
    const ul = el('ul', {});
    for (const u of r.unranked) {
      const b = el('button', { type: 'button', class: 'link-button' }, u.name);
      b.addEventListener('click', () => showDetail(u.ags));
      ul.append(el('li', {}, b, ': ', t('unrankedWhy', { name: '', p: Math.round(u.weight_coverage * 100) }).replace(/^: /, '')));
    }
    d.append(ul);
    box.append(d);
  }
}

// ------------------------------------------------------------------------------------------
// Map
// ------------------------------------------------------------------------------------------

const COS51 = Math.cos((51 * Math.PI) / 180);

function drawMap(geo) {
  const canvas = $('#map-canvas');
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const project = ([lon, lat]) => [lon * COS51, -lat];
  for (const f of geo.features) {
    for (const poly of f.geometry.coordinates) for (const ring of poly) for (const pt of ring) {
      const [x, y] = project(pt);
      if (x < minX) minX = x; if (x > maxX) maxX = x; if (y < minY) minY = y; if (y > maxY) maxY = y;
    }
  }
  const W = 1000;
  const k = W / (maxX - minX);
  const H = Math.ceil((maxY - minY) * k);
  const P = (pt) => { const [x, y] = project(pt); return [((x - minX) * k).toFixed(1), ((y - minY) * k).toFixed(1)]; };
  state.projectPoint = (lat, lon) => P([lon, lat]);
  const root = svg('svg', { viewBox: `-4 -4 ${W + 8} ${H + 8}`, role: 'img', 'aria-labelledby': 'map-title', preserveAspectRatio: 'xMidYMid meet' });
  const defs = svg('defs');
  const pat = svg('pattern', { id: 'hatch', width: '8', height: '8', patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
  pat.append(svg('rect', { width: '8', height: '8', fill: GREY_UNRANKED }), svg('line', { x1: '0', y1: '0', x2: '0', y2: '8', stroke: '#7a7a7a', 'stroke-width': '3' }));
  defs.append(pat);
  root.append(defs);
  const g = svg('g', { class: 'municipalities' });
  for (const f of geo.features) {
    let d = '';
    for (const poly of f.geometry.coordinates) {
      for (const ring of poly) {
        d += 'M' + ring.map((pt) => P(pt).join(',')).join('L') + 'Z';
      }
    }
    const path = svg('path', { d, fill: GREY_NONE, 'data-ags': f.properties.ags, class: 'muni' });
    const title = svg('title');
    title.textContent = f.properties.name;
    path.append(title);
    path.addEventListener('click', () => showDetail(f.properties.ags));
    state.paths.set(f.properties.ags, path);
    g.append(path);
  }
  root.append(g);
  // Orientation: the three Oberzentren's names, the workplace marker, the selection outline.
  const labels = svg('g', { class: 'map-labels', 'aria-hidden': 'true' });
  for (const m of state.municipalities.filter((m) => m.central_place === 'oberzentrum' && (m.population || 0) > 200000)) {
    const [x, y] = P([m.lon, m.lat]);
    const txt = svg('text', { x, y, class: 'city-label', 'text-anchor': 'middle', dy: '-10', 'data-ags': m.ags });
    txt.textContent = m.name;
    // A click on a city's name opens that city, as a click on its area does (the label is
    // on top of the area, and takes clicks so that nothing lies over its text).
    txt.addEventListener('click', () => showDetail(m.ags));
    labels.append(svg('circle', { cx: x, cy: y, r: '4', class: 'city-dot' }), txt);
  }
  root.append(labels);
  root.append(svg('g', { class: 'overlay', id: 'map-overlay', 'aria-hidden': 'true' }));
  canvas.replaceChildren(root);
  canvas.setAttribute('aria-label', t('mapAria'));
  renderLegend();
}

function colourMap() {
  if (!state.paths.size) return;
  const r = state.ranking;
  const lo = r && r.ranked.length ? r.ranked[r.ranked.length - 1].score : 0;
  const hi = r && r.ranked.length ? r.ranked[0].score : 100;
  const total = r ? r.ranked.length : 0;
  for (const [ags, path] of state.paths) {
    const s = state.status.get(ags);
    const m = state.byAgs.get(ags);
    const name = m ? m.name : ags;
    let fill = GREY_NONE, label = name, cls = 'muni';
    if (s && s.kind === 'ranked') {
      fill = colourFor(s.row.score, lo, hi);
      label = `${name} – ${t('detailRank', { rank: s.row.rank, total, score: fmt(s.row.score, 0) })}`;
      cls += ' ranked';
    } else if (s && s.kind === 'excluded') {
      fill = 'url(#hatch)';
      label = `${name} – ${t('detailExcluded', { reason: s.reasons.map(exclusionText).join('; ') })}`;
      cls += ' excluded';
    } else if (s && s.kind === 'unranked') {
      fill = GREY_UNRANKED;
      label = `${name} – ${t('detailUnranked')}`;
      cls += ' unranked';
    }
    if (ags === state.selected) cls += ' selected';
    path.setAttribute('fill', fill);
    path.setAttribute('class', cls);
    path.firstChild.textContent = label;
  }
  // Bring the selected outline to the front.
  const sel = state.selected && state.paths.get(state.selected);
  if (sel) sel.parentNode.append(sel);
  drawOverlay();
  renderLegend();
}

function drawOverlay() {
  const g = $('#map-overlay');
  if (!g || !state.projectPoint) return;
  g.replaceChildren();
  const r = state.ranking;
  for (const w of (r && r.workplaces) || []) {
    const [x, y] = state.projectPoint(w.lat, w.lon);
    const marker = svg('g', { class: 'work-marker', transform: `translate(${x},${y})` });
    marker.append(svg('circle', { r: '9', class: 'work-outer' }), svg('circle', { r: '3.5', class: 'work-inner' }));
    g.append(marker);
  }
}

function renderLegend() {
  const box = $('#legend');
  if (!box) return;
  box.replaceChildren();
  const r = state.ranking;
  if (!r || !r.ranked.length) {
    box.append(el('span', { class: 'hint small' }, t('legendNoData')));
  } else {
    const lo = r.ranked[r.ranked.length - 1].score;
    const hi = r.ranked[0].score;
    const w = 160, h = 12;
    const s = svg('svg', { width: String(w), height: String(h), viewBox: `0 0 ${w} ${h}`, class: 'legend-ramp', 'aria-hidden': 'true' });
    const defs = svg('defs');
    const grad = svg('linearGradient', { id: 'ramp' });
    SCALE.forEach((c, i) => grad.append(svg('stop', { offset: `${(i / (SCALE.length - 1)) * 100}%`, 'stop-color': c })));
    defs.append(grad);
    s.append(defs, svg('rect', { x: '0', y: '0', width: String(w), height: String(h), fill: 'url(#ramp)', stroke: '#555', 'stroke-width': '0.5' }));
    box.append(el('span', { class: 'legend-item' },
      el('span', { class: 'legend-num' }, `${fmt(lo, 0)} ${t('legendLow')}`), s, el('span', { class: 'legend-num' }, `${fmt(hi, 0)} ${t('legendHigh')}`)));
    const swatch = (cls, text) => el('span', { class: 'legend-item' }, el('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), text);
    if (r.unranked.length) box.append(swatch('unranked', t('legendUnranked')));
    if (r.excluded.length) box.append(swatch('excluded', t('legendExcluded')));
    if (r.workplaces && r.workplaces.length) box.append(swatch('work', t('legendWork')));
  }
  const src = $('#map-source');
  if (src) src.textContent = state.boundariesAttribution ? t('mapSource', { a: state.boundariesAttribution }) : '';
}

// ------------------------------------------------------------------------------------------
// Detail panel
// ------------------------------------------------------------------------------------------

function hideDetail() {
  state.selected = null;
  $('#detail').hidden = true;
  for (const p of $$('#map path.selected')) p.classList.remove('selected');
  for (const li of $$('#results li.selected')) li.classList.remove('selected');
}

async function showDetail(ags, opts = { focus: true }) {
  state.selected = ags;
  for (const li of $$('#results li.result')) li.classList.toggle('selected', li.dataset.ags === ags);
  for (const [a, p] of state.paths) p.classList.toggle('selected', a === ags);
  const sel = state.paths.get(ags);
  if (sel) sel.parentNode.append(sel);
  const panel = $('#detail');
  const body = $('#detail-body');
  const m = state.byAgs.get(ags);
  $('#detail-heading').textContent = m ? m.name : ags;
  panel.hidden = false;
  body.replaceChildren(el('p', { class: 'hint' }, '…'));
  let d;
  try {
    d = await api(`/api/v1/municipalities/${encodeURIComponent(ags)}?lang=${state.lang}`);
  } catch (e) {
    body.replaceChildren(el('p', { class: 'error' }, t('loadingFailed', { what: m ? m.name : ags, why: e.message })));
    return;
  }
  if (state.selected !== ags) return;
  rememberIndicatorMeta(d);
  state.detailCache.set(`${ags}|${state.lang}`, printable(d));
  $('#detail-heading').textContent = d.name;
  // The visible "×" is hidden from screen readers; the button's name is the word.
  const close = el('button', { type: 'button', class: 'icon-button close', title: t('close') },
    el('span', { 'aria-hidden': 'true' }, '×'), el('span', { class: 'visually-hidden' }, t('close')));
  close.addEventListener('click', () => { const back = $(`#name-${ags}`); hideDetail(); if (back) back.focus(); });
  const facts = [d.district];
  const pop = d.indicators.find((i) => i.id === 'population');
  if (pop && pop.value != null) facts.push(`${fmt(pop.value, 0)} ${t('population')}`);
  if (d.central_place) facts.push(t(d.central_place));
  const parts = [close, el('p', { class: 'detail-facts' }, facts.join(' · '))];

  // Where it stands in the current ranking, and why.
  const s = state.status.get(ags);
  if (s) {
    const total = state.ranking.ranked.length;
    if (s.kind === 'ranked') parts.push(el('p', { class: 'detail-status' }, t('detailRank', { rank: s.row.rank, total, score: fmt(s.row.score, 0) })));
    else if (s.kind === 'excluded') parts.push(el('p', { class: 'detail-status excluded' }, t('detailExcluded', { reason: s.reasons.map(exclusionText).join('; ') })));
    else parts.push(el('p', { class: 'detail-status' }, t('detailUnranked')));
    if (s.kind === 'ranked') {
      const ex = s.row.explanations && s.row.explanations.length ? s.row.explanations : await explainOne(ags);
      if (state.selected !== ags) return;
      // Open unless the list already shows them open.
      const inList = Boolean(document.querySelector(`#r-${ags} details.why[open]`));
      if (ex) parts.push(el('details', { class: 'detail-reasons', open: !inList }, el('summary', {}, t('detailReasons')), explanationList(ex, s.row.score)));
    }
  }

  parts.push(placesSection(d));

  // Help contacts: the district's, then (folded) those for all of Saxony.
  const help = el('section', { class: 'help', 'aria-labelledby': `help-${ags}` }, el('h4', { id: `help-${ags}` }, t('help')), el('p', { class: 'hint small' }, t('helpHint')));
  const hl = el('ul', { class: 'help-list' });
  for (const h of d.help || []) hl.append(helpItem(h));
  if (!hl.children.length) help.append(el('p', { class: 'hint' }, t('noHelp')));
  else help.append(hl);
  const statewide = d.statewide_help || [];
  if (statewide.length) {
    const sl = el('ul', { class: 'help-list statewide' });
    for (const h of statewide) sl.append(helpItem(h));
    help.append(el('details', {}, el('summary', {}, t('helpStatewide')), sl));
  }
  parts.push(help);

  // Every indicator with its value or the reason it is missing, and its sources as footnotes.
  const used = [];
  const note = (id) => { let i = used.indexOf(id); if (i < 0) { used.push(id); i = used.length - 1; } return i + 1; };
  const table = el('table', { class: 'figures' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('indicator')), el('th', { scope: 'col' }, t('value')), el('th', { scope: 'col' }, t('source')))));
  const tb = el('tbody');
  for (const i of d.indicators) {
    const srcIds = i.sources.filter((x) => x !== 'vg250' && x !== 'population_grid');
    const ids = srcIds.length ? srcIds : i.sources;
    const title = `${sourceText(i.sources, i.reference_date)}\n${t('method', { m: i.method })}`;
    const level = i.resolution === 'district' ? t('districtFigure') : i.resolution === 'association' ? t('associationFigure') : '';
    const val = i.value == null
      ? el('td', { class: 'missing' }, `${t('missing')}: ${i.missing || ''}`)
      : el('td', { class: 'num' }, valueWithUnit(i.value, i.unit), i.estimate ? el('span', { class: 'badge' }, t('estimate')) : null, level ? el('span', { class: 'level' }, level) : null);
    tb.append(el('tr', { class: 'indicator', 'data-indicator': i.id, title },
      el('th', { scope: 'row' }, i.label), val,
      el('td', { class: 'fn' }, ids.map((id) => `[${note(id)}]`).join(' '), el('span', { class: 'date' }, i.reference_date))));
  }
  table.append(tb);
  const fig = el('details', { class: 'figures-box' },
    el('summary', {}, t('figures', { name: d.name, n: d.indicators.length })),
    el('p', { class: 'hint small' }, t('figuresHint')),
    el('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': t('figures', { name: d.name, n: d.indicators.length }) }, table));
  const srcList = el('ol', { class: 'footnotes' });
  for (const id of used) {
    const src = state.sourceById.get(id) || (d.sources || []).find((x) => x.id === id) || { id, title: id, publisher: '', licence: '', attribution: '' };
    srcList.append(el('li', { id: `fn-${ags}-${id}` },
      el('strong', {}, src.publisher || src.id), ': ', sourceTitle(src),
      src.reference_date ? ` (${t('refDate', { d: src.reference_date })})` : '',
      src.licence ? ` · ${src.licence}` : '',
      src.licence_confirmed === false ? el('span', { class: 'badge warn' }, t('licenceUnconfirmed')) : null,
      src.attribution ? el('span', { class: 'attribution' }, ` — ${src.attribution}`) : null));
  }
  fig.append(el('h4', {}, t('sources')), srcList);
  parts.push(fig);
  body.replaceChildren(...parts);
  if (opts.focus) {
    panel.scrollIntoView({ block: 'nearest' });
    $('#detail-heading').focus({ preventScroll: true });
  }
}

// The named places nearest where the town's people live: the station with its DB category, then
// per category the nearest three (name, town, km) or why there are none, each category marked
// with the number of its source in the list at the end.
function placesSection(d) {
  const id = `places-${d.ags}`;
  const box = el('section', { class: 'places', 'aria-labelledby': id },
    el('h4', { id }, t('places')), el('p', { class: 'hint small' }, t('placesHint', { name: d.name })));
  const cited = [];
  const mark = (src) => { let i = cited.indexOf(src); if (i < 0) { cited.push(src); i = cited.length - 1; } return `[${i + 1}]`; };
  const list = el('dl', { class: 'places-list' });
  if (d.station) {
    // The DB station list names it; the DB master data gives its category.
    const known = (x) => state.sourceById.has(x) || (d.sources || []).some((s) => s.id === x);
    const srcIds = ['rail_stations', d.station_category ? 'rail_station_categories' : null].filter((x) => x && known(x));
    list.append(el('dt', {}, t('station')),
      el('dd', {}, el('span', { class: 'place-name' }, d.station.name),
        el('span', { class: 'place-km' }, km(d.station.distance_km)),
        d.station_category ? el('span', { class: 'place-kind' }, d.station_category) : null,
        el('span', { class: 'place-src' }, srcIds.map(mark).join(' '))));
  }
  // Kitas say where they are not mapped; other categories mapped only in a city or two are named
  // together at the end, so they do not crowd out what is there.
  const unmapped = [];
  for (const g of d.places || []) {
    if (g.not_mapped && g.category !== 'childcare') { unmapped.push(g.label); continue; }
    const dd = el('dd', {});
    if (g.not_mapped) {
      dd.classList.add('missing');
      dd.append(t('notMapped', { why: g.not_mapped }));
    } else if (!g.nearest.length) {
      dd.classList.add('missing');
      dd.append(t('noneInReach', { km: fmt(g.max_km, 0) }));
    } else {
      const ol = el('ol', { class: 'place-items' });
      for (const p of g.nearest) {
        ol.append(el('li', {},
          el('span', { class: 'place-name' }, p.name),
          p.ags !== d.ags ? el('span', { class: 'place-town' }, `(${p.town})`) : null,
          el('span', { class: 'place-km' }, km(p.distance_km))));
      }
      dd.append(ol, el('span', { class: 'place-src' }, [...new Set(g.nearest.map((p) => p.source))].map(mark).join(' ')));
    }
    list.append(el('dt', {}, g.label), dd);
  }
  if (unmapped.length) list.append(el('dt', {}, t('notMappedHead')), el('dd', { class: 'missing' }, t('notMappedOthers', { what: unmapped.join(', ') })));
  if (!list.children.length) {
    box.append(el('p', { class: 'hint' }, t('placesNone')));
    return box;
  }
  box.append(list);
  const srcList = el('ol', { class: 'footnotes', 'aria-label': t('placesSources') });
  for (const sid of cited) {
    const src = (d.sources || []).find((x) => x.id === sid) || state.sourceById.get(sid) || { id: sid, title: sid };
    srcList.append(el('li', {}, el('strong', {}, src.publisher || src.id), ': ', sourceTitle(src),
      src.reference_date ? ` (${t('refDate', { d: src.reference_date })})` : '',
      src.licence ? ` · ${src.licence}` : '',
      src.attribution ? ` — ${src.attribution}` : ''));
  }
  box.append(el('details', { class: 'places-sources' }, el('summary', {}, t('placesSources')), srcList));
  return box;
}

function helpItem(h) {
  const kinds = I18N[state.lang].kinds;
  const kind = kinds[h.kind] || h.kind.replace(/_/g, ' ');
  // The street address where the source records one (the detail carries it), with the town.
  const where = h.address ? (h.town && !h.address.includes(h.town) ? `${h.address}, ${h.town}` : h.address) : h.town;
  return el('li', { class: 'help-item' },
    el('span', { class: 'help-kind' }, kind),
    el('span', { class: 'help-name' }, h.name),
    where ? el('span', { class: 'help-town', title: h.address ? t('addressTitle') : null }, where) : null,
    h.website ? el('a', { href: h.website, rel: 'noopener noreferrer', target: '_blank' }, t('website')) : null,
    h.inferred ? el('span', { class: 'badge warn', title: t('inferredTitle') }, t('inferred')) : null);
}

// For the printed handout: the help contacts of the top 10's districts and of all of Saxony,
// once each (the API carries them once, in `help` and `statewide_help`).
// For the printed handout: how each criterion's figures are estimated and the medians they are
// read against, once (on screen they stand under every town's sentence, which in print would
// repeat them ten times).
function renderPrintReading() {
  const box = $('#print-reading');
  const r = state.ranking;
  box.replaceChildren();
  if (!r) return;
  const dl = el('dl', { class: 'print-reading-list' });
  for (const c of r.criteria || []) {
    const text = readingText(c);
    if (!c.share || !text) continue;
    dl.append(el('dt', {}, cap(c.label)), el('dd', {}, text));
  }
  if (dl.children.length) box.append(el('h3', {}, t('printReading')), dl);
}

function renderPrintHelp() {
  const box = $('#print-help');
  const r = state.ranking;
  box.replaceChildren();
  if (!r) return;
  const seen = new Set();
  const ul = el('ul', { class: 'help-list' });
  for (const row of r.ranked.slice(0, 10)) {
    for (const h of row.help || []) {
      if (seen.has(h.name)) continue;
      seen.add(h.name);
      ul.append(helpItem(h));
    }
  }
  for (const h of r.statewide_help || []) {
    if (!seen.has(h.name)) { seen.add(h.name); ul.append(helpItem(h)); }
  }
  if (seen.size) box.append(el('h3', {}, t('printHelp')), ul);
}

// For the printed handout: the nearest Kita and schools of each of the top 10, from their details
// (fetched when the handout is asked for, kept per town and language).
const PRINT_PLACES = ['childcare', 'primary_school', 'oberschule', 'gymnasium'];

// What the handout needs of a detail (the rest, every figure, is not kept).
function printable(d) {
  return { ags: d.ags, name: d.name, station: d.station, places: (d.places || []).filter((g) => PRINT_PLACES.includes(g.category)) };
}

async function preparePrintPlaces() {
  const r = state.ranking;
  if (!r) return;
  const want = r.ranked.slice(0, 10).map((row) => row.ags).filter((a) => !state.detailCache.has(`${a}|${state.lang}`));
  const lang = state.lang;
  await Promise.all(want.map(async (a) => {
    try {
      state.detailCache.set(`${a}|${lang}`, printable(await api(`/api/v1/municipalities/${encodeURIComponent(a)}?lang=${lang}`)));
    } catch (e) { /* the handout then names no places for this town */ }
  }));
  renderPrintPlaces();
}

function renderPrintPlaces() {
  let box = $('#print-places');
  if (!box) {
    box = el('section', { id: 'print-places', class: 'print-only', 'aria-hidden': 'true' });
    $('#print-help').before(box);
  }
  box.replaceChildren();
  const r = state.ranking;
  if (!r) return;
  const ul = el('ul', { class: 'print-places-list' });
  for (const row of r.ranked.slice(0, 10)) {
    const d = state.detailCache.get(`${row.ags}|${state.lang}`);
    if (!d) continue;
    const items = (d.places || []).filter((g) => PRINT_PLACES.includes(g.category)).map((g) => {
      const p = g.nearest[0];
      if (p) return `${g.label}: ${p.name}${p.ags !== d.ags ? ` (${p.town})` : ''} ${km(p.distance_km)}`;
      return `${g.label}: ${g.not_mapped ? t('printNotMapped') : t('noneInReach', { km: fmt(g.max_km, 0) })}`;
    });
    if (d.station) items.push(`${t('station')}: ${d.station.name} ${km(d.station.distance_km)}`);
    if (items.length) ul.append(el('li', {}, el('strong', {}, `${row.rank}. ${d.name}`), ' – ', items.join(' · ')));
  }
  if (ul.children.length) box.append(el('h3', {}, t('printPlaces')), ul);
}

function rememberIndicatorMeta(d) {
  for (const i of d.indicators) {
    state.indicatorMeta.set(i.id, { sources: i.sources, reference_date: i.reference_date, method: i.method });
  }
}

// ------------------------------------------------------------------------------------------
// Compare
// ------------------------------------------------------------------------------------------

function updateCompareBar() {
  const n = state.picked.size;
  const bar = $('#compare-bar');
  bar.hidden = n === 0;
  // A skip link to the compare bar once towns are picked: otherwise it is many Tab presses away.
  $('#skip-compare').hidden = n === 0;
  $('#compare-count').textContent = t('comparePick', { n });
  const b = $('#compare-button');
  b.textContent = t('compareN', { n });
  b.disabled = n < 2 || n > 6;
}

async function runCompare(opts = { focus: true }) {
  const ags = [...state.picked];
  const section = $('#compare-section');
  const body = $('#compare-body');
  section.hidden = false;
  body.replaceChildren(el('p', { class: 'hint' }, '…'));
  let c;
  try {
    c = await api('/api/v1/compare', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ags, profile: state.rankingProfile || buildProfile() }),
    });
  } catch (e) {
    body.replaceChildren(el('p', { class: 'error', role: 'alert' }, e.message));
    return;
  }
  const ms = c.municipalities;
  for (const m of ms) m.explanations = withCriteria(m.explanations, c.criteria);
  const table = el('table', { class: 'compare-table' });
  const head = el('tr', {}, el('th', { scope: 'col' }, t('criterion')));
  for (const m of ms) {
    const b = el('button', { type: 'button', class: 'link-button' }, m.name);
    b.addEventListener('click', () => showDetail(m.ags));
    head.append(el('th', { scope: 'col' }, b, el('span', { class: 'district' }, m.district)));
  }
  table.append(el('thead', {}, head));
  const tb = el('tbody');
  const statusRow = el('tr', { class: 'status-row' }, el('th', { scope: 'row' }, t('status')));
  for (const m of ms) {
    const st = m.status || {};
    const txt = st.status === 'ranked' ? t('statusRanked', { rank: st.rank, score: fmt(st.score, 0) }) : st.status === 'excluded' ? t('statusExcluded') : t('statusUnranked');
    // An excluded town says why, in the sentences the API words for it.
    const why = st.status === 'excluded' && st.reasons && st.reasons.length ? el('ul', { class: 'compare-reasons' }, ...st.reasons.map((r) => el('li', {}, r))) : null;
    statusRow.append(why ? el('td', { 'data-town': m.name }, txt, why) : el('td', { 'data-town': m.name }, txt));
  }
  tb.append(statusRow);
  for (const crit of c.criteria.filter((x) => x.available && x.weight > 0)) {
    const tr = el('tr', {}, el('th', { scope: 'row' }, cap(crit.label), el('span', { class: 'weight-note' }, ` (${fmt(crit.weight, 0)})`), readingAid(crit)));
    const utils = ms.map((m) => (m.explanations.find((e) => e.criterion === crit.criterion) || {}).utility);
    const best = Math.max(...utils.filter((u) => u != null));
    ms.forEach((m) => {
      const e = m.explanations.find((x) => x.criterion === crit.criterion);
      if (!e) { tr.append(el('td', { 'data-town': m.name }, '–')); return; }
      const src = explanationSources(e);
      const title = [e.sentence, src.ids.length ? sourceText(src.ids, src.date) : ''].filter(Boolean).join('\n');
      const ubar = el('span', { class: 'utility-bar', 'aria-hidden': 'true' }, el('span', { class: 'utility-fill' }));
      ubar.firstChild.style.width = `${e.utility == null ? 0 : Math.max(2, e.utility)}%`;
      tr.append(el('td', { title, 'data-town': m.name, class: e.utility != null && e.utility === best ? 'best' : '' },
        el('span', { class: 'raw' }, e.value != null ? valueWithUnit(e.value, e.unit) : ''),
        el('span', { class: 'util' }, ubar, e.utility == null ? '–' : `${fmt(e.utility, 0)}/100`),
        el('span', { class: 'sentence small' }, e.sentence)));
    });
    tb.append(tr);
  }
  table.append(tb);
  body.replaceChildren(el('p', { class: 'hint' }, t('compareIntro')), el('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'compare-heading' }, table));
  for (const n of c.notes || []) body.append(el('p', { class: 'hint small' }, n.text));
  if (opts.focus) {
    section.scrollIntoView({ block: 'start' });
    $('#compare-heading').focus({ preventScroll: true });
  }
}

// ------------------------------------------------------------------------------------------
// Footer credits
// ------------------------------------------------------------------------------------------

function renderCredits() {
  const credits = [];
  if (state.boundariesAttribution) credits.push(state.boundariesAttribution);
  for (const s of state.sources) if (s.attribution && !credits.includes(s.attribution)) credits.push(s.attribution);
  // Leave out a credit that another one already contains.
  const shown = credits.filter((a, i) => !credits.some((b, j) => j !== i && b.length > a.length && b.includes(a)));
  $('#credits').textContent = shown.join(' · ');
  const unconfirmed = state.sources.filter((s) => s.licence_confirmed === false).map(sourceTitle);
  $('#credits-unconfirmed').textContent = unconfirmed.length ? t('unconfirmed', { list: unconfirmed.join('; ') }) : '';
}

// ------------------------------------------------------------------------------------------
// Start
// ------------------------------------------------------------------------------------------

// The default commute limit under its field, from the criteria table (the page keeps no copy).
function renderCommuteLimitHint() {
  const hint = $('#max-commute-min-hint');
  if (!hint) return;
  hint.hidden = !state.veto;
  if (state.veto) hint.textContent = t('maxCommuteMinHint', { m: fmt(state.veto.commute_default_min, 0) });
}

async function loadCriteria() {
  try {
    const c = await api('/api/v1/criteria');
    for (const x of c.criteria) {
      // The indicators a criterion scores (parts only shown beside the score are not).
      const ind = (side) => (x.parts || []).filter((p) => p.role !== 'shown').flatMap((p) => (p[side] && p[side].indicators) || []);
      state.criteriaParts.set(x.id, { car: ind('with_car'), noCar: ind('without_car') });
    }
    state.criteria = c.criteria.map((x) => ({
      id: x.id, label_de: x.label_de, label_en: x.label_en,
      default_weight: x.default_weight, default_weight_without_car: x.default_weight_without_car,
      switch_on: x.switch_on,
    }));
    state.facilities = new Map((c.facilities || []).map((f) => [f.id, f]));
    state.ranges = new Map((c.profile_ranges || []).map((r) => [r.field, r]));
    state.veto = c.veto || null;
    if (c.strengths) state.strengths = c.strengths;
    state.plainNames = c.plain_names || {};
    applyRanges();
    renderCommuteLimitHint();
  } catch (e) {
    $('#weights').replaceChildren(el('p', { class: 'hint' }, t('loadingFailed', { what: 'criteria', why: e.message })));
  }
}

// ------------------------------------------------------------------------------------------
// The profile in the page's address: a result can be kept, shared and reloaded
// ------------------------------------------------------------------------------------------

const HASH_KEY = 'profile=';

// The profile a page address carries (`#profile=<JSON>`), or null.
function profileFromAddress() {
  const h = location.hash.replace(/^#/, '');
  if (!h.startsWith(HASH_KEY)) return null;
  try {
    const p = JSON.parse(decodeURIComponent(h.slice(HASH_KEY.length)));
    return p && typeof p === 'object' && !Array.isArray(p) ? p : null;
  } catch {
    return null;
  }
}

// Puts the ranked profile into the address: a new history entry, or (`replace`, e.g. the
// same ranking in another language) the current one.
function rememberInAddress(profile, replace) {
  const hash = '#' + HASH_KEY + encodeURIComponent(JSON.stringify(profile));
  if (location.hash === hash) return;
  if (replace) history.replaceState(null, '', hash);
  else history.pushState(null, '', hash);
}

// Fills the form from a profile (the page's own fields; anything else is left as it is).
function fillForm(p) {
  const set = (id, v) => { $(id).value = v == null ? '' : String(v); };
  set('#adults', p.adults ?? 2);
  children.length = 0;
  for (const a of Array.isArray(p.children) ? p.children : []) children.push(a);
  set('#rent-budget', p.rent_budget_eur);
  $('#rent-basis').value = p.rent_budget_basis === 'warm' ? 'warm' : 'cold';
  set('#income', p.income_eur);
  set('#living-space', p.living_space_m2);
  const w = Array.isArray(p.workplace) ? p.workplace[0] : p.workplace;
  const m = typeof w === 'string' || typeof w === 'number' ? state.byAgs.get(String(w).padStart(8, '0')) : null;
  set('#workplace', m ? m.name : (typeof w === 'string' ? w : ''));
  set('#max-commute', p.max_commute_km);
  set('#max-commute-min', p.max_commute_min);
  for (const r of $$('input[name=car]')) r.checked = r.value === (p.car === false ? 'no' : 'yes');
  $('#rent-must').checked = Boolean(p.must && p.must.rent_within_budget);
  $('#town-size').value = p.town_size || '';
  $('#aggregation').value = p.aggregation === 'geometric' ? 'geometric' : 'arithmetic';
  state.touched.clear();
  renderChildren();
  renderWeights();
  for (const [id, v] of Object.entries(p.weights || {})) {
    const input = document.getElementById(`weight-${id}`);
    if (input) { input.value = String(v); state.touched.add(id); }
  }
  updateWeightStates();
}

async function copyLink() {
  const status = $('#copy-status');
  try {
    await navigator.clipboard.writeText(location.href);
    status.textContent = t('linkCopied');
  } catch {
    status.textContent = t('linkCopyFailed', { url: location.href });
  }
}

async function start() {
  state.lang = initialLang();
  applyStaticTexts();
  renderChildren();
  renderWeights();
  renderEmpty();
  $('#plain-switch').addEventListener('click', () => setPlain(!state.plain));
  $('#lang-switch').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-lang]');
    if (b) setLang(b.dataset.lang);
  });
  $('#add-child').addEventListener('click', () => {
    children.push('');
    renderChildren();
    updateWeightStates();
    const inputs = $$('.child-age');
    inputs[inputs.length - 1].focus();
  });
  $('#reset-weights').addEventListener('click', () => { state.touched.clear(); renderWeights(); });
  for (const r of $$('input[name=car]')) r.addEventListener('change', () => renderWeights());
  for (const id of Object.values(FORM_INPUTS)) $(id).addEventListener('input', updateWeightStates);
  $('#profile-form').addEventListener('submit', (e) => { e.preventDefault(); state.example = false; rank(); });
  if (isPhone()) $('#weights-box').open = false;
  $('#show-more').addEventListener('click', () => {
    const first = state.shown;
    state.shown += PAGE;
    renderList();
    const next = $$('#results li.result')[first];
    if (next) $('.name-button', next).focus();
  });
  $('#compare-button').addEventListener('click', () => runCompare());
  $('#compare-clear').addEventListener('click', () => {
    state.picked.clear();
    for (const c of $$('#results input.pick')) c.checked = false;
    updateCompareBar();
    $('#compare-section').hidden = true;
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('#detail').hidden && $('#detail').contains(document.activeElement)) {
      const back = state.selected && $(`#name-${state.selected}`);
      hideDetail();
      if (back) back.focus();
    }
  });

  const [munis, sources, boundaries] = await Promise.allSettled([
    api('/api/v1/municipalities'), api('/api/v1/sources'), api('/api/v1/boundaries'), loadCriteria(),
  ]);
  if (munis.status === 'fulfilled') {
    state.municipalities = munis.value;
    for (const m of munis.value) state.byAgs.set(m.ags, m);
    buildWorkplaceList();
  }
  if (sources.status === 'fulfilled') {
    state.sources = Array.isArray(sources.value) ? sources.value : sources.value.sources || [];
    for (const s of state.sources) state.sourceById.set(s.id, s);
  }
  renderWeights();
  renderChildren(); // their inputs take the age range from /api/v1/criteria
  renderCredits();
  if (boundaries.status === 'fulfilled') {
    state.boundaries = boundaries.value;
    state.boundariesAttribution = boundaries.value.attribution || '';
    drawMap(boundaries.value);
    renderCredits();
  } else {
    $('#map-canvas').replaceChildren(el('p', { class: 'hint' }, t('loadingFailed', { what: 'map', why: boundaries.reason.message })));
  }
  // Indicator sources for the explanations' footnotes: the same for every municipality.
  if (state.municipalities.length) {
    state.metaPromise = api(`/api/v1/municipalities/${state.municipalities[0].ags}?lang=${state.lang}`).then(rememberIndicatorMeta).catch(() => {});
  }
  $('#copy-link').addEventListener('click', copyLink);
  $('#skip-compare').addEventListener('click', (e) => {
    e.preventDefault();
    const b = $('#compare-button');
    (b.disabled ? $('#compare-clear') : b).focus();
  });
  $('#print-result').addEventListener('click', async () => { await preparePrintPlaces(); window.print(); });
  // The handout shows the reasons of the top 10: open them for printing, close them after.
  let openedForPrint = [];
  window.addEventListener('beforeprint', () => {
    renderPrintPlaces();
    openedForPrint = $$('#results li.result details.why:not([open])').slice(0, 10);
    for (const d of openedForPrint) d.open = true;
  });
  window.addEventListener('afterprint', () => {
    for (const d of openedForPrint) d.open = false;
    openedForPrint = [];
  });
  // Back and forward move between rankings: each entry's address holds its profile.
  window.addEventListener('popstate', () => {
    const p = profileFromAddress();
    if (!p) return;
    fillForm(p);
    state.example = false;
    rank({ fromAddress: true });
  });
  const kept = profileFromAddress();
  if (kept) {
    // A kept or shared result: the form as it was, ranked again.
    if (kept.lang === 'de' || kept.lang === 'en') await setLang(kept.lang);
    fillForm(kept);
    state.example = false;
    await rank({ initial: true, fromAddress: true });
  }
  // Rank the preset household at once, so the map and the list are never empty.
  if (!state.ranking) {
    state.example = true;
    await rank({ initial: true });
  }
  document.body.classList.add('ready');
}

start();
