"""The package's calls: answers as the API gives them, errors naming the field or column, every
input type, and the reproducibility metadata."""

import json
import warnings

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import lotse
from conftest import REPO

FAMILY = {"adults": 2, "children": [2, 6], "rent_budget_eur": 900, "workplace": "14612000",
          "max_commute_km": 50}


def test_rank_is_the_api_answer():
    r = lotse.rank(FAMILY, top=3)
    # At least the top 3 explained; a rank group is never cut (as in the API's answer).
    assert len(r["ranked"]) >= 3
    assert len(r["ranked"]) < len(lotse.rank(FAMILY, top=50)["ranked"])
    assert r["ranked"][0]["rank"] == 1
    assert r["lang"] == "en"
    assert "rest" in r and "excluded" in r and "criteria" in r
    # The README's example: Freital first for this family.
    assert r["ranked"][0]["name"] == "Freital"
    assert lotse.rank(FAMILY, top=3, lang="de")["lang"] == "de"


def test_invalid_profile_names_the_field():
    with pytest.raises(lotse.InvalidProfile) as e:
        lotse.rank({"adults": 2, "children": [2, 30]})
    assert e.value.field == "children[1]"
    assert "0–17" in e.value.allowed
    with pytest.raises(lotse.InvalidProfile) as e:
        lotse.rank({"adults": 2, "childern": [2]})
    assert e.value.field == "childern"
    with pytest.raises(ValueError, match="top must be 1–50"):
        lotse.rank(FAMILY, top=0)


def test_criteria_and_atlas():
    c = lotse.criteria()
    ids = [x["id"] for x in c["criteria"]]
    assert "childcare" in ids and "commute" in ids
    a = lotse.atlas()
    assert a.height == 418
    assert a["ags"].is_unique().all()
    assert a.filter(pl.col("ags") == "14612000")["name"][0] == "Dresden"
    ind = lotse.indicators()
    assert set(ind["id"]) <= set(a.columns)
    assert ind["reference_date"].str.len_chars().min() > 0
    t = lotse.atlas(output="arrow")
    col = t.schema.field(ind["id"][0])
    assert b"lotse.reference_date" in col.metadata and b"lotse.sources" in col.metadata


def test_about_and_result_metadata_match_the_atlas_and_lotse_batch_keys():
    bundled = json.loads((REPO / "atlas" / "saxony.json").read_text())
    about = lotse.about()
    assert about["atlas_input_hash"] == bundled["input_hash"]
    assert about["lotse_version"] == lotse.__version__
    assert about["criteria"] == lotse.criteria()
    t = lotse.rank_batch(pl.DataFrame({"adults": [2]}), 5, output="arrow")
    meta = {k.decode(): v.decode() for k, v in t.schema.metadata.items()}
    assert meta["lotse.atlas_input_hash"] == bundled["input_hash"]
    assert meta["lotse.lotse_version"] == lotse.__version__
    assert meta["lotse.top_k"] == "5"
    assert json.loads(meta["lotse.criteria"]) == about["criteria"]
    assert json.loads(meta["lotse.columns"]) == t.column_names


PROFILES = {
    "profile_id": ["a", "b", "c", "d"],
    "adults": [1, 2, 2, 0],
    "children": [[], [3, 7], None, [1]],
    "rent_budget_eur": [700.0, None, 1100.0, 900.0],
    "workplace": ["Dresden", None, "51.05,13.74", "Leipzig"],
    "car": [True, False, None, True],
    "weights.leisure": [None, 5.0, 0.0, None],
}


def test_polars_pandas_and_pyarrow_give_the_same_rows_and_rejects():
    df = pl.DataFrame(PROFILES)
    rows, rejects = lotse.rank_batch(df, 4, with_rejects=True)
    assert rows["profile_id"].unique().sort().to_list() == ["a", "b", "c"]
    assert rows.height == 12
    assert rejects.to_dicts() == [{"profile_id": "d", "line": 4, "field": "adults",
                                   "reason": "0 is out of range", "allowed": "1–10"}]
    for other in (df.to_pandas(), df.to_arrow(), df.to_arrow().combine_chunks().to_batches()[0],
                  pd.DataFrame({**PROFILES,
                                                               "children": ["", "3;7", None, "1"]})):
        r2, j2 = lotse.rank_batch(other, 4, with_rejects=True)
        assert r2.equals(rows), type(other)
        assert j2.equals(rejects)
    as_pandas = lotse.rank_batch(df, 4, output="pandas")
    assert isinstance(as_pandas, pd.DataFrame) and len(as_pandas) == 12


def test_a_child_age_too_large_for_any_integer_is_rejected_not_dropped():
    table = pa.table({"adults": [2],
                      "children": pa.array([[3, 2**63 + 5]], type=pa.list_(pa.uint64()))})
    rows, rejects = lotse.rank_batch(table, 2, with_rejects=True)
    assert rows.height == 0
    assert rejects["field"].to_list() == ["children[1]"], rejects.to_dicts()


def test_rejects_warn_when_not_returned():
    with pytest.warns(lotse.RejectedProfiles, match="field `adults`"):
        rows = lotse.rank_batch(pl.DataFrame(PROFILES), 2)
    assert rows.height == 6
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lotse.rank_batch(pl.DataFrame({"adults": [1]}), 2)


def test_a_table_lotse_cannot_read_raises_naming_the_column():
    with pytest.raises(lotse.InvalidColumns, match="unknown column `childern`") as e:
        lotse.rank_batch(pl.DataFrame({"adults": [1], "childern": ["2"]}))
    assert e.value.column == "childern"
    with pytest.raises(lotse.InvalidColumns) as e:
        lotse.rank_batch(pl.DataFrame({"children": ["2"]}))
    assert e.value.column == "adults"
    cat = pl.DataFrame({"adults": [1], "town_size": ["village"]}).with_columns(
        pl.col("town_size").cast(pl.Categorical))
    with pytest.raises(lotse.InvalidColumns, match="`town_size` expects text") as e:
        lotse.rank_batch(cat)
    assert e.value.column == "town_size"
    with pytest.raises(TypeError):
        lotse.rank_batch([{"adults": 1}])
    with pytest.raises(ValueError, match="top_k must be 1–1000"):
        lotse.rank_batch(pl.DataFrame({"adults": [1]}), 0)


def test_threads_do_not_change_the_result():
    df = pl.DataFrame({"adults": [1, 2] * 5000, "rent_budget_eur": list(range(500, 10500))})
    one = lotse.rank_batch(df, 3, threads=1)
    assert one.equals(lotse.rank_batch(df, 3, threads=2))
    assert one.height == 30000
