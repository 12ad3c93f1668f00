"""A hostile ASF register: every enterprise renamed to text that would act as markdown, LaTeX,
HTML or a bare link if shown unescaped, saved through the admin validator and store as an
administrator would, and built into a database of its own.

Each hostile value carries a marker (ZQ1...); wherever a marker reaches the screen, the whole
value must be shown literally. The text is accepted by the validator on purpose: it is odd but
harmless as data, so escaping where it is shown is what keeps it harmless.
"""

from __future__ import annotations

import re
from pathlib import Path

from atlas.admin import store, validate

NAMES = [
    "[Klicka här ZQ1](https://evil.example/ZQ1) $\\sqrt{x}$",
    "# Rubrik ZQ2 www.evil.example",
    '<b>Fet ZQ3</b> <a href="https://evil.example">x</a> & Co',
    ":material/warning: ZQ4 evil@example.com $$x^2$$",
    "**Fet ZQ5** _kursiv_ ~~stryk~~ `kod`",
    "1. Lista ZQ6 | tabell | --- |",
    "![bild ZQ7](https://evil.example/a.png) :red[röd] https://evil.example/ZQ7",
    "&amp; &lt;script&gt; ZQ8 \\$ \\[x\\] <br> > citat",
]
LINES_OF_BUSINESS = "Falun ZQ9\n======\n- punkt\n1. ett\n$x$ [l](https://evil.example/ZQ9)"
TOWN = "Ort ZQ10 <i>x</i> ---"
VALUES = [*NAMES, LINES_OF_BUSINESS, TOWN]
MARKER = re.compile(r"ZQ\d+")


def value_of(marker: str) -> str:
    """The hostile value that carries ``marker``."""
    return next(v for v in VALUES if re.search(rf"\b{marker}\b", v))


def build_hostile(tmp: Path, mirror: Path, kommun_codes: frozenset[str]) -> tuple[Path, str]:
    """Write the hostile register to an admin store in ``tmp`` and build ``tmp/atlas.duckdb`` from
    ``mirror`` with it (the store sits beside the database, where the build and a server find it;
    ATLAS_ADMIN_DB must not point elsewhere). Returns the database path and the asf_id carrying
    the multi-line text."""
    from atlas.build import build

    admin = tmp / "asf_admin.duckdb"
    store.ensure(admin)
    reg = store.register_frame(store.load(admin))
    ids = list(dict.fromkeys(reg["id"]))
    for i, asf_id in enumerate(ids):
        reg.loc[reg["id"] == asf_id, "namn"] = NAMES[i % len(NAMES)]
    detail = ids[0]
    reg.loc[reg["id"] == detail, "verksamhet"] = LINES_OF_BUSINESS
    reg.loc[reg["id"] == detail, "ort"] = TOWN
    data = reg.to_csv(index=False).encode("utf-8")
    res = validate.validate(data, "hostile.csv", kommun_codes)
    assert res.ok, res.problems[:5]
    store.apply_register(res.enterprise, res.fact, who="test", file_name="hostile.csv", sha256=res.sha256,
                         path=admin)
    db = tmp / "atlas.duckdb"
    build(db, mirror=mirror, live_dir=None)
    return db, detail
