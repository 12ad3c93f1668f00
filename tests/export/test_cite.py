"""The citation in its four formats, read back by the libraries reference managers rely on: BibTeX by
bibtexparser, RIS by rispy, CSL-JSON by json; hostile titles and links cannot break out of a field."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import bibtexparser
import pandas as pd
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware

from atlas.export.cite import make_citation, safe_url
from atlas.export.metadata import bundle_zip, citation, metadata_document

URL = "https://atlas.example.se/trender?lang=sv&lan=20&ind=arbetsloshet&reg=20%2C00&vy=tid"
VERSION = "2026-12-03.1a2b3c4d"
DAY = date(2026, 12, 5)


def _bib(text: str, decode: bool = False) -> dict[str, str]:
    lib = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()] if decode else [])
    assert not lib.failed_blocks, [b.error for b in lib.failed_blocks]
    assert len(lib.entries) == 1
    entry = lib.entries[0]
    assert entry.entry_type == "misc"
    return {f.key: f.value for f in entry.fields} | {"_key": entry.key}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_format_carries_title_link_and_version(lang):
    c = make_citation(lang, title="Arbetslöshet 20–64 år, Dalarnas län", url=URL, version=VERSION, today=DAY)
    text = c.text
    assert text.startswith("Inkluderingsatlas (2026), " + ("dataversion " if lang == "sv" else "data version ") + VERSION)
    assert "Arbetslöshet 20–64 år, Dalarnas län." in text and URL in text and "2026-12-05" in text

    raw = _bib(c.bibtex())
    assert raw["url"] == URL and raw["version"] == VERSION and raw["urldate"] == "2026-12-05"
    assert raw["year"] == "2026" and raw["date"] == "2026-12-03"  # issued: the version's build date
    assert raw["author"] == "{Inkluderingsatlas}"  # braced: an organisation, not 'Last, First'
    assert _bib(c.bibtex(), decode=True)["title"] == "Arbetslöshet 20–64 år, Dalarnas län"

    (ris,) = rispy.loads(c.ris())
    assert ris["type_of_reference"] == "DATA" and ris["authors"] == ["Inkluderingsatlas"]
    assert ris["title"] == "Arbetslöshet 20–64 år, Dalarnas län" and ris["urls"] == [URL]
    assert ris["edition"] == VERSION and ris["access_date"] == "2026/12/05" and ris["date"] == "2026/12/03"
    assert c.ris().endswith("ER  - \r\n")

    (item,) = json.loads(c.csl_json())
    assert item["type"] == "dataset" and item["URL"] == URL and item["version"] == VERSION
    assert item["issued"] == {"date-parts": [[2026, 12, 3]]} and item["accessed"] == {"date-parts": [[2026, 12, 5]]}
    assert item["author"] == [{"literal": "Inkluderingsatlas"}]
    assert set(c.formats()) == {"text", "bibtex", "ris", "csl_json"}


def test_hostile_title_stays_inside_its_field():
    title = "Grupp {Bergslagen} & 100% #1 a_b \\end\n}\n@misc{evil, title={x}}\rTY  - JOUR"
    c = make_citation("sv", title=title, url=URL, version=VERSION, today=DAY)
    decoded = _bib(c.bibtex(), decode=True)  # one entry, no failed block: the injected entry is text
    assert decoded["title"].startswith("Grupp {Bergslagen} & 100% #1 a_b")
    assert "@misc{evil" in decoded["title"]
    records = rispy.loads(c.ris())
    assert len(records) == 1 and records[0]["type_of_reference"] == "DATA"
    assert "\n" not in records[0]["title"] and "TY - JOUR" in records[0]["title"]
    assert json.loads(c.csl_json())[0]["title"] == records[0]["title"]


@pytest.mark.parametrize("url,expected", [
    ("javascript:alert(1)", ""),
    ("file:///etc/passwd", ""),
    ("https://x.se/a?b={c}\\d", "https://x.se/a?b=%7Bc%7D%5Cd"),
    ("https://x.se/a b\nc", "https://x.se/a%20b%20c"),
])
def test_only_web_links_are_cited_and_they_cannot_break_a_field(url, expected):
    assert safe_url(url) == expected
    c = make_citation("en", title="t", url=url, today=DAY)
    assert c.url == expected
    _bib(c.bibtex())


def test_without_version_or_link():
    c = make_citation("en", today=DAY)
    assert c.text == ("Inkluderingsatlas (2026). Retrieved 2026-12-05. "
                      "Processing of public statistics; also cite the original source.")
    fields = _bib(c.bibtex())
    assert "url" not in fields and "version" not in fields and fields["date"] == "2026-12-05"
    assert citation("en", today=DAY) == c.text


def test_metadata_json_carries_every_format():
    meta = metadata_document({"v": "Värde"}, [], "sv", query_name="series", version=VERSION, url=URL,
                             title="Arbetslöshet", today=DAY, extra={"comparison_group": {"name": "G"}})
    assert meta["view_url"] == URL and meta["data_version"] == VERSION
    assert meta["citation"] == make_citation("sv", title="Arbetslöshet", url=URL, version=VERSION, today=DAY).text
    assert _bib(meta["cite"]["bibtex"])["url"] == URL
    assert rispy.loads(meta["cite"]["ris"])[0]["urls"] == [URL]
    assert meta["cite"]["csl_json"][0]["URL"] == URL
    assert meta["comparison_group"] == {"name": "G"}
    raw = bundle_zip(pd.DataFrame({"v": [1.0]}), meta, "sv")
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        readme = zf.read("README.md").decode()
        again = json.loads(zf.read("metadata.json"))
    assert again["cite"] == meta["cite"] and "```bibtex" in readme and URL in readme
