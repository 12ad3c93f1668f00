"""The seminar deck: a 16:9 PPTX with a title slide, one slide per figure (headline finding, the
figure, its source line) and a sources slide. Line and bar charts become native, editable
PowerPoint charts; maps are drawn with matplotlib from the figure's own polygons (atlas.geo.static),
so a deck builds on a machine without any browser."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Callable

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Emu, Inches, Pt

from atlas.figures.palette import SERIES
from atlas.figures.spec import FigureSpec
from atlas.i18n import t

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
GREEN = RGBColor(0x0E, 0x5A, 0x4C)
GREY = RGBColor(0x55, 0x55, 0x55)
Progress = Callable[[float, str], None]


@dataclass
class DeckSource:
    """One row of the sources slide."""

    publisher: str
    title: str
    url: str
    as_of: str


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper()[:6])


def _text(slide, left, top, width, height, text, *, size=18, bold=False, colour=None, wrap=True):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = wrap
    lines = text.split("\n")
    for i, line in enumerate(lines):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = p.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        if colour is not None:
            run.font.color.rgb = colour
    return box


def _axis_values(values) -> list:
    return [] if values is None else list(values)


def _category_labels(values: list) -> list[str]:
    """Dates as 'YYYY-MM', or 'YYYY' when every date is 1 January (a yearly series); else text."""
    texts = [v.isoformat() if hasattr(v, "isoformat") else str(v) for v in values]
    is_date = [len(x) >= 10 and x[4] == "-" and x[7] == "-" and x[:4].isdigit() for x in texts]
    if texts and all(is_date):
        yearly = all(x[5:10] == "01-01" for x in texts)
        return [x[:4] if yearly else x[:7] for x in texts]
    return texts


def chart_data_from_figure(fig) -> tuple[str, CategoryChartData] | None:
    """Native chart data from a Plotly figure's traces: ('line'|'bar'|'barh', data), or None
    when the figure is not a plain line or bar chart (maps, mixed types)."""
    traces = [tr for tr in fig.data if tr.visible in (None, True)]
    if not traces:
        return None
    kinds = {tr.type for tr in traces}
    if kinds <= {"scatter"}:
        kind = "line"
    elif kinds <= {"bar"}:
        kind = "barh" if traces[0].orientation == "h" else "bar"
    else:
        return None
    cat_axis = "y" if kind == "barh" else "x"
    val_axis = "x" if kind == "barh" else "y"
    categories: list = []
    for tr in traces:
        for c in _axis_values(getattr(tr, cat_axis)):
            if c not in categories:
                categories.append(c)
    if kind == "line":
        try:
            categories = sorted(categories)
        except TypeError:
            pass
    labels = _category_labels(categories)
    data = CategoryChartData(number_format="#,##0.0")
    data.categories = labels
    for i, tr in enumerate(traces):
        lookup = dict(zip(_axis_values(getattr(tr, cat_axis)), _axis_values(getattr(tr, val_axis))))
        values = [lookup.get(c) for c in categories]
        values = [None if v is None or (isinstance(v, float) and pd.isna(v)) else float(v) for v in values]
        data.add_series(tr.name or f"Serie {i + 1}", values)
    return kind, data


def map_png(fig, *, labels: dict | None = None, note: str = "", lang: str = "sv") -> bytes | None:
    """A PNG of the figure's map (atlas.geo.static: projected to SWEREF 99 TM, the screen's colours,
    holes and enclaves kept), or None when the figure has no map trace. labels and note: the map
    spec's meta['labels'] and meta['map_note']."""
    if not any(tr.type in ("choroplethmap", "choroplethmapbox", "choropleth") for tr in fig.data):
        return None
    from atlas.geo.static import draw_map  # geopandas and matplotlib: loaded when a deck has a map

    buf = io.BytesIO()
    draw_map(fig, labels=labels, note=note, lang=lang).savefig(buf, format="png", bbox_inches="tight",
                                                               pad_inches=0.05, facecolor="white")
    return buf.getvalue()


