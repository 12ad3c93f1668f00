"""The buyers' page data and helpers: the curated services list and procurement routes are checked
against the compilations they come from (every id, URL and quote), and the pure helpers (filters,
export, "Om datan" sheet) are tested on small frames built here."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest
import yaml

from atlas import CURATED_DIR, buyers
from atlas.asf import UNKNOWN
from atlas.export.tables import to_csv_bytes, to_xlsx_bytes
from atlas.i18n import fmt_number, keys, t

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"  # like tests/conftest.py: the shared folder beside the checkout
ASF_MD = SHARED / "asf_dalarna.md"
PROCUREMENT_MD = SHARED / "procurement.md"


def _norm(text: object) -> str:
    """Whitespace normalised (the only normalisation quotes are allowed)."""
    return re.sub(r"\s+", " ", str(text)).strip()


def _read(path: Path) -> str:
    if not path.is_file():
        pytest.skip(f"{path} not found (the shared compilations sit beside the checkout)")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def services() -> pd.DataFrame:
    return buyers.load_services()


@pytest.fixture(scope="module")
def register_csv() -> pd.DataFrame:
    return pd.read_csv(CURATED_DIR / "asf_register.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def routes() -> dict:
    return buyers.load_routes()


@pytest.fixture(scope="module")
def asf_md() -> str:
    return _read(ASF_MD)


@pytest.fixture(scope="module")
def procurement_md() -> str:
    return _read(PROCUREMENT_MD)


def _enterprise_urls(register_csv: pd.DataFrame, asf_id: str) -> set[str]:
    row = register_csv.set_index("asf_id").loc[asf_id]
    others = [u.strip() for u in row["other_source_urls"].split(";") if u.strip()]
    return {row["source_url"], *others}


def _enterprise_row(asf_md: str, name: str) -> str:
    """The line of the compilation's enterprise table that describes ``name``."""
    lines = [ln for ln in asf_md.splitlines() if ln.startswith(f"| {name} (") or ln.startswith(f"| {name} |")]
    assert len(lines) == 1, f"{name}: {len(lines)} table rows in asf_dalarna.md"
    return lines[0]


# --- The services list against the register and the compilation ---------------------------------


def test_services_file_has_rows_and_unique_pairs(services):
    assert len(services) > 0
    assert not services.duplicated(["asf_id", "category_id"]).any()
    assert list(services.columns) == buyers.SERVICE_COLUMNS


def test_every_asf_id_is_in_the_register(services, register_csv):
    assert set(services["asf_id"]) <= set(register_csv["asf_id"])


def test_every_source_url_is_given_for_that_enterprise(services, register_csv, asf_md):
    for _, row in services.iterrows():
        assert row["source_url"] in asf_md, row["source_url"]
        assert row["source_url"] in _enterprise_urls(register_csv, row["asf_id"]), (row["asf_id"], row["source_url"])


def test_every_contact_url_is_the_enterprises_own_page_as_given(services, register_csv, asf_md):
    contacts = services[services["contact_url"] != ""]
    assert not contacts.empty
    for _, row in contacts.iterrows():
        assert row["contact_url"] in asf_md, row["contact_url"]
        assert row["contact_url"] in _enterprise_urls(register_csv, row["asf_id"])
    # The enterprise's own site is the same on every one of its rows.
    assert (services.groupby("asf_id")["contact_url"].nunique() <= 1).all()


def test_every_quote_is_verbatim_in_that_enterprises_row(services, register_csv, asf_md):
    names = register_csv.set_index("asf_id")["name"]
    for _, row in services.iterrows():
        line = _enterprise_row(asf_md, names[row["asf_id"]])
        assert _norm(row["quote"]) in _norm(line), (row["asf_id"], row["quote"])


def test_every_stated_year_is_in_that_enterprises_row(services, register_csv, asf_md):
    names = register_csv.set_index("asf_id")["name"]
    for _, row in services.iterrows():
        line = _enterprise_row(asf_md, names[row["asf_id"]])
        years_sv, years_en = re.findall(r"\d{4}", row["year_sv"]), re.findall(r"\d{4}", row["year_en"])
        assert years_sv == years_en, row["asf_id"]
        for y in years_sv:
            assert y in line, (row["asf_id"], y)
        undated = ("odaterad" in row["year_sv"], "undated" in row["year_en"])
        assert undated[0] == undated[1]


