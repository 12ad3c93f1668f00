"""Every named query runs with valid parameters, returns its documented columns, and treats
parameter values as data, never as SQL."""

from __future__ import annotations

import re

import duckdb
import pytest

from atlas import QUERIES_DIR, db
from atlas.build import DERIVED_TABLES
from atlas.sources.manifest import get_source
from atlas.sources.parsers import PARSERS

def _documented_columns(name: str) -> list[str]:
    header = db.load_query(name).header
    match = re.search(r"returns:(.*?)(?:\n\S+:|\Z)", header, re.S)
    assert match, f"{name}: header has no 'returns:' line"
    text = re.sub(r"\([^)]*\)", "", match.group(1))
    return [c.strip() for c in re.split(r"[,\n]", text) if c.strip()]


@pytest.mark.parametrize("name", db.query_names())
def test_query_header_documents_params_and_example(name):
    q = db.load_query(name)
    assert "returns:" in q.header and "params:" in q.header, name
    assert set(q.example) == q.params, f"{name}: the example must give exactly the declared parameters"
    for p in q.params:
        assert f"${p}" in q.header, f"{name}: parameter ${p} is not described in the header"


@pytest.mark.parametrize("name", db.query_names())
def test_query_runs_and_returns_documented_columns(built_db, name):
    df = db.run(name, con=db.connect(built_db), **db.load_query(name).example)
    assert list(df.columns) == _documented_columns(name)
    assert len(df) > 0


def test_latest_value_equals_the_source_file(built_db, mirror):
    src = get_source("bas_kommun")
    parsed = PARSERS[src.parser](mirror / src.relative_path)
    want = parsed[(parsed.indicator_id == "arbetsloshet") & (parsed.region_code == "2085")]
    want = want.sort_values("period").iloc[-1]
    got = db.run("latest_values", con=db.connect(built_db), indicator="arbetsloshet", regions=["2085"])
    assert got["period"].tolist() == [want["period"]]
    assert got["value"].tolist() == [want["value"]]
    assert got["region_name"].tolist() == ["Ludvika"]


def test_latest_values_keep_requested_order(built_db):
    got = db.run("latest_values", con=db.connect(built_db), indicator="arbetsloshet", regions=["00", "20"])
    assert got["region_code"].tolist() == ["00", "20"]


def test_sql_in_parameters_is_inert(built_db):
    con = db.connect(built_db)
    hostile = "arbetsloshet' OR '1'='1"
    assert db.run("series", con=con, indicator=hostile, regions=["20"], sex="T", category="").empty
    drop = "x'); DROP TABLE observation; --"
    assert db.run("regions", con=con, lan=drop).shape[0] == 1  # only Riket matches
    assert db.run("series", con=con, indicator="arbetsloshet", regions=[drop], sex="T", category="").empty
    fresh = duckdb.connect(str(built_db), read_only=True)
    assert fresh.execute("SELECT count(*) FROM observation").fetchall()[0][0] > 0
    fresh.close()


@pytest.mark.parametrize("name", ["../etc/passwd", "series;", "Series", "", "no_such_query", None])
def test_bad_query_names_are_rejected(name):
    with pytest.raises(db.QueryError):
        db.load_query(name)


def test_wrong_parameters_are_rejected(built_db):
    with pytest.raises(db.QueryError, match="missing"):
        db.run("series", con=db.connect(built_db), indicator="arbetsloshet")
    with pytest.raises(db.QueryError, match="unexpected"):
        db.run("sources", con=db.connect(built_db), extra=1)


def test_connection_is_read_only(built_db):
    with pytest.raises(duckdb.Error):
        db.connect(built_db).cursor().execute("DELETE FROM observation")


def test_missing_database_explains_how_to_build(tmp_path):
    with pytest.raises(db.DatabaseMissing, match="python -m atlas build"):
        db.connect(tmp_path / "none.duckdb")


