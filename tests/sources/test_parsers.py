"""Parsers against the real mirror files (../shared/data/mirror), plus malformed-input cases.

Every number typed here was read from the source file itself, not from a parser's output.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
import yaml

from atlas import CURATED_DIR
from atlas.sources import OBSERVATION_COLUMNS, REGION_COLUMNS, SourceFormatError
from atlas.sources.manifest import get_source, load_manifest
from atlas.sources.parsers import PARSERS
from atlas.sources.parsers._common import month_from_parts, month_period, region_code
from atlas.sources.parsers.yrkesbarometer import COLUMNS as YB_COLUMNS

MIRROR = Path(
    os.environ.get("ATLAS_MIRROR") or Path(__file__).resolve().parents[3] / "shared/data/mirror"
)

REGION_SOURCES = {"kommun_polygoner", "lan_polygoner"}
OCCUPATION_SOURCES = {"yrkesbarometer"}
OBSERVATION_SOURCES = [
    s.id for s in load_manifest() if s.id not in REGION_SOURCES | OCCUPATION_SOURCES
]

DALARNA_KOMMUNER = {
    "2021", "2023", "2026", "2029", "2031", "2034", "2039", "2061",
    "2062", "2080", "2081", "2082", "2083", "2084", "2085",
}
LAN_CODES = {
    "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13",
    "14", "17", "18", "19", "20", "21", "22", "23", "24", "25",
}
MONTH = re.compile(r"^\d{4}M(0[1-9]|1[0-2])$")
YEAR = re.compile(r"^\d{4}$")


def mirror_path(source_id: str) -> Path:
    return MIRROR / get_source(source_id).relative_path


@cache
def _parsed(source_id: str) -> pd.DataFrame:
    source = get_source(source_id)
    return PARSERS[source.parser](mirror_path(source_id), **source.options)


def parsed(source_id: str) -> pd.DataFrame:
    return _parsed(source_id).copy()  # callers may not mutate the cached frame


def value(df: pd.DataFrame, indicator: str, region: str, period: str, sex="T", category="") -> float:
    rows = df[
        (df.indicator_id == indicator) & (df.region_code == region) & (df.period == period)
        & (df.sex == sex) & (df.category == category)
    ]
    assert len(rows) == 1, (indicator, region, period, sex, category, len(rows))
    return rows["value"].iloc[0]


def level(code: str) -> str:
    return "riket" if code == "00" else "lan" if len(code) == 2 else "kommun"


# --- registry and contract ---------------------------------------------------------------------

def test_mirror_is_present():
    assert MIRROR.is_dir(), f"mirror not found at {MIRROR}; set ATLAS_MIRROR"


def test_registry_matches_manifest():
    assert {s.parser for s in load_manifest()} == set(PARSERS)


# 17 regions x 76 months x 12 indicators, 22 regions x 49 months, ... (cf. SOURCES.md row counts)
EXPECTED_ROWS = {
    "bas_kommun": 1292 * 12,
    "bas_kommun_senaste": 15,
    "bas_fodelseregion": 17 * 36 * 2,  # = 1,224 rows in the file
    "bas_lan_manad": 22 * 49,  # = 1,078
    "bas_lan_ar": 22 * 3,  # = 66
    "varsel_bransch": 20 * 13,  # = 260
    "varsel_manad": 385,  # 1992-01 .. 2024-01
    "kolada_langtidsarbetsloshet": 12 * 3,
    "kolada_forvarvsfrekvens": 12 * 3,
    "matchning": 378 * 8,  # 21 län x 3 kön x 6 år, 8 value columns
    "etablering": 21 * 3 * 4 * 12,  # = 3,024
    "pendling": 21 * 2,
    "utbniva_matchning": 42 * 2,  # antal and andel per row
    "ekonomiskt_bistand": 132 * 2,  # 2014-01 .. 2024-12, households and tkr
    "kommun_polygoner": 290,
    "lan_polygoner": 21,
    "yrkesbarometer": 438,
}


def test_expected_rows_cover_manifest():
    assert set(EXPECTED_ROWS) == {s.id for s in load_manifest()}


@pytest.mark.parametrize("source_id", sorted(EXPECTED_ROWS))
def test_row_count(source_id):
    assert len(parsed(source_id)) == EXPECTED_ROWS[source_id]


@pytest.mark.parametrize("source_id", OBSERVATION_SOURCES)
def test_observation_contract(source_id):
    df = parsed(source_id)
    assert list(df.columns) == OBSERVATION_COLUMNS
    assert isinstance(df.index, pd.RangeIndex) and df.index.start == 0
    for col in OBSERVATION_COLUMNS[:-1]:
        assert pd.api.types.is_string_dtype(df[col]), col
        assert df[col].map(type).eq(str).all(), col
    assert df["value"].dtype == "float64"
    assert set(df.sex) <= {"T", "K", "M"}
    assert df.region_code.map(lambda c: c == "00" or re.fullmatch(r"\d{2}|\d{4}", c)).all()
    assert df.period.str.match(MONTH).all() or df.period.str.match(YEAR).all()
    assert not df.duplicated(["indicator_id", "region_code", "period", "sex", "category"]).any()


def test_normalisation_helpers():
    p = Path("x.xlsx")
    assert [region_code(v, p) for v in (0, "0", 20, 20.0, "2085", 114, "01")] == [
        "00", "00", "20", "20", "2085", "0114", "01"
    ]
    assert month_period("2020-01", p) == "2020M01" and month_period("2026M04", p) == "2026M04"
    assert month_from_parts("2014", "Januari", p) == "2014M01"
    assert month_from_parts(2024, "december", p) == "2024M12"
    with pytest.raises(SourceFormatError):
        month_from_parts("2014", "Smarch", p)


# --- BAS -----------------------------------------------------------------------------------------

def test_bas_kommun():
    df = parsed("bas_kommun")
    assert set(df.region_code) == {"00", "20"} | DALARNA_KOMMUNER
    assert df.period.min() == "2020M01" and df.period.max() == "2026M04"
    assert df.period.nunique() == 76
    assert set(df.category) == {""} and set(df.sex) == {"T"}
    assert value(df, "arbetsloshet", "2085", "2026M04") == 5.2
    assert value(df, "sysselsatta", "00", "2020M01") == 4648035
    assert value(df, "arbetslosa", "00", "2020M01") == 290665
    assert value(df, "arbetskraften", "20", "2026M04") == 129075
    assert value(df, "befolkning_20_64", "20", "2026M04") == 148946
    assert value(df, "arbetsloshet", "20", "2026M04") == 4.1
    assert value(df, "arbetskraftsdeltagande", "20", "2026M04") == 86.7
    assert value(df, "sysselsattningsgrad", "20", "2026M04") == 83.1


def test_utanfor_arbetskraften_is_the_sum_of_four_statuses():
    df = parsed("bas_kommun")
    # Riket 2020M01: studerande 166909 + pensionärer 53258 + sjuka 230914 + övriga 470366.
    assert value(df, "utanfor_arbetskraften", "00", "2020M01") == 921447
    wide = df.pivot(index=["region_code", "period"], columns="indicator_id", values="value")
    parts = wide[["studerande", "pensionarer", "sjuka", "ovriga"]].sum(axis=1)
    assert (wide["utanfor_arbetskraften"] == parts).all()


def test_snapshot_equals_bas_kommun_latest_month():
    snap = parsed("bas_kommun_senaste")
    assert set(snap.region_code) == DALARNA_KOMMUNER and set(snap.period) == {"2026M04"}
    assert value(snap, "arbetsloshet", "2085", "2026M04") == 5.2
    full = parsed("bas_kommun")
    full = full[(full.indicator_id == "arbetsloshet") & (full.period == "2026M04")]
    merged = snap.merge(full, on=["indicator_id", "region_code", "period", "sex", "category"])
    assert len(merged) == 15
    assert (merged.value_x == merged.value_y).all()


def test_bas_fodelseregion():
    df = parsed("bas_fodelseregion")
    assert set(df.category) == {"inrikes född", "utrikes född"}
    assert set(df.region_code) == {"00", "20"} | DALARNA_KOMMUNER  # "Sverige" written as 0
    assert df.period.min() == "2020M01" and df.period.max() == "2022M12"
    assert value(df, "arbetsloshet", "00", "2020M01", category="inrikes född") == 3.2
    assert value(df, "arbetsloshet", "20", "2022M12", category="utrikes född") == 15.9
    assert value(df, "arbetsloshet", "2085", "2022M12", category="utrikes född") == 19.3


def test_bas_lan_manad_and_ar():
    manad, ar = parsed("bas_lan_manad"), parsed("bas_lan_ar")
    assert set(manad.region_code) == set(ar.region_code) == {"00"} | LAN_CODES
    assert manad.period.min() == "2020M01" and manad.period.max() == "2024M01"
    assert value(manad, "arbetsloshet", "00", "2020M01") == 6.0
    assert value(manad, "arbetsloshet", "20", "2024M01") == 4.6
    assert set(ar.period) == {"2020", "2021", "2022"}
    assert value(ar, "arbetsloshet_ar", "00", "2020") == 6.7
    assert value(ar, "arbetsloshet_ar", "20", "2022") == 4.7


def test_bas_lan_ar_is_close_to_the_mean_of_the_months():
    """Backs the catalogue's wording: the annual value is within 0.1 of the monthly mean."""
    manad, ar = parsed("bas_lan_manad"), parsed("bas_lan_ar")
    manad["year"] = manad.period.str[:4]
    means = manad[manad.year.isin(set(ar.period))].groupby(["region_code", "year"]).value.mean()
    joined = ar.set_index(["region_code", "period"]).value
    diff = (joined - means.reindex(joined.index).to_numpy()).abs()
    assert (diff <= 0.1 + 1e-9).all()


