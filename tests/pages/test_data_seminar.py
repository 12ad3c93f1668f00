"""AppTest of the download page and the seminar page, with values checked against the database."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from atlas import ROOT, db
from atlas.downloads import OBS_COLUMNS, shape_observations
from atlas.i18n import t


def _page(name: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_download_preview_matches_database(built_db):
    at = _page("data.py", ind="arbetsloshet,varsel", reg="20,2080", fran="2022", till="2023", kon="T")
    assert not at.exception
    preview = at.dataframe[0].value
    want = db.run("download_observations", con=db.connect(built_db), indicators=["arbetsloshet", "varsel"],
                  regions=["20", "2080"], from_year=2022, to_year=2023, sexes=["T"], with_categories=False)
    assert list(preview.columns) == OBS_COLUMNS
    assert len(preview) == len(want) == 24 + 24 + 24  # arbetsloshet 20 and 2080, varsel 20; 24 months each
    shaped = shape_observations(want, "sv")
    assert preview["value"].tolist() == shaped["value"].tolist()
    assert any(t("download.preview", "sv", n=len(want)) in m.value for m in at.markdown)


def test_download_with_categories_and_sexes(built_db):
    at = _page("data.py", ind="langtidsarbetsloshet_25_64", reg="20", kon="K,M", fran="2011", till="2022", lang="en")
    preview = at.dataframe[0].value
    assert set(preview["sex"]) == {"K", "M"} and len(preview) == 24


@pytest.mark.parametrize("params", [
    {"ind": "nope,arbetsloshet"}, {"reg": "9999"}, {"fran": "x' OR 1=1 --"}, {"ind": "a" * 5000},
    {"kon": "X"}, {"grupper": "maybe"}, {"ind": ",,,"},
])
def test_download_malformed_params(built_db, params):
    at = _page("data.py", **params)
    assert not at.exception
    assert any("kunde inte användas" in i.value for i in at.info)
    assert at.dataframe  # defaults still give a preview


def test_dictionary_lists_every_indicator(built_db):
    at = _page("data.py")
    n = len(db.run("indicator_coverage", con=db.connect(built_db)))
    assert any(len(df.value) == n for df in at.dataframe)


def test_seminar_builds_a_deck_from_the_standard_selection(built_db):
    at = _page("seminarium.py")
    assert not at.exception
    assert any(t("seminar.empty", "sv") in i.value for i in at.info)
    at.button[0].click().run()
    chosen = at.multiselect[0].value
    assert len(chosen) == 8
    build = next(b for b in at.button if b.label.startswith(t("seminar.build", "sv", n=8)[:10]))
    build.click().run(timeout=120)
    assert not at.exception
    deck = Presentation(io.BytesIO(at.session_state["deck_bytes"]))
    assert len(deck.slides) == 8 + 2
    first_fig = [sh.text_frame.text for sh in deck.slides[1].shapes if sh.has_text_frame]
    latest = db.run("latest_values", con=db.connect(built_db), indicator="arbetsloshet", regions=["20"]).iloc[0]
    assert any(f"{latest['value']:.1f}".replace(".", ",") in x for x in first_fig)
    from atlas.versions import data_versions  # the sources slide names the data version
    current = data_versions(db.connect(built_db)).current
    last = " ".join(sh.text_frame.text for sh in deck.slides[len(deck.slides) - 1].shapes if sh.has_text_frame)
    assert current and f"Dataversion {current}" in last
