"""The report as one self-contained HTML page for A4 (atlas.report.content in, HTML text out):
figures as SVG images with their alt text, page numbers in the page margins (CSS @page margin boxes,
which Chromium prints), no script, and a Content-Security-Policy that allows nothing but inline
styles and the embedded images. Every text from data is HTML-escaped."""

from __future__ import annotations

import base64
import copy
from html import escape

from atlas.asf import approx_number, approx_range
from atlas.export.cite import make_citation
from atlas.export.images import static_image
from atlas.export.metadata import source_text
from atlas.figures.spec import FigureSpec
from atlas.i18n import fmt_number, t
from atlas.report.content import Report

CONTENT_WIDTH_PX = 680  # A4 less 15 mm margins at 96 px per inch
FIGURE_HEIGHT_PX = {"map": 470, "trend": 300, "default": 300}

CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm;
  @bottom-left { content: "FOOTER"; font: 8pt "Source Sans Pro", Arial, sans-serif; color: #4f5755; }
  @bottom-right { content: "PAGE " counter(page) " OF " counter(pages); font: 8pt "Source Sans Pro", Arial, sans-serif;
                  color: #4f5755; } }
html { font: 10.5pt/1.45 "Source Sans Pro", Arial, sans-serif; color: #1f2a28; }
body { margin: 0; }
h1 { font-size: 20pt; color: #0e5a4c; margin: 0 0 2mm 0; }
h2 { font-size: 13.5pt; color: #0e5a4c; margin: 7mm 0 2mm 0; border-bottom: 0.6pt solid #93cec1; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1mm 0; break-after: avoid; }
.lead { color: #3f4745; margin: 0 0 4mm 0; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm 0; font-size: 9.5pt; break-inside: auto; }
th, td { text-align: left; padding: 1.2mm 2mm; border-bottom: 0.4pt solid #d9d9d9; vertical-align: top; }
th { background: #eef6f4; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; }
figure { margin: 3mm 0 5mm 0; break-inside: avoid; }
figure img { width: 100%; height: auto; display: block; }
figcaption { font-size: 8.5pt; color: #4f5755; margin-top: 1mm; }
.figtitle { font-weight: 600; font-size: 10.5pt; margin: 0; }
.subtitle { font-size: 9pt; color: #4f5755; margin: 0 0 1mm 0; }
ul.findings li { margin-bottom: 1.2mm; }
.small { font-size: 8.5pt; color: #4f5755; }
.cite { font-size: 8.5pt; background: #eef6f4; padding: 2mm 3mm; break-inside: avoid; }
"""


def warm_up() -> None:
    """Start kaleido's browser with a tiny figure (a no-op once it runs; errors surface later)."""
    import plotly.graph_objects as go

    try:
        static_image(go.Figure(), "svg", size=(10, 10))
    except Exception:  # no browser: the report's own call says so
        pass


def _image(spec: FigureSpec, kind: str, lang: str) -> str:
    """The figure as an SVG data URI, sized for the page (the spec's own figure stays as built)."""
    fig = copy.deepcopy(spec.figure)
    height = FIGURE_HEIGHT_PX.get(kind, FIGURE_HEIGHT_PX["default"])
    fig.update_layout(width=CONTENT_WIDTH_PX, height=height, font={"size": 12}, paper_bgcolor="white")
    if kind == "trend":  # as on Kommunprofil: a rate far from zero (employment ~80 %) is not flattened by a zero base
        ys = spec.data.select_dtypes("number").stack().dropna()
        if len(ys) and ys.min() > ys.max() / 2:
            fig.update_yaxes(rangemode="normal")
    svg = static_image(fig, "svg", size=(CONTENT_WIDTH_PX, height))
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _kind(spec: FigureSpec) -> str:
    """'map' | 'varsel' | 'trend': where the figure goes in the report and how it is sized."""
    if any(tr.type in ("choroplethmap", "choropleth") for tr in spec.figure.data):
        return "map"
    return "varsel" if spec.key.startswith("varsel") else "trend"


def _figure(spec: FigureSpec, report: Report) -> str:
    kind = _kind(spec)
    caption = source_text(spec.source_ids, report.sources, report.lang, as_of=spec.as_of)
    return (f'<figure><p class="figtitle">{escape(spec.title)}</p><p class="subtitle">{escape(spec.subtitle)}</p>'
            f'<img src="{_image(spec, kind, report.lang)}" alt="{escape(spec.alt_text, quote=True)}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def _table(headers: list[str], rows: list[list[str]], *, numeric: tuple[int, ...] = ()) -> str:
    """An HTML table; headers and cells are HTML already (escape what comes from data before);
    columns in ``numeric`` are right-aligned."""
    def cls(i: int) -> str:
        return ' class="num"' if i in numeric else ""

    head = "".join(f"<th{cls(i)}>{h}</th>" for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f"<td{cls(i)}>{c}</td>" for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _key_figures(report: Report) -> str:
    lang = report.lang
    rows = [[escape(kf.label)] + [f'{escape(c["value"])}<br><span class="small">{escape(c["period"])}; '
                                  f'{escape(t("report.change_label", lang))} {escape(c["change"])}</span>'
                                  for c in kf.cells] for kf in report.key_figures]
    headers = [escape(t("report.col_indicator", lang))] + [escape(name) for _, name in report.regions]
    return (_table(headers, rows, numeric=tuple(range(1, len(headers))))
            + f'<p class="small">{escape(t("report.key_figures_note", lang))}</p>')


def _shortage(report: Report) -> str:
    lang, part = report.lang, report.shortage
    if not part:
        return f"<p>{escape(t('report.shortage_missing', lang))}</p>"
    c = part["counts"]
    lines = [f"<p>{escape(t('report.shortage_counts', lang, omgang=c['omgang'], brist=c['brist'], paradox=c['paradox'], balans=c['balans'], overskott=c['överskott'], none=c['none'], total=c['total']))}</p>"]
    if len(part["rows"]):
        from atlas.occupations import situation_code, situation_label, value_label

        rows = [[escape(str(r.yb_yrke)), escape(value_label("prognos", r.prognos, lang)),
                 escape(situation_label(situation_code(r.situation_riket), lang))] for r in part["rows"].itertuples()]
        lines.append(_table([escape(t(f"report.{k}", lang)) for k in ("col_occupation", "col_outlook", "col_riket")],
                            rows))
        if part["n_brist"] > len(part["rows"]):
            lines.append(f'<p class="small">{escape(t("report.shortage_more", lang, n=part["n_brist"] - len(part["rows"])))}</p>')
    lines.append(f'<p class="small">{escape(source_text(part["source_ids"], report.sources, lang))}</p>')
    return "".join(lines)


def _text(value) -> str:
    return ".." if value is None or value != value or str(value) == "" else str(value)


def _asf(report: Report) -> str:
    lang, part = report.lang, report.asf
    if not part:
        return f"<p>{escape(t('report.asf_missing', lang))}</p>"
    dated, undated = part["summary"]["dated"], part["summary"]["undated"]
    span = approx_range(dated["low"], dated["low_approx"], dated["high"], dated["high_approx"], lang)
    text = t("report.asf_summary", lang, range=span, n=dated["n"], first=dated["year_min"], last=dated["year_max"])
    if undated:  # statements without a year are listed apart, never part of the range (as on Översikt)
        text += " " + t("overview.asf_undated", lang, n=len(undated),
                        values=", ".join(approx_number(v, a, lang) for v, a in undated))
    lines = [f"<p>{escape(text)}</p>"]
    lines.append(_table([escape(t("report.col_kommun", lang)), escape(t("report.col_asf", lang))],
                        [[escape(str(r.name)), fmt_number(r.n, lang)] for r in part["rows"].itertuples()], numeric=(1,)))
    lines.append(f'<p class="small">{escape(t("report.asf_note", lang))} '
                 f'{escape(source_text(part["source_ids"], report.sources, lang))}</p>')
    return "".join(lines)


def _sources(report: Report, url: str) -> str:
    lang = report.lang
    title = "title_en" if lang == "en" else "title_sv"
    rows = [[escape(str(r["publisher"])), f'{escape(str(r[title]))}<br><span class="small">{escape(str(r["url"]))}</span>',
             escape(_text(r["retrieved_at"])[:10])] for _, r in report.sources.iterrows()]
    cite = make_citation(lang, title=f"{report.title}, {report.period}", url=url, version=report.version,
                         today=report.created)
    version = report.version or t("report.no_version", lang)
    return (_table([escape(t(f"report.{k}", lang)) for k in ("col_publisher", "col_source", "col_retrieved")], rows)
            + f"<p>{escape(t('report.version', lang, version=version))}</p>"
            f'<p class="cite"><strong>{escape(t("report.cite", lang))}</strong> {escape(cite.text)}</p>')


def render_html(report: Report, *, url: str = "") -> str:
    """The report as a complete HTML document. ``url``: the view it was made from (cited), or ''."""
    lang = report.lang
    footer = t("report.footer", lang, title=report.title, version=report.version or "..")
    css = (CSS.replace("FOOTER", footer.replace("\\", "").replace('"', "'"))
           .replace("PAGE", t("report.page", lang)).replace("OF", t("report.of", lang)))
    parts = [f"<h1>{escape(report.title)}</h1>",
             f'<p class="lead">{escape(t("report.lead", lang, period=report.period, created=report.created.isoformat(), version=report.version or ".."))}</p>']
    parts += [f'<p class="small">{escape(n)}</p>' for n in report.notes]
    parts.append(f"<h2>{escape(t('report.h_key', lang))}</h2>{_key_figures(report)}")
    parts.append(f"<h2>{escape(t('report.h_findings', lang))}</h2>")
    parts.append("<ul class=\"findings\">" + "".join(f"<li>{escape(s)}</li>" for s in report.findings) + "</ul>"
                 if report.findings else f"<p>{escape(t('report.findings_none', lang))}</p>")
    specs = {"map": [], "trend": [], "varsel": []}
    for spec in report.figures:
        specs[_kind(spec)].append(spec)
    parts.append(f"<h2>{escape(t('report.h_map', lang))}</h2>")
    parts += [_figure(s, report) for s in specs["map"]] or [f"<p>{escape(t('report.map_missing', lang))}</p>"]
    parts.append(f"<h2>{escape(t('report.h_trends', lang))}</h2>")
    parts += [_figure(s, report) for s in specs["trend"]]
    parts.append(f"<h2>{escape(t('report.h_varsel', lang))}</h2>")
    parts.append(f"<p>{escape(report.varsel_text)}</p>")
    parts += [_figure(s, report) for s in specs["varsel"]]
    parts.append(f"<h2>{escape(t('report.h_shortage', lang))}</h2>{_shortage(report)}")
    parts.append(f"<h2>{escape(t('report.h_asf', lang))}</h2>{_asf(report)}")
    parts.append(f"<h2>{escape(t('report.h_sources', lang))}</h2>{_sources(report, url)}")
    csp = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    return (f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
            f"<title>{escape(report.title)}</title><style>{css}</style></head>"
            f"<body>{''.join(parts)}</body></html>\n")
