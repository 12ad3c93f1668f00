"""URL fuzz: 500 random and hostile query strings spread over every page in the navigation
(AppTest): no exceptions, no error boxes; pages fall back to defaults. On the pages bound through
atlas.ui.state.UrlState (Trender, Karta, Kommunprofil, Kompetensbrist, För köpare, Sociala företag,
Data) the bad-link notice is checked too: it names exactly the parameters the page reads whose value
it had to replace, and none it kept or ignores; 40 more links per page mix values it accepts with
hostile ones, so that silence is checked too."""

from __future__ import annotations

import random
import re

import pytest
from streamlit.testing.v1 import AppTest

from atlas import ROOT
from atlas.trends import SECTIONS
from tests.pages.helpers import named_in_notice, qp

N_CASES = 500
SEED = 20261127
PAGES = re.findall(r'st\.Page\("([^"]+)"', (ROOT / "app.py").read_text(encoding="utf-8"))
KNOWN_KEYS = ["lang", "ind", "period", "grupp", "kommun", "lik", "reg", "kon", "kat", "q", "omr", "sit",
              "yrke", "asf", "fran", "till", "grupper", "jmf_ind", "jmf_period", "fr_reg", "varsel_fran",
              "varsel_till", "personer", "andel", "ar", "horisont", "vy"]
HOSTILE = [
    "", " ", ",", ",,,", "0", "-1", "1e309", "NaN", "inf", "9" * 400, "2080", "9999", "0180", "20", "00",
    "x' OR '1'='1", "'; DROP TABLE observation; --", "\") UNION SELECT * FROM source --", "$indicator",
    "../../etc/passwd", "%00", "\x00", "<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://x}",
    "åäö", "Ålands län", "🙂" * 50, "\u202e" + "gnp.exe", "ｆｕｌｌｗｉｄｔｈ", "a" * 10_000,
    "arbetsloshet,arbetsloshet,arbetsloshet", "arbetsloshet," * 300, "brist,paradox,xyz", "2026M13",
    "2026M04", "1899", "3000", "T,K,M,X", "true", "null", "None", "[]", "{}", "%", "\\", "\n\r\t",
]


def _cases() -> list[tuple[str, dict]]:
    rng = random.Random(SEED)
    cases = []
    for i in range(N_CASES):
        page = PAGES[i % len(PAGES)]
        params = {}
        for _ in range(rng.randint(1, 6)):
            key = rng.choice(KNOWN_KEYS) if rng.random() < 0.8 else "".join(
                rng.choice("abcxyz_åä1") for _ in range(rng.randint(1, 12)))
            value = rng.choice(HOSTILE) if rng.random() < 0.85 else "".join(
                chr(rng.randint(32, 0x2FFF)) for _ in range(rng.randint(1, 40)))
            params[key] = value
        cases.append((page, params))
    return cases


# The parameters each page reads (Trender: those of the section it shows, and ?vy=).
READS = {"pages/karta.py": ("ind", "grupp", "period"), "pages/kommunprofil.py": ("kommun", "ind", "lik"),
         "pages/kompetensbrist.py": ("omr", "sit", "q", "yrke"), "pages/kopare.py": ("kat", "kommun", "q"),
         "pages/sociala_foretag.py": ("q", "kommun", "asf"),
         "pages/data.py": ("ind", "reg", "kon", "fran", "till", "grupper")}
# comma-separated lists: items in order, empty ones and repeats dropped
LISTS = {"reg", "lik", "omr", "sit", "kat", "kon@pages/data.py", "ind@pages/data.py", "kommun@pages/kopare.py",
         "kommun@pages/sociala_foretag.py"}
TEXT = ("q",)  # free text: kept as given, leading and trailing spaces dropped
SPANS = (("varsel_fran", "varsel_till"), ("fran", "till"))  # a range given backwards is turned round
ONLY = {"kon": "T", "jmf_kon": "T"}  # the one choice of an indicator without data by sex: not kept in the URL


def _given(params: dict, read: tuple[str, ...]) -> set[str]:
    """The read parameters the link gives a value (blank search text is no search; text with control
    characters is a value, refused with the notice)."""
    return {k for k in read if params.get(k) not in (None, "")
            and not (k in TEXT and not params[k].strip() and params[k].isprintable())}


