"""Choropleth of one indicator over a county's kommuner, drawn with MapLibre on a white background
(``choroplethmap``, ``map_style="white-bg"``: no tile server, no outside request).

``MapView`` holds what both the map and the ranked bar chart (atlas.figures.bars) show, and the
text they share: labels, formatted values, hover lines, the plain-language summary and tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go

from atlas.figures.labels import category_label
from atlas.figures.layout import base_layout
from atlas.figures.palette import MISSING
from atlas.figures.spec import FigureSpec, spec_key
from atlas.geo import bounds, fit_view
from atlas.i18n import MISSING as MISSING_TEXT
from atlas.i18n import fmt_period, fmt_value, t

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


@dataclass(frozen=True)
class MapView:
    """One indicator, period and population group for the kommuner of a county.

    values: a ``karta_values`` result (region_code, region_name, region_name_en, level, value,
    source_id), one row per kommun plus the county ('lan') and Riket ('riket'); value NaN = missing.
    indicator: a ``karta_indicators`` row (id, label_sv/en, unit, decimals, definition_sv/en,
    categories_en JSON). period: '2026M04' or '2024'. category: '' (everyone) or a category value.
    lang: 'sv' or 'en'.
    """

    values: pd.DataFrame
    indicator: Mapping
    period: str
    category: str = ""
    lang: str = "sv"

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

    def kommuner(self) -> pd.DataFrame:
        """code, name, value, rank: highest value first (ties by name), missing values last
        with rank NA."""
        return self._ranked.copy()

    @cached_property
    def _ranked(self) -> pd.DataFrame:
        df = self._named(self.values[self.values["level"] == "kommun"])
        df = df.sort_values(["value", "name"], ascending=[False, True], na_position="last",
                            key=lambda s: s.map(sort_key) if s.name == "name" else s)
        df["rank"] = pd.array([i + 1 if pd.notna(v) else pd.NA for i, v in enumerate(df["value"])], dtype="Int64")
        return df.reset_index(drop=True)

    def reference(self, level: str) -> tuple[str, float] | None:
        """(name, value) of the county (level 'lan') or Riket ('riket'); value NaN if missing."""
        rows = self._named(self.values[self.values["level"] == level])
        if rows.empty:
            return None
        return rows["name"].iloc[0], float(rows["value"].iloc[0])

    def source_ids(self) -> list[str]:
        return [s for s in dict.fromkeys(self.values["source_id"].dropna().astype(str))]

    # --- text --------------------------------------------------------------------------------
    def hover(self) -> dict[str, str]:
        """Kommun code -> 'Falun: 4,3 %<br>Dalarnas län: 4,1 %<br>Riket: 5,4 %'."""
        refs = [r for r in (self.reference("lan"), self.reference("riket")) if r is not None]
        tail = "".join(f"<br>{name}: {self._hover_value(v)}" for name, v in refs)
        return {row.code: f"<b>{row.name}</b>: {self._hover_value(row.value)}{tail}"
                for row in self.kommuner().itertuples()}

    def _hover_value(self, value: float) -> str:
        text = self.fmt(value)
        return t("common.missing", self.lang) if text == MISSING_TEXT else text

    def summary(self) -> str:
        """One or two sentences: highest and lowest kommun, county and Riket, any missing."""
        lang, k = self.lang, self.kommuner()
        county = self.reference("lan")
        shown = k.dropna(subset=["value"])
        if shown.empty:
            return t("karta.alt_none", lang, county=county[0] if county else "", period=self.period_text)
        text = [shown["value"].map(self.fmt)]
        high = shown[text[0] == text[0].iloc[0]]["name"].tolist()  # ties on the shown (rounded) value
        low = shown[text[0] == text[0].iloc[-1]]["name"].tolist()
        sentence = t("karta.alt_sentence", lang, label=self.label, group=self.group_suffix("karta.alt_group"),
                     period=self.period_text, high=_join(high, lang), high_value=text[0].iloc[0],
                     low=_join(low, lang), low_value=text[0].iloc[-1])
        riket = self.reference("riket")
        if county and riket:
            sentence += " " + t("karta.alt_refs", lang, county=county[0], county_value=self.fmt(county[1]),
                                riket=riket[0], riket_value=self.fmt(riket[1]))
        missing = k[k["value"].isna()]["name"].tolist()
        if missing:
            sentence += " " + t("karta.alt_missing", lang, names=_join(missing, lang))
        return sentence

    def value_column(self) -> str:
        return t("karta.col_value", self.lang, label=self.label, unit=t(f"unit_names.{self.unit}", self.lang))

    def table(self) -> pd.DataFrame:
        """Kommuner in name order, then the county and Riket: code, region, period, value."""
        k = self.kommuner()
        k = k.iloc[sorted(range(len(k)), key=lambda i: sort_key(k["name"].iloc[i]))]
        refs = [self._named(self.values[self.values["level"] == lvl]) for lvl in ("lan", "riket")]
        rows = pd.concat([k[["code", "name", "value"]], *refs], ignore_index=True)
        return pd.DataFrame({
            t("karta.col_code", self.lang): rows["code"],
            t("karta.col_region", self.lang): rows["name"],
            t("karta.col_period", self.lang): self.period_text,
            self.value_column(): rows["value"],
        })

    def key(self, kind: str) -> str:
        """A stable slug such as 'karta-arbetsloshet-2026m04-20' (plus the group when one is chosen)."""
        county = self.values.loc[self.values["level"] == "lan", "region_code"]
        return spec_key(kind, self.indicator["id"], self.period, county.iloc[0] if len(county) else "", self.category)

    def colour_range(self) -> tuple[float, float] | None:
        """(min, max) of the kommun values, widened when all are equal; None when none exist."""
        v = self.kommuner()["value"].dropna()
        if v.empty:
            return None
        lo, hi = float(v.min()), float(v.max())
        if hi - lo < 1e-9:
            pad = abs(lo) * 0.05 or 1.0
            lo, hi = lo - pad, hi + pad
        return lo, hi


def _join(names: list[str], lang: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {t('karta.and', lang)} " + names[-1]


_SV_ORDER = {"å": "{", "ä": "|", "ö": "}"}  # Swedish alphabet: ... z å ä ö ('{|}' follow 'z' in ASCII)


def sort_key(name: object) -> str:
    """A key that sorts names in Swedish alphabetical order (å, ä, ö after z)."""
    return "".join(_SV_ORDER.get(c, c) for c in str(name).lower())


def build_map(view: MapView, geojson: dict, *, county_name: str) -> FigureSpec:
    """The choropleth as a FigureSpec. geojson: a FeatureCollection whose feature ids are kommun
    codes (atlas.geo.feature_collection). Kommuner without a value are a separate grey trace with
    the legend entry '.. uppgift saknas'; they are never coloured as zero."""
    lang = view.lang
    k = view.kommuner()
    hover = view.hover()
    drawn_ids = {f["id"] for f in geojson.get("features", [])}
    k = k[k["code"].isin(drawn_ids)]
    has, missing = k[k["value"].notna()], k[k["value"].isna()]
    fig = go.Figure()
    rng = view.colour_range()
    if not has.empty and rng is not None:
        fig.add_trace(go.Choroplethmap(
            geojson=geojson, featureidkey="id", locations=has["code"].tolist(), z=has["value"].tolist(),
            zmin=rng[0], zmax=rng[1], colorscale=SEQUENTIAL, marker={"line": {"color": "white", "width": 1}},
            text=[hover[c] for c in has["code"]], hovertemplate="%{text}<extra></extra>",
            name=view.label, showlegend=False,
            colorbar={"title": {"text": t(f"units.{view.unit}", lang) or view.unit_name, "side": "top"},
                      "thickness": 14, "len": 0.6, "x": 0.0, "xanchor": "left", "y": 0.98,
                      "yanchor": "top", "bgcolor": "rgba(255,255,255,0.8)", "tickformat": TICKS},
        ))
    if not missing.empty:
        fig.add_trace(go.Choroplethmap(
            geojson=geojson, featureidkey="id", locations=missing["code"].tolist(), z=[0] * len(missing),
            colorscale=[[0, MISSING], [1, MISSING]], showscale=False, showlegend=True,
            name=t("karta.missing_legend", lang), marker={"line": {"color": "white", "width": 1}},
            text=[hover[c] for c in missing["code"]], hovertemplate="%{text}<extra></extra>",
        ))
    centre, zoom = fit_view(bounds(geojson), width_px=MAP_WIDTH_PX, height_px=MAP_HEIGHT_PX)
    base_layout(
        fig, lang, axes=False, map={"style": "white-bg", "center": centre, "zoom": zoom},
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=MAP_HEIGHT_PX,
        legend={"x": 1, "xanchor": "right", "y": 0.02, "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.8)"},
    )
    summary = view.summary()
    return FigureSpec(
        key=view.key("karta"), figure=fig,
        title=t("karta.map_title", lang, label=view.label, county=county_name),
        subtitle=t("karta.subtitle", lang, unit=view.unit_name, period=view.period_text, group=view.group_suffix()),
        source_ids=[*view.source_ids(), "kommun_polygoner"], as_of=view.period_text,
        definition=view.definition(), alt_text=summary, data=view.table(), finding=summary,
        meta={"indicator": str(view.indicator["id"]), "period": view.period, "category": view.category,
              "regions": k["code"].tolist()},
    )
