#!/usr/bin/env bash
# Rebuilds the seed corpus fuzz/seeds/<target>/ (git-ignored) from small slices of the real raw files
# (header plus a few dozen lines, the smallest feature, the first resources, the first array
# elements) and from the test fixtures. Never copies a whole raw file: the seeds stay well under
# 1 MB in all. Needs python3 and osmium (osmium-tool) for the PBF seeds.
#
#   fuzz/make-seeds.sh [DATA_DIR]      # default: $LOTSE_DATA, else ../shared/data/raw
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
data=${1:-${LOTSE_DATA:-$root/../shared/data/raw}}
[ -d "$data" ] || { echo "no data directory $data (give it as the first argument)" >&2; exit 1; }
command -v osmium >/dev/null || { echo "osmium not found (apt-get install osmium-tool)" >&2; exit 1; }
rm -rf seeds
mkdir -p seeds
DATA="$data" ROOT="$root" python3 - <<'PY'
import json, os, re, subprocess, tempfile

data, root = os.environ["DATA"], os.environ["ROOT"]
seeds = os.path.join(root, "fuzz", "seeds")

def put(target, name, content):
    d = os.path.join(seeds, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(content)

def raw(rel):
    with open(os.path.join(data, rel), "rb") as f:
        return f.read()

def head(rel, n, extra=None):
    """Header plus the first n lines (plus the lines matching `extra`, up to n more)."""
    lines = raw(rel).splitlines(keepends=True)
    out = lines[: n + 1]
    if extra:
        out += [l for l in lines[n + 1 :] if re.match(extra, l)][:n]
    return b"".join(out)

def latin1(b):
    return b.decode("utf-8").encode("latin-1", errors="replace")

# --- profiles -------------------------------------------------------------------------------
full_json = {
    "adults": 2, "children": [3, 7], "rent_budget_eur": 900, "income_eur": 3800,
    "living_space_m2": 85.5, "workplace": ["Dresden", 14612000, {"lat": 51.05, "lon": 13.74}],
    "max_commute_km": 40, "car": False, "weights": {"leisure": 1, "childcare": 5},
    "must": {"within_km": {"gymnasium": 10}, "rent_within_budget": True,
             "max_rent_share_pct": 35, "min_population": 1000, "max_population": 600000},
    "lang": "en", "aggregation": "geometric", "town_size": "small_town",
}
put("profile_json", "family-dresden.json", open(os.path.join(root, "examples/family-dresden.json")).read())
put("profile_json", "minimal.json", '{"adults": 1}')
put("profile_json", "full.json", json.dumps(full_json))
put("profile_json", "point.json", '{"adults":1,"workplace":{"lat":51.05,"lon":13.74}}')
put("profile_json", "invalid-age.json", '{"adults": 2, "children": [4, 19]}')
put("profile_json", "unknown-field.json", '{"adults": 2, "childern": [3]}')
toml_full = """adults = 2
children = [3, 7]
rent_budget_eur = 900
income_eur = 3800.5
workplace = ["Dresden", 14612000, { lat = 51.05, lon = 13.74 }]
max_commute_km = 40
car = false
lang = "en"
aggregation = "geometric"
town_size = "small_town"
[weights]
leisure = 1
[must]
rent_within_budget = true
max_rent_share_pct = 35
[must.within_km]
gymnasium = 10
"""
put("profile_toml", "full.toml", toml_full)
put("profile_toml", "minimal.toml", "adults = 1\n")
put("profile_toml", "point.toml", "adults = 1\n[workplace]\nlat = 51.05\nlon = 13.74\n")
put("profile_toml", "bad-child.toml", 'adults = 2\nchildren = ["three"]\n')
put("profile_toml", "min-above-max.toml", "adults = 2\n[must]\nmin_population = 9000\nmax_population = 10\n")

# --- batch rows (tests/batch.rs fixtures and every column) ------------------------------------
put("batch_csv", "survey.csv",
    "profile_id,adults,children,rent_budget_eur,workplace,max_commute_km,weights.leisure\n"
    "a,2,3;7,900,Dresden,50,\nb,0,,900,,,\nc,2,3;x,900,,,\nd,2,,abc,,,\ne,2,,900,Atlantis,,\n"
    "f,2,,900,,30,\ng,2,,900\nh,1,,,,,4\ni,2,19,,,,\nj,1,,,\"51.05,13.74\",25,\n")
put("batch_csv", "all-columns.csv",
    "\ufeffprofile_id,adults,children,rent_budget_eur,income_eur,living_space_m2,workplace,"
    "max_commute_km,car,weights.childcare,must.within_km.gymnasium,must.rent_within_budget,"
    "must.max_rent_share_pct,must.min_population,must.max_population,town_size,lang,aggregation\n"
    "p1,2,2;8,900,3800,85,Dresden;14612000;51.05,13.74,50,yes,5,10,true,35,1000,600000,town,en,geometric\n"
    "p2,1,none,,,,,,0,,,false,,,,village,de,arithmetic\n")
put("batch_csv", "typo.csv", "adults,childern\n2,3\n")
put("batch_jsonl", "mixed.jsonl",
    '{"adults": 1}\n\n{"adults": 2,\n{"profile_id": 7, "adults": 11}\n'
    '{"profile_id": "z", "adults": 2, "children": [1]}\n{"profile_id": [1], "adults": 1}\n')
put("batch_jsonl", "not-utf8.jsonl",
    b'{"adults": 1}\n{"adults": 1, "workplace": "Dresd\xff"}\n{"adults": 2}\n')
put("batch_jsonl", "ids.jsonl",
    json.dumps({"profile_id": "fam", **full_json}) + "\n" + '{"profile_id": 42, "adults": 1, "car": false}\n')

# --- CSV readers: header + a few dozen real lines -------------------------------------------
reg = head("municipalities/lds_gemeindeverzeichnis_sachsen.csv", 30)
put("reader_csv_municipalities", "register.csv", reg)
put("reader_csv_municipalities", "register-latin1.csv", latin1(reg))
put("reader_csv_municipalities", "directory.csv", head("municipalities/destatis_gv_auszug_sachsen_2019-12-31.csv", 30))
put("reader_csv_municipalities", "central-places.csv", head("municipalities/places_sn_lep2013_central_places.csv", 20))
put("reader_csv_population", "population.csv", head("population/zensus2022_1000A-0000_population_gemeinden_saxony.csv", 30))
put("reader_csv_population", "grid.csv", head("population/zensus2022_eurostat_census2021_grid1km_saxony_bbox.csv", 30))
put("reader_csv_housing", "rent.csv", head("housing/rent_zensus2022_gemeinden_sachsen.csv", 30))
put("reader_csv_housing", "vacancy.csv", head("housing/rent_vacancy_zensus2022_kreise_sachsen.csv", 14))
for f, n in [("GEM1222", 10), ("VBGEM1222", 10), ("VBGEM1219", 10), ("KRS1222", 5)]:
    put("reader_csv_deutschlandatlas", f + ".csv",
        head(f"deutschlandatlas/deutschlandatlas_2024-12_{f}.csv", n, extra=rb"0?14"))
put("reader_csv_deutschlandatlas", "HA26.csv", head("deutschlandatlas/deutschlandatlas_ha26_KRS1224_sachsen.csv", 6))
put("reader_csv_facilities", "cinemas.csv", head("facilities/leisure_sn_inkar_kinos_gemeinden_2021.csv", 30))
put("reader_csv_facilities", "culture.csv", head("facilities/leisure_sn_wikidata_culture_sites_2026.csv", 30))
put("reader_csv_facilities", "help.csv", head("help/help_sn_contacts.csv", 12))
halt = head("transport/transport_sn_db_haltestellen_2020.csv", 30)
daten = head("transport/transport_sn_db_stationsdaten_2020-03.csv", 30)
put("reader_csv_rail", "haltestellen.csv", halt)
put("reader_csv_rail", "haltestellen+stationsdaten.csv", halt + b"\0" + daten)

# --- JSON and GeoJSON facility files: the first few elements --------------------------------
def first(rel, n, key=None):
    doc = json.loads(raw(rel).decode("utf-8-sig"))
    if key is None:
        return json.dumps(doc[:n], ensure_ascii=False)
    doc = dict(doc)
    doc[key] = doc[key][:n]
    return json.dumps(doc, ensure_ascii=False)

for rel, n in [
    ("childcare_chemnitz_kindertageseinrichtungen_2024.geojson", 6),
    ("childcare_dresden_region_osm_2025.geojson", 6),
    ("leisure_chemnitz_kultur_osm_2025-05.geojson", 8),
    ("schools_chemnitz_stadt_2023-12.geojson", 6),
]:
    put("reader_geojson_facilities", rel.split(".")[0] + ".geojson", first("facilities/" + rel, n, "features"))
put("reader_json_facilities", "childcare-leipzig.json", first("facilities/childcare_leipzig_osm_2024-07-10.json", 6, "elements"))
put("reader_json_facilities", "libraries.json", first("facilities/leisure_sn_bibliotheken_saebig_2020.json", 6))
put("reader_json_facilities", "pools.json", first("facilities/leisure_sn_baederleben_pools_2026.json", 6, "pools"))
put("reader_json_facilities", "school-types.json", first("facilities/schools_sn_schuldatenbank_institutionen_2021-02.json", 3))
put("reader_json_facilities", "schools.json", first("facilities/schools_sn_schuldatenbank_allgemeinbildend_2026-02.json", 4))

# --- boundaries: the smallest feature, and a made-up one with a hole and a MultiPolygon ------
fc = json.loads(raw("municipalities/vg250_gem_sachsen_2022-05-15_simplified.geojson"))
small = min(fc["features"], key=lambda f: len(json.dumps(f)))
put("reader_geojson_boundaries", "smallest.geojson",
    json.dumps({"type": "FeatureCollection", "features": [small]}, ensure_ascii=False))
ring = [[13.7, 51.0], [13.8, 51.0], [13.8, 51.1], [13.7, 51.1], [13.7, 51.0]]
hole = [[13.72, 51.02], [13.74, 51.02], [13.74, 51.04], [13.72, 51.02]]
put("reader_geojson_boundaries", "shapes.geojson", json.dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"ARS": "146120000000"}, "geometry": {"type": "Polygon", "coordinates": [ring, hole]}},
    {"type": "Feature", "properties": {"AGS": "14612000"}, "geometry": {"type": "MultiPolygon", "coordinates": [[ring], [ring]]}},
    {"type": "Feature", "properties": {"ARS": "1461"}, "geometry": {"type": "Point", "coordinates": [13.7, 51.0]}},
    {"type": "Feature", "properties": {"ARS": "146120000000"}, "geometry": None},
]}))