def test_enterprises_with_unknown_business_have_no_rows(services, register_csv):
    unknown = register_csv[register_csv["line_of_business_sv"] == ""]["asf_id"]
    assert not set(unknown) & set(services["asf_id"])


def test_categories_have_labels_in_both_languages_and_none_unused(services):
    used = set(services["category_id"])
    for lang in ("sv", "en"):
        labelled = {k.split(".")[-1] for k in keys(lang) if k.startswith("kopare.category.")}
        assert labelled == used, lang
        for c in used:
            assert buyers.category_label(c, lang) != c


# --- The procurement routes against procurement.md ----------------------------------------------


def _blocks(routes: dict) -> list[dict]:
    return [*routes["routes"], routes["dalarna"]]


def test_route_quotes_and_urls_are_verbatim_in_procurement_md(routes, procurement_md):
    text = _norm(procurement_md)
    assert _norm(routes["intro"]["quote"]) in text
    assert routes["intro"]["source_url"] in procurement_md
    n_quotes = 0
    for block in _blocks(routes):
        for fact in block["facts"]:
            assert fact["source_url"] in procurement_md, fact["source_url"]
            if fact.get("quote"):
                n_quotes += 1
                assert _norm(fact["quote"]) in text, fact["quote"]
    assert n_quotes > 10


def test_guidance_links_are_upphandlingsmyndigheten_urls_given_in_procurement_md(routes, procurement_md):
    links = [g for r in routes["routes"] for g in r.get("guidance") or []]
    assert links
    for g in links:
        assert g["url"] in procurement_md, g["url"]
        assert urlparse(g["url"]).hostname.endswith("upphandlingsmyndigheten.se"), g["url"]


def test_the_issues_three_routes_are_there(routes):
    ids = [r["id"] for r in routes["routes"]]
    for route in ("reserverad_upphandling", "sociala_hansyn", "direktupphandling"):
        assert route in ids
    for r in routes["routes"]:
        assert 2 <= len(re.findall(r"[.!?](?:\s|$)", buyers.pick(r, "summary", "sv"))) <= 5, r["id"]


def test_key_figures_are_stated_as_in_procurement_md_with_their_date(routes, procurement_md):
    figures = [f for r in routes["routes"] for f in r.get("key_figures") or []]
    assert figures
    for f in figures:
        assert f["stated_as"] in procurement_md
        assert fmt_number(f["value"], "sv").replace("\u202f", " ") == f["stated_as"]
        assert f["source_url"] in procurement_md
        for lang in ("sv", "en"):  # every amount says from when it applies
            assert re.search(r"\b(19|20)\d{2}\b", buyers.pick(f, "valid", lang)), f


def test_the_direct_award_route_says_the_latest_value_seen_and_that_2026_is_unknown(routes):
    route = next(r for r in routes["routes"] if r["id"] == "direktupphandling")
    assert "2024" in route["caveat_sv"] and "2026" in route["caveat_sv"]
    assert "2024" in route["caveat_en"] and "2026" in route["caveat_en"]


# --- Loading errors are clear -------------------------------------------------------------------


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_ROW = "koopus,tillverkning_legoarbete,a,b,q,https://example.org/a,,2018,2018"


@pytest.mark.parametrize("text, message", [
    ("asf_id,category_id\nkoopus,x\n", "missing columns"),
    (",".join(buyers.SERVICE_COLUMNS) + "\n" + GOOD_ROW + "\n" + GOOD_ROW + "\n", "repeated"),
    (",".join(buyers.SERVICE_COLUMNS) + "\nkoopus,tillverkning_legoarbete,a,b,,https://e.org/,,2018,2018\n", "empty"),
    (",".join(buyers.SERVICE_COLUMNS) + "\nkoopus,x,a,b,q,ftp://e.org/,,2018,2018\n", "http"),
    (",".join(buyers.SERVICE_COLUMNS) + "\nKoopus!,x,a,b,q,https://e.org/,,2018,2018\n", "lower-case id"),
])
def test_malformed_services_file_raises_a_clear_error(tmp_path, text, message):
    with pytest.raises(buyers.CuratedDataError, match=message):
        buyers.load_services(_write(tmp_path, "s.csv", text))