def _tables_read(sql: str) -> list[str]:
    """Tables a query reads: the names after FROM/JOIN, minus its own CTEs."""
    body = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    ctes = set(re.findall(r"(?:\bWITH\b|,)\s*([a-z_][a-z0-9_]*)\s+AS\s*\(", body, re.I))
    refs = {m.lower() for m in re.findall(r"\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)\b", body, re.I)}
    return sorted(refs - ctes)


@pytest.mark.parametrize("path", sorted(QUERIES_DIR.glob("*.sql")) + sorted((QUERIES_DIR / "derived").glob("*.sql")),
                         ids=lambda p: p.stem)
def test_header_names_every_table_read_and_where_derived_ones_come_from(path):
    """The `reads:` line is the trail from a number on screen to the SQL that made it: it must name
    exactly the tables the query reads, each derived table with its file in queries/derived/."""
    sql = path.read_text(encoding="utf-8")
    line = next((l for l in sql.splitlines() if l.startswith("-- reads:")), None)
    assert line is not None, f"{path.name}: no '-- reads:' header line"
    named = [re.sub(r"\s*\(derived: .*?\)", "", part).strip() for part in line[len("-- reads:"):].split(",")]
    assert sorted(named) == _tables_read(sql)
    for table in named:
        if table in DERIVED_TABLES:
            assert f"{table} (derived: queries/derived/{table}.sql)" in line
            assert (QUERIES_DIR / "derived" / f"{table}.sql").is_file()


# The join yrke_outlook ran on every page view before the build computed it once (outlook_pair).
_OUTLOOK_JOIN = """
WITH lan AS (SELECT * FROM occupation_outlook WHERE region_code = $region AND omgang = $omgang),
riket AS (SELECT * FROM occupation_outlook WHERE region_code = '00' AND omgang = $omgang)
SELECT coalesce(l.yb_concept_id, r.yb_concept_id) AS yb_concept_id, coalesce(l.yb_yrke, r.yb_yrke) AS yb_yrke,
       coalesce(l.yrkesomrade, r.yrkesomrade) AS yrkesomrade, coalesce(l.ssyk, r.ssyk) AS ssyk,
       coalesce(l.ssyk_text, r.ssyk_text) AS ssyk_text, coalesce(l.omgang, r.omgang) AS omgang,
       coalesce(l.taxonomi_version, r.taxonomi_version) AS taxonomi_version,
       l.yb_concept_id IS NOT NULL AS in_region, l.rekryteringssituation AS situation, l.jobbmojligheter,
       l.prognos, l.paradox, l.hogsta_bedomningsniva, l.delvis_helt, l.text_rekryteringssituation,
       r.rekryteringssituation AS situation_riket, r.jobbmojligheter AS jobbmojligheter_riket,
       r.prognos AS prognos_riket, r.paradox AS paradox_riket,
       r.hogsta_bedomningsniva AS hogsta_bedomningsniva_riket, r.delvis_helt AS delvis_helt_riket,
       r.text_rekryteringssituation AS text_rekryteringssituation_riket, coalesce(l.source_id, r.source_id) AS source_id
FROM lan l FULL OUTER JOIN riket r ON l.yb_concept_id = r.yb_concept_id
ORDER BY yrkesomrade, yb_yrke, yb_concept_id
"""


@pytest.mark.parametrize("region", ["20", "03", "00"])
def test_yrke_outlook_is_the_county_riket_join(built_db, region):
    """outlook_pair gives every county exactly what the full outer join gave: Dalarna with its own
    assessments, a county without any (Uppsala in the mirror) with Riket's occupations only."""
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        omgang = con.execute("SELECT max(omgang) FROM occupation_outlook").fetchone()[0]
        expected = con.execute(_OUTLOOK_JOIN, {"region": region, "omgang": omgang}).df()
    finally:
        con.close()
    got = db.run("yrke_outlook", con=db.connect(built_db), region=region, omgang=omgang)
    if region == "00":  # Riket is no county: the page never asks for it
        assert got.empty
        return
    assert len(got) > 100 and got.equals(expected)
    assert got["in_region"].any() == (region == "20")