def _figure_slide(prs, spec: FigureSpec, source_line: str, lang: str, number: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    headline = spec.finding or spec.title
    # At 26 pt a line holds about 60 characters; a two-sentence finding (a map's) ran into the
    # subtitle below in three lines, so longer headlines are set at 20 pt (two lines up to ~160).
    _text(slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(1.0), headline, size=26 if len(headline) <= 60 else 20,
          bold=True, colour=GREEN)
    _text(slide, Inches(0.5), Inches(1.25), Inches(12.3), Inches(0.5), f"{spec.title}. {spec.subtitle}",
          size=14, colour=GREY)
    left, top, width, height = Inches(0.5), Inches(1.8), Inches(12.3), Inches(4.9)
    native = chart_data_from_figure(spec.figure)
    if native is not None:
        kind, data = native
        chart_type = {"line": XL_CHART_TYPE.LINE, "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
                      "barh": XL_CHART_TYPE.BAR_CLUSTERED}[kind]
        chart = slide.shapes.add_chart(chart_type, left, top, width, height, data).chart
        chart.has_title = False  # the slide carries the title; PowerPoint would repeat the series name
        chart.has_legend = len(data._series) > 1
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.TOP
            chart.legend.include_in_layout = False
        chart.font.size = Pt(12)
        n_cat = len(data.categories)
        if n_cat > 24:  # one label a year on monthly series, else they overlap
            from pptx.oxml.ns import qn

            ax = chart.category_axis._element
            skip = ax.makeelement(qn("c:tickLblSkip"), {"val": str(12 if n_cat > 60 else 6)})
            ax.append(skip)
        for i, series in enumerate(chart.series):
            fmt = series.format
            colour = _rgb(SERIES[i % len(SERIES)])
            if kind == "line":
                fmt.line.color.rgb = colour
                fmt.line.width = Pt(2.25)
                series.smooth = False
            else:
                fmt.fill.solid()
                fmt.fill.fore_color.rgb = colour
    else:
        png = map_png(spec.figure, labels=spec.meta.get("labels"), note=spec.meta.get("map_note", ""), lang=lang)
        if png is None:
            from atlas.export.images import render_image  # last resort: needs Chromium

            png = render_image(spec, source_line, "png")
        pic = slide.shapes.add_picture(io.BytesIO(png), left, top, height=height)
        if pic.width > width:
            ratio = width / pic.width
            pic.width, pic.height = Emu(int(pic.width * ratio)), Emu(int(pic.height * ratio))
        pic.left = int(left + (width - pic.width) / 2)
    _text(slide, Inches(0.5), Inches(6.8), Inches(11.5), Inches(0.5), source_line, size=11, colour=GREY)
    _text(slide, Inches(12.3), Inches(6.9), Inches(0.6), Inches(0.4), str(number), size=11, colour=GREY)


def build_deck(specs: list[tuple[FigureSpec, str]], sources: list[DeckSource], lang: str, *,
               title: str, subtitle: str = "", today: date | None = None,
               progress: Progress = lambda f, s: None, version: str = "") -> bytes:
    """PPTX bytes. specs: (FigureSpec, its plain-text source line) in slide order. version: the
    data version (atlas.versions), named on the sources slide."""
    today = today or date.today()
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT

    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text(slide, Inches(0.8), Inches(2.2), Inches(11.7), Inches(1.4), title, size=40, bold=True, colour=GREEN)
    if subtitle:
        _text(slide, Inches(0.8), Inches(3.6), Inches(11.7), Inches(0.8), subtitle, size=20, colour=GREY)
    _text(slide, Inches(0.8), Inches(4.5), Inches(11.7), Inches(0.5), today.isoformat(), size=16, colour=GREY)
    publishers = ", ".join(dict.fromkeys(s.publisher for s in sources))
    _text(slide, Inches(0.8), Inches(6.3), Inches(11.7), Inches(0.8),
          f"{t('common.source', lang)}: {publishers}. {t('common.processing', lang)}", size=12, colour=GREY)

    for i, (spec, line) in enumerate(specs, start=1):
        progress(i / (len(specs) + 1), spec.title)
        _figure_slide(prs, spec, line, lang, i + 1)

    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text(slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.9), t("deck.sources_title", lang),
          size=28, bold=True, colour=GREEN)
    body = "\n".join(f"{s.publisher}: {s.title}. {s.url} ({t('deck.as_of', lang)}: {s.as_of or '..'})"
                     for s in sources)
    if version:
        body += "\n\n" + t("deck.data_version", lang, version=version)
    _text(slide, Inches(0.5), Inches(1.3), Inches(12.3), Inches(5.8), body, size=12)
    progress(1.0, "done")
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