def test_bas_rejects_other_population(tmp_path):
    df = pd.read_excel(mirror_path("bas_kommun_senaste"))
    df.loc[0, "kön"] = "män"
    path = tmp_path / "senaste.xlsx"
    df.to_excel(path, index=False)
    with pytest.raises(SourceFormatError, match="senaste.xlsx.*kön"):
        PARSERS["bas_kommun_snapshot"](path)


def test_xlsx_missing_column(tmp_path):
    df = pd.read_excel(mirror_path("bas_lan_ar")).drop(columns=["år"])
    path = tmp_path / "lan_ar.xlsx"
    df.to_excel(path, index=False)
    with pytest.raises(SourceFormatError, match="lan_ar.xlsx.*år"):
        PARSERS["bas_lan_ar"](path)


# --- varsel, Kolada, Socialstyrelsen ----------------------------------------------------------------

def test_varsel():
    manad, bransch = parsed("varsel_manad"), parsed("varsel_bransch")
    assert set(manad.region_code) == set(bransch.region_code) == {"20"}
    assert manad.period.min() == "1992M01" and manad.period.max() == "2024M01"
    assert value(manad, "varsel", "20", "1992M01") == 490
    assert value(manad, "varsel", "20", "2020M04") == 949
    assert bransch.category.nunique() == 20
    assert "Uppgift saknas" in set(bransch.category)
    assert value(bransch, "varsel_bransch", "20", "2010", category="Tillverkning") == 152
    assert value(bransch, "varsel_bransch", "20", "2020", category="Kultur, nöje och fritid") == 847


