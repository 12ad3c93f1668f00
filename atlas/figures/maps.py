"""Choropleth of one indicator over a map level (a county's kommuner, Sweden's 21 län or all of
Sweden's kommuner), drawn with MapLibre on a white background (``choroplethmap``,
``map_style="white-bg"``: no tile server, no outside request).

``MapView`` holds what both the map and the ranked bar chart (atlas.figures.bars) show, and the
text they share: labels, formatted values, hover lines, the plain-language summary and tables.
The colour of a value (``colour_at``) and the colour bar's ticks (``MapView.colour_ticks``) are
defined here once: the seminar map (atlas.geo.static) reads them from the figure, so a slide's
colours and legend are the screen's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go

from atlas.figures.labels import category_label
from atlas.figures.layout import base_layout
from atlas.figures.palette import MISSING
from atlas.figures.spec import FigureSpec, plot_text, spec_key
from atlas.geo import Shapes, fit_view
from atlas.i18n import MISSING as MISSING_TEXT
from atlas.i18n import fmt_number, fmt_period, fmt_value, t

# One sequential scale for every indicator: darker = higher value, whatever the indicator's
# direction, so a reader never has to re-learn the map (the subtitle says so). Built from Region
# Dalarna's greens; lightness falls monotonically, which keeps the order readable for every kind
# of colour-vision deficiency (tests/figures/test_maps.py checks it). The lightest step is a
# tinted mint, apart from the grey used for missing values.
SEQUENTIAL = [[0.0, "#e5f5f0"], [0.3, "#93cec1"], [0.6, "#178571"], [0.85, "#0e5a4c"], [1.0, "#062f28"]]
OUTLINE = "#0e5a4c"  # bar outlines, so the lightest bars stay visible on white

# The map is drawn in the wider of two columns; the view is fitted to this size (the real width
# varies with the screen; the padding in fit_view absorbs the difference).
MAP_WIDTH_PX, MAP_HEIGHT_PX = 560, 620
TICKS = ",~f"  # full numbers with the language's separators ('25 000', not '25k')
# Map levels: the county's kommuner, Sweden's län, Sweden's kommuner (karta_levels says which have data).
LEVELS = ("kommun", "lan", "sverige")
RANK_EDGE = 10  # at level 'sverige' the ranking shows this many highest and lowest, plus the county's


def _rgb(colour: str) -> tuple[float, float, float]:
    """(r, g, b) 0..255 of '#rrggbb' or 'rgb(r, g, b)' / 'rgba(r, g, b, a)'."""
    text = colour.strip()
    if text.startswith("#"):
        return tuple(float(int(text[i:i + 2], 16)) for i in (1, 3, 5))
    parts = text[text.index("(") + 1:text.rindex(")")].split(",")
    return tuple(float(p) for p in parts[:3])


def colour_at(scale, fraction: float) -> str:
    """'#rrggbb' of ``scale`` (a Plotly colorscale: [position, colour] pairs) at ``fraction`` (0..1,
    clipped), interpolated linearly in RGB between the stops around it, as Plotly fills a value.
    Equal positions (a stepped scale) give the upper stop's colour from that position on."""
    f = min(max(float(fraction), 0.0), 1.0)
    stops = [(float(p), _rgb(c)) for p, c in scale]
    low = stops[0]
    for stop in stops[1:]:
        if f < stop[0] or (f == stop[0] and stop is stops[-1]):
            span = stop[0] - low[0]
            w = 0.0 if span <= 0 else (f - low[0]) / span
            rgb = [a + (b - a) * w for a, b in zip(low[1], stop[1])]
            return "#" + "".join(f"{round(c):02x}" for c in rgb)
        low = stop
    return "#" + "".join(f"{round(c):02x}" for c in stops[-1][1])