def test_missing_files_raise_a_clear_error(tmp_path):
    with pytest.raises(buyers.CuratedDataError, match="missing"):
        buyers.load_services(tmp_path / "nope.csv")
    with pytest.raises(buyers.CuratedDataError, match="missing"):
        buyers.load_routes(tmp_path / "nope.yml")


def test_malformed_routes_file_raises_a_clear_error(tmp_path, routes):
    with pytest.raises(buyers.CuratedDataError, match="YAML"):
        buyers.load_routes(_write(tmp_path, "bad.yml", "routes: [unclosed"))
    broken = yaml.safe_load(yaml.safe_dump(routes, allow_unicode=True))
    del broken["routes"][0]["facts"][0]["source_url"]
    with pytest.raises(buyers.CuratedDataError, match="source_url"):
        buyers.load_routes(_write(tmp_path, "r.yml", yaml.safe_dump(broken, allow_unicode=True)))
    with pytest.raises(buyers.CuratedDataError, match="routes"):
        buyers.load_routes(_write(tmp_path, "e.yml", "intro: {}\n"))


# --- Pure helpers on small frames ---------------------------------------------------------------


@pytest.fixture()
def small():
    """Three enterprises (one without a kommun, one without services) and four service rows."""
    register = pd.DataFrame({
        "asf_id": ["b_co", "a_co", "c_co", "d_co"],
        "name": ["Beta AB", "alfa förening", "Gamma", "Delta"],
        "kommun_code": ["2085", "", "2062", "2080"],
        "kommun_name": ["Ludvika", None, "Mora", "Falun"],
        "kommun_name_en": ["Ludvika", None, "Mora", "Falun"],
        "town": ["Grängesberg", None, None, None],
        "source_url": ["https://b.se/"] * 4, "asf_status_note": [""] * 4,
    })
    services = pd.DataFrame({
        "asf_id": ["b_co", "b_co", "a_co", "c_co"],
        "category_id": ["lokalvard", "cafe_mat", "lokalvard", "odling"],
        "service_sv": ["Städning", "Kafé i parken", "Fönsterputs", "Grönsaker"],
        "service_en": ["Cleaning", "Park café", "Window cleaning", "Vegetables"],
        "quote": ["q1", "q2", "q3", "q4"],
        "source_url": ["https://s1.se/", "https://s2.se/", "https://s3.se/", "https://s1.se/"],
        "contact_url": ["https://b.se/", "https://b.se/", "", ""],
        "year_sv": ["2018", "2018", "odaterad", "2020"], "year_en": ["2018", "2018", "undated", "2020"],
    })
    return register, services, buyers.service_list(services, register)


def test_service_list_joins_and_sorts_by_name(small):
    _, _, rows = small
    assert rows["name"].tolist() == ["alfa förening", "Beta AB", "Beta AB", "Gamma"]
    assert rows["kommun"].tolist() == [UNKNOWN, "2085", "2085", "2062"]
    assert rows["category_id"].tolist() == ["lokalvard", "lokalvard", "cafe_mat", "odling"]  # file order kept


def test_service_list_rejects_an_unknown_enterprise(small):
    register, services, _ = small
    with pytest.raises(buyers.CuratedDataError, match="zzz"):
        buyers.service_list(pd.concat([services, services.head(1).assign(asf_id="zzz")]), register)


@pytest.mark.parametrize("kwargs, want", [
    ({}, ["a_co", "b_co", "b_co", "c_co"]),
    ({"categories": ["lokalvard"]}, ["a_co", "b_co"]),
    ({"categories": ["lokalvard", "odling"]}, ["a_co", "b_co", "c_co"]),
    ({"kommuner": [UNKNOWN]}, ["a_co"]),
    ({"kommuner": ["2085", UNKNOWN]}, ["a_co", "b_co", "b_co"]),
    ({"kommuner": ["2080"]}, []),
    ({"q": "KAFÉ"}, ["b_co"]),
    ({"q": "grängesberg"}, ["b_co", "b_co"]),  # town
    ({"q": "mora"}, ["c_co"]),  # kommun name
    ({"q": "okänd"}, ["a_co"]),  # the label of an unknown kommun
    ({"q": "städning och"}, ["a_co", "b_co"]),  # category label (sv)
    ({"q": "window", "lang": "en"}, ["a_co"]),
    ({"q": "window", "lang": "sv"}, []),
    ({"q": ".*"}, []),  # plain text, not a regular expression
    ({"categories": ["lokalvard"], "kommuner": ["2085"], "q": "beta"}, ["b_co"]),
])
def test_filter_services(small, kwargs, want):
    _, _, rows = small
    assert buyers.filter_services(rows, **kwargs)["asf_id"].tolist() == want