def test_kolada():
    lt, ff = parsed("kolada_langtidsarbetsloshet"), parsed("kolada_forvarvsfrekvens")
    assert set(lt.indicator_id) == {"langtidsarbetsloshet_25_64"}
    assert set(ff.indicator_id) == {"forvarvsfrekvens_20_64"}
    assert set(lt.region_code) == {"20"} and set(lt.sex) == {"K", "M", "T"}
    assert value(lt, "langtidsarbetsloshet_25_64", "20", "2011", sex="K") == 3.041741
    assert value(lt, "langtidsarbetsloshet_25_64", "20", "2022", sex="T") == 3.409605
    assert value(ff, "forvarvsfrekvens_20_64", "20", "2010", sex="T") == 77.182986


def test_csv_missing_column(tmp_path):
    path = tmp_path / "kolada.csv"
    path.write_text('"year","municipality","value"\n2011,"Region Dalarna",3.0\n', encoding="utf-8")
    with pytest.raises(SourceFormatError, match="kolada.csv.*gender"):
        PARSERS["kolada_csv"](path, indicator="x")
    path = tmp_path / "matchning.csv"
    path.write_text('"region","år","totalt"\n"Dalarnas län","2015",70\n', encoding="utf-8")
    with pytest.raises(SourceFormatError, match="matchning.csv.*kön"):
        PARSERS["matchning"](path)