def _kept(page: str, params: dict, read: tuple[str, ...], at: AppTest) -> set[str]:
    """The read parameters of the link whose value the page kept (up to the normal forms above)."""
    kept = set()
    for k in _given(params, read):
        v = params[k]
        if k in LISTS or f"{k}@{page}" in LISTS:
            want = ",".join(dict.fromkeys(x for x in v.split(",") if x))
        else:
            want = v.strip() if k in TEXT else v
        if qp(at, k) == want or (qp(at, k) is None and ONLY.get(k) == v):
            kept.add(k)
    for lo, hi in SPANS:
        for k in {lo, hi} & _given(params, read):
            if params[k] in {qp(at, lo), qp(at, hi)}:
                kept.add(k)
    return kept


def _check_notice(page: str, params: dict, at: AppTest) -> None:
    read = READS.get(page) or (("vy", *SECTIONS[qp(at, "vy")]) if page == "pages/trender.py" else None)
    if read is None:
        return
    given = _given(params, read)
    named = named_in_notice(at, params)
    assert named <= given, ("named a parameter the page does not read", named - given)
    assert named == given - _kept(page, params, read, at), (named, given, {k: qp(at, k) for k in given})


# Values these pages accept (some only together with others), mixed with hostile ones below so
# that the notice is checked on links it must stay silent about too.
VALID = {
    "pages/karta.py": {"ind": ["arbetsloshet", "sysselsattningsgrad"], "grupp": ["utrikes född", ""],
                       "period": ["2024M03", "2023M01", "2024"]},
    "pages/kommunprofil.py": {"kommun": ["2080", "2085", "2062"], "ind": ["arbetsloshet", "sysselsattningsgrad"],
                              "lik": ["arbetsloshet,sysselsattningsgrad", "arbetskraftsdeltagande"]},
    "pages/trender.py": {"vy": list(SECTIONS), "ind": ["matchningsgrad", "arbetsloshet"], "reg": ["20,00", "2080,2085"],
                         "kon": ["K", "T"], "kat": ["födda i Asien", ""], "jmf_ind": ["arbetsloshet"],
                         "jmf_period": ["2023M06"], "jmf_tid": ["1", "0"], "fr_reg": ["2080", "20"],
                         "varsel_fran": ["2015"], "varsel_till": ["2010"], "varsel_ma": ["0"], "varsel_topp": ["3"]},
    "pages/kompetensbrist.py": {"omr": ["halso-och-sjukvard", "bygg-och-anlaggning,halso-och-sjukvard"],
                                "sit": ["brist", "paradox,brist"], "q": ["sjuksk", " lärare "]},
    "pages/kopare.py": {"kat": ["lokalvard", "odling,lokalvard"], "kommun": ["2085", "2062,okand"], "q": ["café"]},
    "pages/sociala_foretag.py": {"kommun": ["2085", "2080,okand"], "q": ["mora"]},
    "pages/data.py": {"ind": ["arbetsloshet", "arbetsloshet,sysselsattningsgrad"], "reg": ["20,00", "2080"],
                      "kon": ["T,K", "M"], "fran": ["2021"], "till": ["2022", "2020"], "grupper": ["1", "0"]},
}
N_BOUND = 40  # links per page


def _bound_cases() -> list[tuple[str, dict]]:
    rng = random.Random(SEED + 1)
    cases = []
    for page, valid in VALID.items():
        for _ in range(N_BOUND):
            keys = rng.sample(list(valid), rng.randint(1, min(4, len(valid))))
            cases.append((page, {k: rng.choice(valid[k]) if rng.random() < 0.7 else rng.choice(HOSTILE) for k in keys}))
    return cases


@pytest.mark.parametrize("page, params", _cases() + _bound_cases(), ids=lambda x: x if isinstance(x, str) else "")
def test_hostile_query_string(built_db, page, params):
    at = AppTest.from_file(str(ROOT / page), default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, (page, params, [e.value for e in at.exception])
    assert not at.error, (page, params, [e.value for e in at.error])
    assert at.title, (page, params)
    _check_notice(page, params, at)