# --- Turtle: the prefixes and the first resources ---------------------------------------------
ttl = raw("facilities/leisure_leipzig_spielplaetze_ld_2018.ttl").decode("utf-8")
blocks = ttl.split("\n\n")
prefixes = [b for b in blocks if b.lstrip().startswith("@prefix")]
resources = [b for b in blocks if not b.lstrip().startswith("@prefix")]
put("reader_turtle_playgrounds", "first.ttl", "\n\n".join(prefixes + resources[:4]) + "\n")
# The fixture of playgrounds.rs (duplicates, a reused IRI, bad WKT).
src = open(os.path.join(root, "datasets/src/readers/facilities/playgrounds.rs")).read()
m = re.search(r'const TTL: &str = r#"(.*?)"#;', src, re.S)
put("reader_turtle_playgrounds", "fixture.ttl", m.group(1))

# --- OSM PBF: a tiny extract built with osmium from OSM XML -----------------------------------
xml = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="lotse make-seeds">
 <node id="1" version="1" lat="51.0500000" lon="13.7000000"><tag k="amenity" v="kindergarten"/><tag k="name" v="Kita Sonnenschein"/><tag k="capacity" v="120"/></node>
 <node id="2" version="1" lat="51.0500000" lon="13.7010000"><tag k="amenity" v="school"/><tag k="school:de" v="Grund- und Oberschule"/></node>
 <node id="3" version="1" lat="0.0000000" lon="0.0000000"><tag k="amenity" v="library"/></node>
 <node id="4" version="1" lat="51.0500000" lon="13.7020000"><tag k="leisure" v="swimming_pool"/><tag k="access" v="private"/></node>
 <node id="5" version="1" lat="51.0500000" lon="13.7030000"><tag k="railway" v="halt"/><tag k="name" v="Dresden-Strehlen"/></node>
 <node id="101" version="1" lat="51.0600000" lon="13.7200000"/>
 <node id="102" version="1" lat="51.0600000" lon="13.7240000"/>
 <node id="103" version="1" lat="51.0620000" lon="13.7240000"/>
 <node id="104" version="1" lat="51.0620000" lon="13.7200000"/>
 <node id="111" version="1" lat="51.0600000" lon="13.7300000"/>
 <node id="112" version="1" lat="51.0600000" lon="13.7330000"/>
 <node id="113" version="1" lat="51.0630000" lon="13.7300000"/>
 <way id="1" version="1"><nd ref="101"/><nd ref="102"/><nd ref="103"/><nd ref="104"/><nd ref="101"/><tag k="leisure" v="park"/><tag k="name" v="Stadtpark"/></way>
 <way id="2" version="1"><nd ref="111"/><nd ref="112"/><nd ref="113"/><tag k="leisure" v="playground"/></way>
 <way id="3" version="1"><nd ref="111"/><nd ref="999"/><tag k="amenity" v="library"/></way>
 <way id="10" version="1"><nd ref="111"/><nd ref="112"/><nd ref="113"/><nd ref="111"/></way>
 <relation id="1" version="1"><member type="way" ref="10" role="outer"/><tag k="type" v="multipolygon"/><tag k="tourism" v="zoo"/></relation>
 <relation id="2" version="1"><member type="way" ref="5000" role="outer"/><tag k="type" v="multipolygon"/><tag k="leisure" v="park"/></relation>