def test_ekonomiskt_bistand():
    df = parsed("ekonomiskt_bistand")
    assert set(df.region_code) == {"20"}
    assert df.period.min() == "2014M01" and df.period.max() == "2024M12"
    assert value(df, "ekonomiskt_bistand_hushall", "20", "2014M01") == 3914
    assert value(df, "ekonomiskt_bistand_tkr", "20", "2014M01") == 26908
    assert value(df, "ekonomiskt_bistand_hushall", "20", "2024M12") == 3031
    assert value(df, "ekonomiskt_bistand_tkr", "20", "2024M12") == 29054
    # December 2016 is "--" in the source: missing, not zero.
    assert pd.isna(value(df, "ekonomiskt_bistand_hushall", "20", "2016M12"))
    assert df.value.isna().sum() == 2


# --- SCB county tables ------------------------------------------------------------------------------

def test_matchning():
    df = parsed("matchning")
    assert set(df.region_code) == LAN_CODES and set(df.sex) == {"K", "M", "T"}
    assert "" in set(df.category) and "totalt" not in set(df.category)
    assert value(df, "matchningsgrad", "01", "2015", sex="M", category="20-64 år") == 70.5
    assert value(df, "matchningsgrad", "20", "2020", category="födda i Sverige") == 69.4
    assert value(df, "matchningsgrad", "20", "2020", sex="K", category="") == 69.6
    assert pd.isna(value(df, "matchningsgrad", "09", "2015", sex="K", category="födda i Afrika"))
    # In this file the 20-64 group is the whole population: identical to the total.
    total = df[df.category == ""].set_index(["region_code", "period", "sex"]).value
    age = df[df.category == "20-64 år"].set_index(["region_code", "period", "sex"]).value
    assert total.sort_index().equals(age.sort_index())


def test_etablering():
    df = parsed("etablering")
    assert set(df.region_code) == LAN_CODES
    assert set(df.category) == {
        "vistelsetid 0-1 år", "vistelsetid 2-3 år", "vistelsetid 4-9 år", "vistelsetid 10- år"
    }
    ind = "etablering_forvarvsarbetande"
    assert value(df, ind, "01", "2010", category="vistelsetid 0-1 år") == 30.4
    assert value(df, ind, "20", "2021", category="vistelsetid 10- år") == 71.8
    assert value(df, ind, "20", "2021", sex="K", category="vistelsetid 0-1 år") == 28.1


def test_etablering_other_education_level_goes_into_category(tmp_path):
    path = tmp_path / "etablering.csv"
    path.write_text(
        '"region","kön","utbildningsnivå","bakgrundsvariabel","år","Andel"\n'
        '"Dalarnas län","män","samtliga utbildningsnivåer","vistelsetid 0-1 år","2021",51.9\n'
        '"Dalarnas län","män","eftergymnasial utbildning","vistelsetid 0-1 år","2021",60\n',
        encoding="utf-8",
    )
    df = PARSERS["etablering"](path)
    assert list(df.category) == [
        "vistelsetid 0-1 år", "vistelsetid 0-1 år, eftergymnasial utbildning"
    ]


def test_pendling():
    df = parsed("pendling")
    assert set(df.region_code) == LAN_CODES and set(df.period) == {"2023"}
    assert value(df, "utpendling_andel", "20", "2023") == pytest.approx(6.907401, abs=1e-6)
    assert value(df, "inpendling_andel", "20", "2023") == pytest.approx(5.552855, abs=1e-6)
    assert value(df, "utpendling_andel", "01", "2023") == pytest.approx(3.856734, abs=1e-6)


