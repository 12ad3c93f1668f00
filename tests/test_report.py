"""The printable situation report (atlas.report): the PDF's pages and text read back with pypdf, its
numbers against the database, the alt text of its figures, both languages, the HTML, the command
line, and bad input (nothing half-written)."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from atlas import db
from atlas.__main__ import main
from atlas.i18n import fmt_value, t
from atlas.report import ReportError, build_report, make_report, write_atomically
from atlas.report.pdf import chromium
from atlas.versions import data_versions

needs_chromium = pytest.mark.skipif(chromium() is None, reason="printing needs Chromium (apt-get install chromium)")


@pytest.fixture(scope="module")
def con(built_db):
    return db.connect(built_db)


@pytest.fixture(scope="module")
def county_pdf(con, tmp_path_factory) -> Path:
    if chromium() is None:
        pytest.skip("printing needs Chromium")
    out = tmp_path_factory.mktemp("report") / "lan20.pdf"
    result = build_report("20", out=out, lang="sv", con=con)
    assert result.path == out and result.pages and result.pages >= 3
    return out


def _pages(path: Path) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(path).pages]


def _latest(con, indicator: str, region: str) -> float:
    s = db.run("series", con=con, indicator=indicator, regions=[region], sex="T", category="")
    return float(s.dropna(subset=["value"]).sort_values("period")["value"].iloc[-1])


@needs_chromium
def test_county_report_is_a4_numbered_and_says_what_the_data_say(county_pdf, con):
    reader = pypdf.PdfReader(county_pdf)
    n = len(reader.pages)
    assert 3 <= n <= 10
    for page in reader.pages:  # A4 portrait: 210 x 297 mm = 595 x 842 pt
        assert abs(float(page.mediabox.width) - 595) < 2 and abs(float(page.mediabox.height) - 842) < 2
    texts = _pages(county_pdf)
    for i, text in enumerate(texts, 1):
        assert f"Sida {i} av {n}" in text
    whole = "\n".join(texts)
    version = data_versions(con).current
    assert "\nLäget i Dalarnas län\n" in texts[0]  # the title (the margins come first in the text)
    for heading in ("Nyckeltal", "Det viktigaste", "Arbetslösheten i länets kommuner", "Utvecklingen över tid",
                    "Varsel om uppsägning", "Bristyrken", "Arbetsintegrerande sociala företag", "Källor och dataversion"):
        assert heading in whole, heading
    assert version and whole.count(version) >= n  # in every page's footer, and cited
    # the key figures are the database's own latest values
    for ind, region in (("arbetsloshet", "20"), ("arbetsloshet", "00"), ("sysselsattningsgrad", "20")):
        assert fmt_value(_latest(con, ind, region), "procent", "sv", 1).replace("\u202f", " ") in whole.replace("\u202f", " ")
    assert "procentenheter" in whole and "Citera så här" in whole


@needs_chromium
def test_report_pdf_is_tagged_and_every_figure_has_alt_text(county_pdf):
    reader = pypdf.PdfReader(county_pdf)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and str(root["/Lang"]) == "sv"
    raw = county_pdf.read_bytes()
    alts = re.findall(rb"/Alt\s*\(", raw) + re.findall(rb"/Alt\s*<", raw)
    assert len(alts) >= 4  # map, two trends, notices


@needs_chromium
def test_kommun_report_in_english(con, tmp_path):
    out = tmp_path / "ludvika.pdf"
    result = build_report("20", kommun="2085", lang="en", out=out, con=con)
    texts = _pages(out)
    assert result.pages == len(texts) and f"Page 1 of {len(texts)}" in texts[0]
    whole = "\n".join(texts)
    assert "\nSituation in Ludvika\n" in texts[0]
    assert "Key figures" in whole and "Shortage occupations" in whole and "Sources and data version" in whole
    assert fmt_value(_latest(con, "arbetsloshet", "2085"), "procent", "en", 1) in whole
    assert "Läget" not in whole and "Nyckeltal" not in whole


def test_html_report_is_self_contained_and_escaped(con):
    html = make_report("20", lang="en", fmt="html", con=con, url="https://atlas.example/?lan=20&x=<b>").decode()
    assert html.startswith("<!doctype html>") and '<html lang="en">' in html
    assert "<script" not in html.lower() and "default-src 'none'" in html
    imgs = re.findall(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="([^"]+)"', html)
    assert len(imgs) >= 4 and all(len(a) > 20 for a in imgs)
    assert "@page" in html and "counter(pages)" in html
    assert "<b>" not in html.split("</style>")[1]
    assert "https://atlas.example/?lan=20&amp;x=%3Cb%3E" in html  # the link is cited, encoded and escaped


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_asf_paragraph_keeps_dated_and_undated_statements_apart(con, lang):
    """The report's ASF sentence is Översikt's: the range rests on dated statements only, each
    approximate end marked, and the statements without a year are listed apart."""
    from atlas.asf import approx_number, approx_range
    from atlas.overview import asf_summary

    asf = asf_summary(db.run("asf_county_statements", con=con))
    dated, undated = asf["dated"], asf["undated"]
    assert dated["n"] >= 2 and undated  # the curated data have both kinds
    html = make_report("20", lang=lang, fmt="html", con=con).decode()
    text = re.sub(r"\s+", " ", html)
    span = approx_range(dated["low"], dated["low_approx"], dated["high"], dated["high_approx"], lang)
    assert t("report.asf_summary", lang, range=span, n=dated["n"], first=dated["year_min"],
             last=dated["year_max"]) in text
    values = ", ".join(approx_number(v, a, lang) for v, a in undated)
    assert t("overview.asf_undated", lang, n=len(undated), values=values) in text


@pytest.mark.parametrize("lan,kommun,key", [("03", None, "report.error_no_data"), ("99", None, "report.error_county"),
                                             ("20", "0180", "report.error_kommun"), ("20", "20", "report.error_kommun")])
def test_bad_input_writes_nothing(con, tmp_path, lan, kommun, key):
    out = tmp_path / "r.pdf"
    with pytest.raises(ReportError) as err:
        build_report(lan, kommun=kommun, out=out, con=con)
    head = t(key, "sv", code="X", county="Y", kommun="Z").split("X")[0][:12]
    assert str(err.value).startswith(head)
    assert list(tmp_path.iterdir()) == []


def test_cli_reports_a_county_without_data_and_keeps_an_earlier_file(built_db, tmp_path, capsys):
    out = tmp_path / "r.html"
    out.write_text("earlier report")
    assert main(["report", "--lan", "03", "--format", "html", "--out", str(out), "--db", str(built_db)]) == 1
    err = capsys.readouterr().err
    assert "No report written" in err and "Uppsala" in err and "--county 03" in err
    assert out.read_text() == "earlier report" and [p.name for p in tmp_path.iterdir()] == ["r.html"]
    assert main(["report", "--lan", "20", "--lang", "en", "--format", "html", "--out", str(out),
                 "--db", str(built_db)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert "Wrote" in capsys.readouterr().out


def test_atomic_write_leaves_no_part_file_when_it_fails(tmp_path, monkeypatch):
    out = tmp_path / "x.pdf"
    out.write_bytes(b"old")

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr("atlas.report.os.replace", boom)
    with pytest.raises(OSError):
        write_atomically(out, b"new")
    assert out.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["x.pdf"]