</osm>
"""
with tempfile.TemporaryDirectory() as tmp:
    x = os.path.join(tmp, "in.osm")
    open(x, "w").write(xml)
    for name, fmt in [("dense.osm.pbf", "pbf"), ("plain.osm.pbf", "pbf,pbf_dense_nodes=false"),
                      ("uncompressed.osm.pbf", "pbf,pbf_compression=none")]:
        out = os.path.join(tmp, name)
        subprocess.run(["osmium", "cat", x, "-o", out, "-f", fmt, "--overwrite"], check=True)
        put("reader_osm_pbf", name, open(out, "rb").read())

# --- inputs the fuzz targets once failed on (kept so every run starts from them) -------------
# reader_geojson_boundaries: a one-number position panicked inside the geojson crate's
# conversion (fixed in boundaries.rs; regression test there).
put("reader_geojson_boundaries", "regression-one-number-position.geojson",
    '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"AGS":""},'
    '"geometry":{"type":"Polygon","coordinates":[[[1]]]}}]}')
# batch_csv: records ended by bare CRs share a line number (the target's check was too strict).
put("batch_csv", "regression-cr-records.csv", "adults,children\r2,3\r1,\r\n2,7\n")
# batch_jsonl: `[x` named the field `[0]`; arrays were read as field values in order, so two
# AGS as numbers became one coordinate (fixed in scoring/src/profile.rs, `map_only`).
put("batch_jsonl", "regression-arrays.jsonl",
    '[x\n[1]\n{"adults": 1, "workplace": [14612000, 14628110]}\n{"adults": 1, "must": []}\n')
put("profile_json", "regression-two-codes.json", '{"adults": 1, "workplace": [14612000, 14628110]}')
put("profile_toml", "regression-two-codes.toml", "adults = 1\nworkplace = [14612000, 14628110]\n")
# batch_jsonl: an unknown top-level field is named as such (the target's check was too strict).
put("batch_jsonl", "regression-unknown-field.jsonl", '{"adults": 1, "workplacm": "Dresden"}\n')
PY
du -sh seeds
for d in seeds/*/; do printf '%-32s %3d files %6d bytes\n' "$(basename "$d")" "$(ls "$d" | wc -l)" "$(cat "$d"* | wc -c)"; done