def nice_ticks(lo: float, hi: float) -> tuple[list[float], int]:
    """Round tick values inside [lo, hi], 4 to 7 of them, on steps of 1, 2, 2.5 or 5 times a power
    of ten, and the decimals those steps need: (ticks, decimals)."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo], 0
    power = 10 ** math.floor(math.log10((hi - lo) / 4))
    steps = [m * power for m in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10)]
    for step in reversed(steps):  # the coarsest step that still gives four ticks
        ticks = [round(i * step, 10) for i in range(math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9) + 1)]
        if len(ticks) >= 4:
            break
    decimals = 0
    while decimals < 6 and abs(step * 10 ** decimals - round(step * 10 ** decimals)) > 1e-9:
        decimals += 1
    return ticks, decimals


@dataclass(frozen=True)
class MapView:
    """One indicator, period and population group at one map level.

    values: a ``karta_values`` result (region_code, region_name, region_name_en, short_name, level,
    parent_code, value, source_id): the mapped regions plus the regions they are compared with
    (level 'kommun': the county and Riket; else Riket); value NaN = missing.
    indicator: a ``karta_indicators`` row (id, label_sv/en, unit, decimals, definition_sv/en,
    categories_en JSON). period: '2026M04' or '2024'. category: '' (everyone) or a category value.
    lang: 'sv' or 'en'. level: 'kommun' (the county's kommuner), 'lan' (Sweden's län) or 'sverige'
    (Sweden's kommuner). county / county_name: the chosen county (whose kommuner the 'sverige'
    ranking keeps, and names).
    """

    values: pd.DataFrame
    indicator: Mapping
    period: str
    category: str = ""
    lang: str = "sv"
    level: str = "kommun"
    county: str = ""
    county_name: str = ""

    # --- labels ------------------------------------------------------------------------------
    @property
    def label(self) -> str:
        return str(self.indicator["label_en" if self.lang == "en" else "label_sv"])

    @property
    def unit(self) -> str:
        return str(self.indicator["unit"])

    @property
    def decimals(self) -> int:
        d = self.indicator.get("decimals")
        return int(d) if d is not None and not pd.isna(d) else 1

    @property
    def unit_name(self) -> str:
        name = t(f"unit_names.{self.unit}", self.lang)
        return name[:1].upper() + name[1:]

    @property
    def period_text(self) -> str:
        return fmt_period(self.period, self.lang)

    @property
    def region_level(self) -> str:
        """The level of the mapped regions: 'lan' at level 'lan', else 'kommun'."""
        return "lan" if self.level == "lan" else "kommun"

    def level_text(self, key: str, **kw) -> str:
        """The UI string ``karta.levels.<level>.<key>`` (titles and sentences that name the regions)."""
        return t(f"karta.levels.{self.level}.{key}", self.lang, **kw)

    def group_label(self) -> str:
        """The population group in the UI language, lower case for use inside a sentence;
        '' for the whole population."""
        if not self.category:
            return ""
        return category_label(self.category, self.lang, self.indicator, capitalise=False)

    def group_suffix(self, key: str = "karta.subtitle_group") -> str:
        """', utrikes född' (subtitles) or, with key 'karta.alt_group', ' (utrikes född)'."""
        group = self.group_label()
        return t(key, self.lang, group=group) if group else ""

    def fmt(self, value: object) -> str:
        """The value with its unit in the UI language, '..' when missing."""
        return fmt_value(value, self.unit, self.lang, self.decimals)

    def definition(self) -> str:
        return str(self.indicator.get("definition_en" if self.lang == "en" else "definition_sv") or "")

    # --- data --------------------------------------------------------------------------------
    def _named(self, rows: pd.DataFrame) -> pd.DataFrame:
        name_col = "region_name_en" if self.lang == "en" else "region_name"
        return pd.DataFrame({"code": rows["region_code"].astype(str).to_numpy(),
                             "name": rows[name_col].astype(str).to_numpy(),
                             "value": pd.to_numeric(rows["value"], errors="coerce").to_numpy(dtype=float)})

    def regions(self) -> pd.DataFrame:
        """The mapped regions: code, name, value, rank: highest value first (ties by name), missing
        values last with rank NA."""
        return self._ranked.copy()

    @cached_property
    def _ranked(self) -> pd.DataFrame:
        df = self._named(self.values[self.values["level"] == self.region_level])
        df = df.sort_values(["value", "name"], ascending=[False, True], na_position="last",
                            key=lambda s: s.map(sort_key) if s.name == "name" else s)
        df["rank"] = pd.array([i + 1 if pd.notna(v) else pd.NA for i, v in enumerate(df["value"])], dtype="Int64")
        return df.reset_index(drop=True)

    def ranking(self) -> pd.DataFrame:
        """The rows of the ranking chart: every mapped region, except at level 'sverige', where 290
        bars would not be read: the RANK_EDGE highest and lowest and the county's kommuner (each
        with its rank in Sweden), in rank order."""
        k = self.regions()
        if self.level != "sverige" or len(k) <= 2 * RANK_EDGE + 15:
            return k
        parent = dict(zip(self.values["region_code"].astype(str), self.values["parent_code"].astype(str)))
        ranked = k["rank"].notna()
        n = int(ranked.sum())
        keep = (ranked & ((k["rank"] <= RANK_EDGE) | (k["rank"] > n - RANK_EDGE))).fillna(False)
        keep |= k["code"].map(parent).eq(self.county)
        return k[keep.to_numpy(dtype=bool)].reset_index(drop=True)

    def ranking_note(self) -> str:
        """'' when the ranking shows every region, else a sentence saying which ones it shows."""
        shown, total = len(self.ranking()), len(self.regions())
        if shown == total:
            return ""
        return t("karta.ranking_subset", self.lang, edge=RANK_EDGE, n=int(self.regions()["rank"].notna().sum()),
                 county=self.county_name or self.county)

    def reference(self, level: str) -> tuple[str, float] | None:
        """(name, value) of the county (level 'lan', at map level 'kommun' only) or Riket ('riket');
        None when that is not a reference of this map; value NaN if missing."""
        if level == self.region_level:
            return None
        rows = self._named(self.values[self.values["level"] == level])
        if rows.empty:
            return None
        return rows["name"].iloc[0], float(rows["value"].iloc[0])

    def references(self) -> list[tuple[str, float]]:
        """The (name, value) of each reference the map is compared with: county then Riket."""
        return [r for r in (self.reference("lan"), self.reference("riket")) if r is not None]

    def source_ids(self) -> list[str]:
        return [s for s in dict.fromkeys(self.values["source_id"].dropna().astype(str))]

    def short_names(self) -> dict[str, str]:
        """Code -> the short name slides label a region with ('Dalarna' for Dalarnas län)."""
        col = "short_name" if "short_name" in self.values.columns and self.lang == "sv" else \
            ("region_name_en" if self.lang == "en" else "region_name")
        names = dict(zip(self.values["region_code"].astype(str), self.values[col].astype(str)))
        if self.lang == "en" and self.region_level == "lan":  # 'Dalarna County' -> 'Dalarna'
            names = {c: n.removesuffix(" County") for c, n in names.items()}
        return names

    # --- text --------------------------------------------------------------------------------
    def hover(self) -> dict[str, str]:
        """Region code -> 'Falun: 4,3 %<br>Dalarnas län: 4,1 %<br>Riket: 5,4 %'."""
        tail = "".join(f"<br>{plot_text(name)}: {self._hover_value(v)}" for name, v in self.references())
        return {row.code: f"<b>{plot_text(row.name)}</b>: {self._hover_value(row.value)}{tail}"
                for row in self.regions().itertuples()}

    def _hover_value(self, value: float) -> str:
        text = self.fmt(value)
        return t("common.missing", self.lang) if text == MISSING_TEXT else text

    def summary(self) -> str:
        """One or two sentences: highest and lowest region, the references, any missing."""
        lang, k = self.lang, self.regions()
        county = self.reference("lan")
        shown = k.dropna(subset=["value"])
        if shown.empty:
            return self.level_text("alt_none", county=county[0] if county else "", period=self.period_text)
        text = [shown["value"].map(self.fmt)]
        high = shown[text[0] == text[0].iloc[0]]["name"].tolist()  # ties on the shown (rounded) value
        low = shown[text[0] == text[0].iloc[-1]]["name"].tolist()
        sentence = t("karta.alt_sentence", lang, label=self.label, group=self.group_suffix("karta.alt_group"),
                     period=self.period_text, high=_join(high, lang), high_value=text[0].iloc[0],
                     low=_join(low, lang), low_value=text[0].iloc[-1])
        refs = [f"{name}: {self.fmt(value)}" for name, value in self.references()]
        if refs:
            sentence += " " + "; ".join(refs) + "."
        missing = k[k["value"].isna()]["name"].tolist()
        if missing:
            if len(missing) > 20:  # Sweden's kommuner before every county is loaded: count, not list
                sentence += " " + t("karta.alt_missing_n", lang, n=len(missing))
            else:
                sentence += " " + t("karta.alt_missing", lang, names=_join(missing, lang))
        return sentence

    def value_column(self) -> str:
        return t("karta.col_value", self.lang, label=self.label, unit=t(f"unit_names.{self.unit}", self.lang))

    def table(self) -> pd.DataFrame:
        """The mapped regions in name order, then the references: code, region, period, value."""
        k = self.regions()
        k = k.iloc[sorted(range(len(k)), key=lambda i: sort_key(k["name"].iloc[i]))]
        refs = [self._named(self.values[self.values["level"] == lvl]) for lvl in ("lan", "riket")
                if self.reference(lvl) is not None]
        rows = pd.concat([k[["code", "name", "value"]], *refs], ignore_index=True)
        return pd.DataFrame({
            t("karta.col_code", self.lang): rows["code"],
            t("karta.col_region", self.lang): rows["name"],
            t("karta.col_period", self.lang): self.period_text,
            self.value_column(): rows["value"],
        })

    def key(self, kind: str) -> str:
        """A stable slug such as 'karta-arbetsloshet-2026m04-20' (plus the group when one is
        chosen); the county code is the level's place in it, or 'lan' / 'sverige' for Sweden's maps."""
        if self.level == "kommun":
            county = self.values.loc[self.values["level"] == "lan", "region_code"]
            where = county.iloc[0] if len(county) else self.county
        else:
            where = self.level
        return spec_key(kind, self.indicator["id"], self.period, where, self.category)

    def colour_range(self) -> tuple[float, float] | None:
        """(min, max) of the mapped values, widened when all are equal; None when none exist."""
        v = self.regions()["value"].dropna()
        if v.empty:
            return None
        lo, hi = float(v.min()), float(v.max())
        if hi - lo < 1e-9:
            pad = abs(lo) * 0.05 or 1.0
            lo, hi = lo - pad, hi + pad
        return lo, hi

    def colour_ticks(self) -> list[tuple[float, str]]:
        """(value, label) of the colour bar's ticks, in the UI language ('2,5' in Swedish): the
        same on the screen and on the slide."""
        rng = self.colour_range()
        if rng is None:
            return []
        ticks, decimals = nice_ticks(*rng)
        return [(v, fmt_number(v, self.lang, decimals)) for v in ticks]

    def colour(self, value: float) -> str:
        """'#rrggbb' the map fills a region of ``value`` with (MISSING for a missing value)."""
        rng = self.colour_range()
        if rng is None or value is None or pd.isna(value):
            return MISSING
        return colour_at(SEQUENTIAL, (float(value) - rng[0]) / (rng[1] - rng[0]))


def _join(names: list[str], lang: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {t('karta.and', lang)} " + names[-1]


_SV_ORDER = {"å": "{", "ä": "|", "ö": "}"}  # Swedish alphabet: ... z å ä ö ('{|}' follow 'z' in ASCII)


def sort_key(name: object) -> str:
    """A key that sorts names in Swedish alphabetical order (å, ä, ö after z)."""
    return "".join(_SV_ORDER.get(c, c) for c in str(name).lower())


def build_map(view: MapView, shapes: Shapes, *, county_name: str) -> FigureSpec:
    """The choropleth as a FigureSpec. shapes: the level's polygons (atlas.geo.Shapes, from
    ``karta_geometry``). Regions without a value are a separate grey trace with the legend entry
    '.. uppgift saknas'; they are never coloured as zero. A region with a value but no polygon is
    named in a note on the map and in the subtitle; the rest is drawn. Each trace carries only
    the polygons it draws."""
    lang = view.lang
    k = view.regions()
    hover = view.hover()
    not_drawn = k[~k["code"].isin(shapes.geometries)]
    k = k[k["code"].isin(shapes.geometries)]
    has, missing = k[k["value"].notna()], k[k["value"].isna()]
    fig = go.Figure()
    rng = view.colour_range()
    ticks = view.colour_ticks()
    outline = 1 if len(k) <= 60 else 0.5  # Sweden's 290 kommuner: thinner borders, or they fill the south
    if not has.empty and rng is not None:
        fig.add_trace(go.Choroplethmap(
            geojson=shapes.collection(has["code"]), featureidkey="id", locations=has["code"].tolist(),
            z=has["value"].tolist(), zmin=rng[0], zmax=rng[1], colorscale=SEQUENTIAL,
            marker={"line": {"color": "white", "width": outline}},
            text=[hover[c] for c in has["code"]], hovertemplate="%{text}<extra></extra>",
            name=view.label, showlegend=False,
            colorbar={"title": {"text": t(f"units.{view.unit}", lang) or view.unit_name, "side": "top"},
                      "thickness": 14, "len": 0.6, "x": 0.0, "xanchor": "left", "y": 0.98,
                      "yanchor": "top", "bgcolor": "rgba(255,255,255,0.8)",
                      "tickvals": [v for v, _ in ticks], "ticktext": [label for _, label in ticks]},
        ))
    if not missing.empty:
        fig.add_trace(go.Choroplethmap(
            geojson=shapes.collection(missing["code"]), featureidkey="id", locations=missing["code"].tolist(),
            z=[0] * len(missing), colorscale=[[0, MISSING], [1, MISSING]], showscale=False, showlegend=True,
            name=t("karta.missing_legend", lang), marker={"line": {"color": "white", "width": outline}},
            text=[hover[c] for c in missing["code"]], hovertemplate="%{text}<extra></extra>",
        ))
    note = t("karta.not_drawn", lang, names=_join(not_drawn["name"].tolist(), lang)) if len(not_drawn) else ""
    annotations = [{"text": plot_text(note), "x": 0.01, "y": 0.01, "xref": "paper", "yref": "paper",
                    "xanchor": "left", "yanchor": "bottom", "showarrow": False, "align": "left",
                    "bgcolor": "rgba(255,255,255,0.85)", "font": {"size": 12}}] if note else []
    centre, zoom = fit_view(shapes.bounds(k["code"]), width_px=MAP_WIDTH_PX, height_px=MAP_HEIGHT_PX)
    base_layout(
        fig, lang, axes=False, map={"style": "white-bg", "center": centre, "zoom": zoom},
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=MAP_HEIGHT_PX, annotations=annotations,
        legend={"x": 1, "xanchor": "right", "y": 0.02, "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.8)"},
    )
    summary = view.summary()
    names = view.short_names()
    return FigureSpec(
        key=view.key("karta"), figure=fig,
        title=view.level_text("map_title", label=view.label, county=county_name),
        subtitle=t("karta.subtitle", lang, unit=view.unit_name, period=view.period_text, group=view.group_suffix())
        + (f" {note}" if note else ""),
        source_ids=[*view.source_ids(), "kommun_polygoner"], as_of=view.period_text,
        definition=view.definition(), alt_text=summary + (f" {note}" if note else ""), data=view.table(),
        finding=summary,
        meta={"indicator": str(view.indicator["id"]), "period": view.period, "category": view.category,
              "level": view.level, "regions": k["code"].tolist(), "not_drawn": not_drawn["code"].tolist(),
              "map_note": note,
              "labels": {c: [names.get(c, c), *shapes.labels[c]] for c in k["code"] if c in shapes.labels}},
    )