def test_filter_on_an_empty_list_is_empty(small):
    _, _, rows = small
    assert buyers.filter_services(rows.iloc[0:0], q="x").empty


def test_table_frame_shows_contact_or_says_it_is_missing(small):
    _, _, rows = small
    table = buyers.table_frame(rows, "sv")
    assert table["contact"].tolist() == [t("kopare.contact_missing", "sv")] + [t("kopare.contact_site", "sv")] * 2 \
        + [t("kopare.contact_missing", "sv")]
    assert table["contact_url"].tolist() == ["", "https://b.se/", "https://b.se/", ""]
    assert table["kommun"].tolist()[0] == t("kopare.unknown_kommun", "sv")
    assert buyers.table_frame(rows, "en")["service"].tolist() == ["Window cleaning", "Cleaning", "Park café", "Vegetables"]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_export_frame_holds_exactly_the_filtered_rows(small, lang):
    _, _, rows = small
    shown = buyers.filter_services(rows, categories=["lokalvard"])
    export = buyers.export_frame(shown, lang)
    assert export["asf_id"].tolist() == ["a_co", "b_co"]
    assert export[t("kopare.export.contact_url", lang)].tolist() == [t("kopare.contact_missing", lang), "https://b.se/"]
    assert export[t("kopare.export.quote", lang)].tolist() == ["q3", "q1"]
    back = pd.read_csv(io.BytesIO(to_csv_bytes(export)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back.equals(export.astype(str))
    semi = pd.read_csv(io.BytesIO(to_csv_bytes(export, variant="semicolon")), sep=";", encoding="utf-8-sig",
                       dtype=str, keep_default_na=False)
    assert semi.equals(export.astype(str))


def test_xlsx_has_the_rows_and_an_about_sheet_listing_every_source(small):
    _, _, rows = small
    about = buyers.about_sheet(rows, "sv", filters="inga", today=date(2026, 1, 2))
    sheets = pd.read_excel(io.BytesIO(to_xlsx_bytes(buyers.export_frame(rows, "sv"), about=about)), sheet_name=None,
                           dtype=str)
    data, meta = sheets["Data"], sheets["Om datan"]
    assert len(data) == len(rows)
    values = meta["Värde"].tolist()
    assert {"https://s1.se/", "https://s2.se/", "https://s3.se/"} <= set(values)
    assert values.count("https://s1.se/") == 1
    assert "2026-01-02" in values and "inga" in values


def test_filter_summary_and_helpers(small):
    register, services, rows = small
    names = {"2085": "Ludvika"}
    assert buyers.filter_summary([], [], "", names, "sv") == t("kopare.no_filters", "sv")
    text = buyers.filter_summary(["odling"], ["2085", UNKNOWN], " mora ", names, "en")
    assert "Growing" in text and "Ludvika" in text and t("kopare.unknown_kommun", "en") in text and '"mora"' in text
    assert buyers.without_services(register, services)["asf_id"].tolist() == ["d_co"]
    assert buyers.counts(rows, "category_id") == {"lokalvard": 2, "cafe_mat": 1, "odling": 1}
    assert [g["asf_id"].iloc[0] for g in buyers.by_enterprise(rows)] == ["a_co", "b_co", "c_co"]
    assert buyers.category_options(services, "sv") == ["cafe_mat", "odling", "lokalvard"]  # Café, Odling, Städning
    assert buyers.category_label("no_such", "sv") == "no_such"


@pytest.mark.parametrize("url, want", [
    ("http://www.xn--tervinningsbutiken-3tb.se/", "http://www.återvinningsbutiken.se/"),
    ("https://koopus.se/?page_id=960", "https://koopus.se/?page_id=960"),
    ("http://www.xn--tervinningsbutiken-3tb.se:8080/a?b=xn--c", "http://www.återvinningsbutiken.se:8080/a?b=xn--c"),
    ("", ""), (None, ""),
])
def test_readable_url(url, want):
    assert buyers.readable_url(url) == want