def test_utbniva_matchning():
    df = parsed("utbniva_matchning")
    assert set(df.region_code) == {"20"} and set(df.category) == {"inrikes född", "utrikes född"}
    assert set(df.period) == {str(y) for y in range(2015, 2022)}
    inrikes, utrikes = {"category": "inrikes född"}, {"category": "utrikes född"}
    assert value(df, "utbniva_ratt", "20", "2015", **inrikes) == pytest.approx(83.90261299817614)
    assert value(df, "utbniva_ratt_antal", "20", "2015", **inrikes) == 185851
    assert value(df, "utbniva_for_hog_antal", "20", "2021", **utrikes) == 3468
    assert value(df, "utbniva_for_hog", "20", "2021", **utrikes) == pytest.approx(10.47892430880798)


# --- polygons ---------------------------------------------------------------------------------------

def test_kommun_polygons():
    df = parsed("kommun_polygoner")
    assert list(df.columns) == REGION_COLUMNS
    assert df.region_code.str.fullmatch(r"\d{4}").all() and df.region_code.is_unique
    assert set(df.level) == {"kommun"}
    assert set(df[df.parent_code == "20"].region_code) == DALARNA_KOMMUNER
    assert set(df.parent_code) == LAN_CODES
    row = df[df.region_code == "2085"].iloc[0]
    assert row["name"] == "Ludvika"
    # The geometry as read (shapely, lon/lat): Ludvika lies around 15 E, 60 N.
    assert row.geometry.geom_type in {"Polygon", "MultiPolygon"}
    west, south, east, north = row.geometry.bounds
    assert 14 < west < east < 16.5 and 59.5 < south < north < 61
    # Leksand holds two enclaves (parts of Rättvik and Falun): holes in its polygon.
    leksand = df[df.region_code == "2029"].geometry.iloc[0]
    assert sum(len(p.interiors) for p in getattr(leksand, "geoms", [leksand])) == 2


def test_lan_polygons():
    df = parsed("lan_polygoner")
    assert set(df.region_code) == LAN_CODES and set(df.parent_code) == {"00"}
    assert set(df.level) == {"lan"}
    lan = pd.read_csv(CURATED_DIR / "lan.csv", dtype=str)
    assert dict(zip(df.region_code, df.name)) == dict(zip(lan.code, lan.name_sv))
    assert df.set_index("region_code").loc["20", "name"] == "Dalarnas län"
    assert df.geometry.iloc[0].geom_type in {"Polygon", "MultiPolygon"}


def _geojson(tmp_path, features: list) -> Path:
    path = tmp_path / "kommuner.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def _feature(code: str, geometry) -> dict:
    return {"type": "Feature", "properties": {"id": code, "kom_namn": f"K{code}", "lan_code": "20"}, "geometry": geometry}


def test_kommun_polygons_keep_a_region_whose_geometry_is_missing(tmp_path):
    """A feature without geometry is still a region (the build leaves it off the map and says so)."""
    square = {"type": "Polygon", "coordinates": [[[14, 60], [15, 60], [15, 61], [14, 61], [14, 60]]]}
    df = PARSERS["kommun_polygons"](_geojson(tmp_path, [_feature("2001", square), _feature("2002", None)]))
    assert df.region_code.tolist() == ["2001", "2002"]
    assert df.geometry.iloc[1] is None and df.geometry.iloc[0].area == 1.0


def test_kommun_polygons_without_a_code_are_a_format_error(tmp_path):
    feature = _feature("2001", None)
    feature["properties"]["id"] = ""
    with pytest.raises(SourceFormatError, match="kommuner.geojson: feature 0 is missing property"):
        PARSERS["kommun_polygons"](_geojson(tmp_path, [feature]))


# --- Yrkesbarometern -------------------------------------------------------------------------------

