"""A rerun that changes no filter (opening an expander under a chart, adding a figure to the deck)
keeps every filter a link set: the URL and the figures stay as they were."""

from __future__ import annotations

import pytest

from atlas import ROOT
from tests.pages.helpers import figure_keys, run_page

LINKS = [
    ("trender.py", {"vy": "tid", "ind": "sysselsattningsgrad", "reg": "20,2080,2062"}),
    ("trender.py", {"vy": "lan", "jmf_ind": "arbetsloshet", "jmf_period": "2023M06", "jmf_tid": "1"}),
    ("trender.py", {"vy": "fodelse", "fr_reg": "2080"}),
    ("trender.py", {"vy": "varsel", "varsel_fran": "2018", "varsel_till": "2019", "varsel_ma": "0",
                    "varsel_topp": "3"}),
    ("data.py", {"ind": "arbetsloshet,varsel", "reg": "20,2080", "fran": "2021", "till": "2023", "kon": "K"}),
    ("karta.py", {"ind": "sysselsattningsgrad"}),
    ("kommunprofil.py", {"kommun": "2062", "ind": "sysselsattningsgrad"}),
    ("kompetensbrist.py", {"sit": "brist"}),
    ("sociala_foretag.py", {"kommun": "2080"}),
    ("matchning.py", {"kommun": "2080"}),
    ("kopare.py", {"kommun": "2080"}),
]


@pytest.mark.parametrize("page, params", LINKS, ids=[f"{p}-{i}" for i, (p, _) in enumerate(LINKS)])
def test_rerun_keeps_the_linked_filters(built_db, page, params):
    at = run_page(ROOT / "pages" / page, params)
    url = {k: at.query_params[k] for k in at.query_params}
    for key, value in params.items():  # the link is valid: the page kept what it asked for
        assert url.get(key) in (value, [value]), (key, url.get(key))
    figures = figure_keys(at)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert {k: at.query_params[k] for k in at.query_params} == url
    assert figure_keys(at) == figures
