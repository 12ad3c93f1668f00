"""URL fuzz: 500 random and hostile query strings spread over every page in the navigation
(AppTest): no exceptions, no error boxes; pages fall back to defaults (with a notice where the
parameter is one they use)."""

from __future__ import annotations

import random
import re

import pytest
from streamlit.testing.v1 import AppTest

from atlas import ROOT

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


@pytest.mark.parametrize("page, params", _cases(), ids=lambda x: x if isinstance(x, str) else "")
def test_hostile_query_string(built_db, page, params):
    at = AppTest.from_file(str(ROOT / page), default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, (page, params, [e.value for e in at.exception])
    assert not at.error, (page, params, [e.value for e in at.error])
    assert at.title, (page, params)