def test_yrkesbarometer_mirror():
    df = parsed("yrkesbarometer")
    assert list(df.columns) == YB_COLUMNS
    assert df.region_code.value_counts().to_dict() == {"00": 219, "20": 219}
    for col in ("taxonomi_version", "antal_ssyk", "del_av_ssyk"):
        assert str(df[col].dtype) == "Int64"
    dalarna = df[df.region_code == "20"]
    counts = dalarna.rekryteringssituation.value_counts().to_dict()
    assert counts == {"brist": 41, "paradox": 20, "balans": 71, "överskott": 26}
    assert dalarna.rekryteringssituation.isna().sum() == 61
    bagare = dalarna[dalarna.yb_concept_id == "ZVwV_wyv_zeN"].iloc[0]
    assert bagare.yb_yrke == "Bagare och konditorer"
    assessment = (bagare.jobbmojligheter, bagare.rekryteringssituation, bagare.prognos)
    assert assessment == ("stora", "paradox", "öka")
    assert bagare.paradox == "arbetslöshet, deltidsarbete, lämnare"
    assert bagare.delvis_helt == "delvis" and bagare.omgang == "2025-2" and bagare.taxonomi_version == 27
    admin = df[(df.yb_concept_id == "PDNm_NZ2_WRh") & (df.region_code == "00")].iloc[0]
    assert admin.paradox == "" and admin.rekryteringssituation == "överskott"
    # Fields absent from the mirror copy are null columns, never "".
    assert df.yb_beskrivning.isna().all() and df.text_jobbmojligheter.isna().all()
    text = df.drop(columns=["paradox", "taxonomi_version", "antal_ssyk", "del_av_ssyk"])
    assert not (text == "").any().any()


def _live_record(lan: str, **overrides) -> dict:
    record = {
        "yrkesomrade": "Hantverksyrken", "yb_yrke": "Bagare och konditorer",
        "yb_concept_id": "ZVwV_wyv_zeN", "lan": lan, "antal_ssyk": 1, "del_av_ssyk": 0,
        "ssyk": "7612", "ssyk_text": "Bagare och konditorer",
        "yb_beskrivning": "Bagare bakar bröd.", "jobbmojligheter": "stora",
        "rekryteringssituation": "brist", "paradox": [], "prognos": "öka",
        "text_jobbmojligheter": "Jobbmöjligheterna är stora.",
        "text_rekryteringssituation": "Brist.", "hogsta_bedomningsniva": "län",
        "delvis_helt": "helt", "omgang": "2026-1", "taxonomi_version": 28,
    }
    record.update(overrides)
    return record


def test_yrkesbarometer_live_format(tmp_path):
    path = tmp_path / "yrkesbarometer.json"
    records = [
        _live_record("00"),
        _live_record("20", rekryteringssituation="paradox", paradox=["deltidsarbete"]),
        _live_record("01", jobbmojligheter=None, rekryteringssituation=None, prognos=None),
    ]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    df = PARSERS["yrkesbarometer"](path)
    assert list(df.columns) == YB_COLUMNS and len(df) == 3
    assert list(df.region_code) == ["00", "20", "01"]
    assert list(df.paradox) == ["", "deltidsarbete", ""]
    assert df.yb_beskrivning.iloc[0] == "Bagare bakar bröd."
    assert df.text_jobbmojligheter.iloc[1] == "Jobbmöjligheterna är stora."
    assert df.rekryteringssituation.isna().tolist() == [False, False, True]
    assert str(df.taxonomi_version.dtype) == "Int64" and df.taxonomi_version.iloc[0] == 28


def test_yrkesbarometer_rejects_bad_json(tmp_path):
    path = tmp_path / "yb.json"
    path.write_text(json.dumps({"records": [_live_record("20")]}), encoding="utf-8")
    with pytest.raises(SourceFormatError, match="yb.json.*array"):
        PARSERS["yrkesbarometer"](path)
    missing_id = _live_record("20")
    del missing_id["yb_concept_id"]
    path.write_text(json.dumps([_live_record("00"), missing_id]), encoding="utf-8")
    with pytest.raises(SourceFormatError, match="yb.json.*yb_concept_id"):
        PARSERS["yrkesbarometer"](path)
    no_rekrytering = _live_record("20")
    del no_rekrytering["rekryteringssituation"]
    path.write_text(json.dumps([no_rekrytering]), encoding="utf-8")
    with pytest.raises(SourceFormatError, match="rekryteringssituation"):
        PARSERS["yrkesbarometer"](path)
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="yb.json"):
        PARSERS["yrkesbarometer"](path)


# --- unreadable files -------------------------------------------------------------------------------

XLSX_PARSERS = [
    s.parser for s in load_manifest() if s.relative_path.suffix == ".xlsx"
]


