"""The own comparison group on a page (Trender, Kommunprofil): its picker bound to the URL
(?egen=<kommun codes>&egen_namn=<name>), the messages for a bad group, and its line (atlas.groups)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from atlas import groups
from atlas.asf import md_escape
from atlas.figures.spec import FigureSpec, slug, spec_key
from atlas.i18n import t
from atlas.ui.data import query
from atlas.ui.state import UrlState

PARAMS = ("egen", "egen_namn")


@dataclass(frozen=True)
class Group:
    """A chosen group: its cleaned name and its kommun codes (not empty)."""

    name: str
    members: list[str]


def picker(url: UrlState, lang: str, *, prefix: str, names: dict[str, str]) -> Group | None:
    """The group's name and kommuner (any county with data), bound to ?egen_namn= and ?egen=; a
    link naming Riket or a county, or an empty group, gets its own message. Returns the group, or
    None when no kommun is chosen."""
    options = query("group_kommuner")
    codes = options["code"].tolist()
    county = dict(zip(options["code"], options["county_en" if lang == "en" else "county"]))
    raw = st.query_params.get("egen")
    if url.changed and raw:
        parsed = groups.parse_members(raw, query("regions_all"), codes)
        if parsed.other_level:
            st.warning(t("groups.mixed_levels", lang, codes=", ".join(parsed.other_level)), icon=":material/group_off:")
    members = url.many(f"{prefix}_egen", "egen", codes, [], max_items=groups.MAX_MEMBERS)
    typed = url.text(f"{prefix}_egen_namn", "egen_namn", max_len=groups.MAX_NAME * 2)
    with st.expander(t("groups.title", lang), expanded=bool(members or typed), icon=":material/group_work:"):
        st.caption(t("groups.help", lang, n=groups.MAX_MEMBERS))
        c1, c2 = st.columns([1, 2])
        c1.text_input(t("groups.name", lang), key=f"{prefix}_egen_namn", max_chars=groups.MAX_NAME,
                      placeholder=t("groups.default_name", lang))
        c2.multiselect(t("groups.members", lang), codes, key=f"{prefix}_egen", max_selections=groups.MAX_MEMBERS,
                       format_func=lambda c: f"{names.get(c, c)} ({county.get(c, '..')})",
                       placeholder=t("groups.members_placeholder", lang))
    name = groups.clean_name(typed, lang)
    if not members:
        if typed.strip() or (raw is not None and raw.strip() and url.changed):
            st.info(t("groups.empty", lang, name=md_escape(name)), icon=":material/group_off:")
        return None
    return Group(name, members)


def line(group: Group, *, indicator: pd.Series | dict, sex: str, category: str, lang: str,
         names: dict[str, str]) -> tuple[pd.DataFrame, str, dict] | None:
    """The group's rows for a ``series``-shaped frame (region_code 'grupp', its name), the
    caption saying how they were computed (Markdown-safe) and what downloads say about the group;
    None (after a message) when no member has data for the indicator."""
    ind = str(indicator["id"])
    values = query("group_values", indicators=groups.needed_indicators(ind), regions=group.members, sex=sex,
                   category=category)
    agg = groups.aggregate(values, indicator=ind, unit=str(indicator["unit"]), members=group.members)
    label = str(indicator["label_en" if lang == "en" else "label_sv"])
    if agg.rows["value"].notna().sum() == 0:
        st.info(t("groups.no_values", lang, name=md_escape(group.name), indicator=label), icon=":material/group_off:")
        return None
    catalogue = query("indicator_coverage")
    labels = dict(zip(catalogue["id"], catalogue["label_en" if lang == "en" else "label_sv"]))
    plain = groups.method_text(agg, name=group.name, members=group.members, indicator_label=label, labels=labels,
                               names=names, lang=lang)
    shown = groups.method_text(agg, name=md_escape(group.name), members=group.members, indicator_label=label,
                               labels=labels, names=names, lang=lang)
    rows = agg.rows.assign(region_name=group.name, region_name_en=group.name,
                           period_type="year" if indicator.get("frequency") == "year" else "month")
    meta = groups.download_meta(agg, name=group.name, members=group.members, names=names, text=plain, lang=lang)
    return rows, shown, meta


def with_group(spec: FigureSpec, group: Group, meta: dict, note: str) -> FigureSpec:
    """``spec`` (drawn with the group's line) keyed by the group too, its definition saying how the
    line was computed and its downloads describing the group (a copy: cached specs stay as built)."""
    return replace(spec, key=spec_key(spec.key, "egen", group.members, slug(group.name)),
                   definition=f"{spec.definition}\n\n{note}", meta={**spec.meta, "download": meta,
                                                                  "group": group.members})