@pytest.mark.parametrize("parser", sorted(set(XLSX_PARSERS)))
def test_corrupt_xlsx(tmp_path, parser):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(random.Random(0).randbytes(4096))
    with pytest.raises(SourceFormatError, match="broken.xlsx"):
        PARSERS[parser](path)


@pytest.mark.parametrize("parser", ["kommun_polygons", "lan_polygons"])
def test_corrupt_geojson(tmp_path, parser):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection"}', encoding="utf-8")
    with pytest.raises(SourceFormatError, match="broken.geojson"):
        PARSERS[parser](path)


# --- the indicator catalogue ------------------------------------------------------------------------

REQUIRED_FIELDS = {
    "id", "label_sv", "label_en", "unit", "decimals", "frequency", "definition_sv",
    "definition_en", "source", "higher_is_better", "levels",
}


@cache
def catalogue() -> dict[str, dict]:
    with open(CURATED_DIR / "indicators.yml", encoding="utf-8") as fh:
        entries = yaml.safe_load(fh)
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids)), "duplicate ids in indicators.yml"
    return {e["id"]: e for e in entries}


@cache
def produced() -> dict[str, dict]:
    """What the parsers actually yield per indicator: sources, levels, periods, categories."""
    out: dict[str, dict] = defaultdict(lambda: defaultdict(set))
    for source_id in OBSERVATION_SOURCES:
        df = parsed(source_id)
        for indicator_id, group in df.groupby("indicator_id"):
            info = out[indicator_id]
            info["source"].add(source_id)
            info["levels"] |= {level(c) for c in group.region_code.unique()}
            info["periods"] |= set(group.period)
            info["categories"] |= set(group.category) - {""}
    return out


def live_only() -> set[str]:
    return {i for i, e in catalogue().items() if e.get("live_only")}


def test_catalogue_matches_parsed_indicators():
    """Every indicator a mirror parser yields is in the catalogue, and every catalogue entry is
    yielded by a parser unless it is marked live_only (then the live update yields it: below)."""
    assert set(catalogue()) - live_only() == set(produced())
    assert not live_only() & set(produced()), "a live_only indicator is produced by a mirror parser"


def test_live_only_entries_name_the_live_dataset_that_produces_them():
    """live_only entries name their live dataset as live_<key>; that dataset lists the indicator, and
    every indicator any live dataset produces is in the catalogue (the update refuses otherwise).
    The values themselves are checked end to end in tests/live/test_update.py."""
    from atlas.live.datasets import DATASETS

    by_source = {f"live_{key}": set(d.indicators) for key, d in DATASETS.items()}
    assert live_only(), "no live_only entries"
    for iid in live_only():
        sources = catalogue()[iid]["source"]
        assert sources and all(s in by_source for s in sources), (iid, sources)
        assert all(iid in by_source[s] for s in sources), (iid, sources)
    assert set().union(*by_source.values()) <= set(catalogue())


@pytest.mark.parametrize("indicator_id", sorted(catalogue()))
def test_catalogue_entry(indicator_id):
    entry = catalogue()[indicator_id]
    assert REQUIRED_FIELDS <= set(entry), REQUIRED_FIELDS - set(entry)
    assert entry["unit"] in {"procent", "antal", "tkr"}
    assert isinstance(entry["decimals"], int) and entry["decimals"] >= 0
    assert entry["higher_is_better"] in (True, False, None)
    for field in ("label_sv", "label_en", "definition_sv", "definition_en"):
        assert isinstance(entry[field], str) and entry[field].strip(), field
    if entry.get("live_only"):
        assert entry["live_only"] is True
        return  # checked against the live datasets above and end to end in tests/live
    assert set(entry["source"]) <= {s.id for s in load_manifest()}

    info = produced().get(indicator_id)
    assert info is not None, f"{indicator_id} is produced by no parser"
    assert set(entry["source"]) == info["source"]
    assert set(entry["levels"]) == info["levels"]
    pattern = MONTH if entry["frequency"] == "month" else YEAR
    assert entry["frequency"] in {"month", "year"}
    assert all(pattern.match(p) for p in info["periods"])
    translations = entry.get("categories_en") or {}
    assert info["categories"] <= set(translations), info["categories"] - set(translations)
