"""Yrkesbarometern for the Kompetensbrist page: filtering, search and summaries (no Streamlit).

The input is a ``yrke_outlook`` query result: one row per occupation (yb_concept_id) with the
county's assessment (situation, jobbmojligheter, prognos, paradox, ...) beside Riket's (*_riket).
A missing situation means Arbetsförmedlingen made no assessment ("ingen bedömning"); it is kept as
its own category everywhere, never dropped or counted as zero.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from atlas.i18n import MISSING, t

# ASCII codes for the URL (?sit=) <-> the Swedish values in the data, in the fixed display order:
# from "hardest to recruit" to "most job seekers per job", then no assessment.
SITUATION_CODES = {"brist": "brist", "paradox": "paradox", "balans": "balans", "overskott": "överskott",
                   "ingen": None}
# A shape beside every situation so that tables and legends never rely on colour alone.
SITUATION_SYMBOLS = {"brist": "▲", "paradox": "◆", "balans": "●", "overskott": "▼", "ingen": "○"}
OUTLOOKS = {"öka": "↗", "vara oförändrad": "→", "minska": "↘"}
PARADOX_REASONS = ["arbetslöshet", "deltidsarbete", "lämnare"]
MAX_SEARCH = 100  # characters kept of a search text (the text box and ?q= alike)


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def situation_code(value: object) -> str:
    """'brist'|'paradox'|'balans'|'overskott'|'ingen' for a situation value from the data
    (None/NaN -> 'ingen'; an unexpected text is returned unchanged)."""
    if _missing(value):
        return "ingen"
    for code, sv in SITUATION_CODES.items():
        if sv == value:
            return code
    return str(value)


def situation_label(code: str, lang: str, *, symbol: bool = True, short: bool = False) -> str:
    """Display label for a situation code in ``lang`` ('▲ brist', '▲ shortage', ...); ``short``
    drops the explanation that English gives after 'paradox' (for narrow axes)."""
    text = t(f"kompetensbrist.{'sit_short' if short else 'sit'}.{code}", lang)
    mark = SITUATION_SYMBOLS.get(code)
    return f"{mark} {text}" if symbol and mark else text


def area_slug(name: str) -> str:
    """An ASCII slug for a yrkesområde, for the URL (names contain commas and slashes):
    'Hälso- och sjukvård' -> 'halso-och-sjukvard', 'Data/IT' -> 'data-it'."""
    ascii_text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def area_slugs(areas) -> dict[str, str]:
    """slug -> yrkesområde for the areas in the data. A slug shared by two names (not the case in
    Arbetsförmedlingen's current areas) gets a numeric suffix so every link stays unambiguous."""
    out: dict[str, str] = {}
    for name in sorted({str(a) for a in areas if not _missing(a)}):
        base = area_slug(name) or "omrade"
        slug, n = base, 2
        while slug in out:
            slug, n = f"{base}-{n}", n + 1
        out[slug] = name
    return out


def ssyk_codes(value: object) -> list[str]:
    """The SSYK codes of an occupation: '2413, 2414, 3311' -> ['2413', '2414', '3311']."""
    if _missing(value):
        return []
    return [c.strip() for c in str(value).split(",") if c.strip()]


def clean_search(text: object) -> str:
    """The search text as plain text: stripped, at most MAX_SEARCH characters, '' for None."""
    return "" if _missing(text) else str(text).strip()[:MAX_SEARCH]


def search_mask(df: pd.DataFrame, text: object) -> pd.Series:
    """True for rows whose yb_yrke contains ``text`` (case-insensitive, plain substring, never a
    regex) or whose SSYK codes start with it ('83' and '8332' both find 8332). Empty text: all."""
    q = clean_search(text)
    if not q:
        return pd.Series(True, index=df.index)
    needle = q.casefold()
    names = df["yb_yrke"].map(lambda s: not _missing(s) and needle in str(s).casefold())
    code = q.replace(" ", "")
    codes = df["ssyk"].map(lambda s: any(c.startswith(code) for c in ssyk_codes(s)))
    return (names | codes).astype(bool)


def situation_column(df: pd.DataFrame, riket_only: bool = False) -> pd.Series:
    """Situation codes of the region shown (the county, or Riket when ``riket_only``)."""
    return df["situation_riket" if riket_only else "situation"].map(situation_code)


def filter_occupations(df: pd.DataFrame, *, areas=(), situations=(), text: object = "",
                       riket_only: bool = False) -> pd.DataFrame:
    """The rows in any of ``areas`` (yrkesområde names; empty = all) with a situation in
    ``situations`` (codes as in SITUATION_CODES; empty = all) matching the search ``text``."""
    keep = search_mask(df, text)
    if areas:
        keep &= df["yrkesomrade"].isin(list(areas))
    if situations:
        keep &= situation_column(df, riket_only).isin(list(situations))
    return df[keep]


def sort_occupations(df: pd.DataFrame, riket_only: bool = False) -> pd.DataFrame:
    """Shortage first (brist, paradox, balans, överskott, ingen bedömning), then by name."""
    order = {c: i for i, c in enumerate(SITUATION_CODES)}
    rank = situation_column(df, riket_only).map(lambda c: order.get(c, len(order)))
    return df.assign(_rank=rank).sort_values(["_rank", "yb_yrke"], kind="stable").drop(columns="_rank")


def counts_by_area(df: pd.DataFrame, riket_only: bool = False) -> pd.DataFrame:
    """Number of occupations per yrkesområde (rows) and situation code (columns, in the fixed order
    of SITUATION_CODES, zeros kept), plus 'total'. Areas are ordered by brist, then paradox,
    then name, so the areas with the hardest recruitment come first."""
    codes = list(SITUATION_CODES)
    table = (pd.crosstab(df["yrkesomrade"], situation_column(df, riket_only))
             .reindex(columns=codes, fill_value=0).astype(int))
    table.columns.name, table.index.name = None, "yrkesomrade"
    table["total"] = table[codes].sum(axis=1)
    table = table.reset_index().sort_values(["brist", "paradox", "yrkesomrade"],
                                            ascending=[False, False, True], kind="stable")
    return table.reset_index(drop=True)


def counts_county_vs_riket(df: pd.DataFrame) -> pd.DataFrame:
    """Rows: situation codes in fixed order; columns: code, county, riket (number of occupations).
    County counts cover occupations the county has a row for (in_region)."""
    county = df.loc[df["in_region"].astype(bool), "situation"].map(situation_code).value_counts()
    riket = df["situation_riket"].map(situation_code).value_counts()
    codes = list(SITUATION_CODES)
    return pd.DataFrame({"code": codes,
                         "county": [int(county.get(c, 0)) for c in codes],
                         "riket": [int(riket.get(c, 0)) for c in codes]})


def paradox_reasons(value: object) -> list[str]:
    """'arbetslöshet, lämnare' -> ['arbetslöshet', 'lämnare']; ''/None -> []."""
    if _missing(value):
        return []
    return [r.strip() for r in str(value).split(",") if r.strip()]


# Assessment levels (level_key) from the county itself outwards.
ASSESSMENT_LEVELS = ("lan", "nuts2", "nuts2_delvis", "nuts1", "nuts1_delvis", "nationellt", "nationellt_delvis")


def level_key(level: object, part: object) -> str | None:
    """Key for how regional an assessment is, from hogsta_bedomningsniva (län, nuts2, nuts1,
    nationellt) and delvis_helt (delvis = partly based on the larger area, helt = wholly):
    'lan', 'nuts2_delvis', 'nuts1_delvis', 'nationellt_delvis', 'nationellt', ... ; None if missing."""
    if _missing(level):
        return None
    base = {"län": "lan"}.get(str(level), str(level))
    if base == "lan":
        return "lan"
    return f"{base}_delvis" if str(part) == "delvis" else base


def level_label(level: object, part: object, lang: str) -> str:
    """Readable basis of an assessment ('länet', 'delvis nationell nivå', ...); '..' if missing."""
    key = level_key(level, part)
    if key is None:
        return MISSING
    text = t(f"kompetensbrist.level.{key}", lang)
    return text if not text.startswith("kompetensbrist.") else f"{level} ({part})"


def value_label(kind: str, value: object, lang: str) -> str:
    """Display text for jobbmojligheter ('stora' ...) or prognos ('öka' ...) in ``lang``;
    a missing value is 'ingen bedömning' / 'not assessed', never blank."""
    if _missing(value):
        return t("kompetensbrist.sit.ingen", lang)
    key = {"öka": "oka", "vara oförändrad": "oforandrad", "minska": "minska",
           "stora": "stora", "medelstora": "medelstora", "små": "sma"}.get(str(value))
    text = t(f"kompetensbrist.{kind}.{key}", lang) if key else str(value)
    mark = OUTLOOKS.get(str(value)) if kind == "prognos" else None
    return f"{mark} {text}" if mark else text


def reasons_label(value: object, lang: str) -> str:
    """Paradox reasons in ``lang``, comma-joined ('' when there are none)."""
    return ", ".join(t(f"kompetensbrist.reason.{r}", lang) if r in PARADOX_REASONS else r
                     for r in paradox_reasons(value))


def display_table(df: pd.DataFrame, lang: str, *, riket_only: bool = False) -> pd.DataFrame:
    """The main table in ``lang``: one row per occupation with readable values. Column keys:
    yrke, ssyk, omrade, sit, sit_riket, jobb, jobb_riket, prognos, prognos_riket, paradox, niva
    (the county columns and niva are dropped when ``riket_only``). Occupation names stay Swedish;
    county cells of an occupation the county has no row for are '..'."""
    def sit(v: object) -> str:
        return situation_label(situation_code(v), lang)

    inside = df["in_region"].astype(bool).to_numpy()

    def county(values: pd.Series) -> list[str]:
        return [v if ok else MISSING for v, ok in zip(values, inside)]

    out = pd.DataFrame({
        "yrke": df["yb_yrke"].to_numpy(), "ssyk": df["ssyk"].to_numpy(), "omrade": df["yrkesomrade"].to_numpy(),
        "sit": county(df["situation"].map(sit)),
        "sit_riket": df["situation_riket"].map(sit).to_numpy(),
        "jobb": county(df["jobbmojligheter"].map(lambda v: value_label("jobb", v, lang))),
        "jobb_riket": df["jobbmojligheter_riket"].map(lambda v: value_label("jobb", v, lang)).to_numpy(),
        "prognos": county(df["prognos"].map(lambda v: value_label("prognos", v, lang))),
        "prognos_riket": df["prognos_riket"].map(lambda v: value_label("prognos", v, lang)).to_numpy(),
        "paradox": df["paradox_riket" if riket_only else "paradox"].map(lambda v: reasons_label(v, lang)).to_numpy(),
        "niva": county(pd.Series([level_label(a, b, lang) for a, b in zip(df["hogsta_bedomningsniva"],
                                                                          df["delvis_helt"])], dtype=object)),
    })
    if riket_only:
        out = out.drop(columns=["sit", "jobb", "prognos", "niva"])
    return out


def assessment_lines(row: pd.Series, lang: str, *, riket: bool = False) -> list[tuple[str, str]]:
    """(label, value) pairs describing one region's assessment of an occupation, for the detail
    view: situation, job prospects, outlook, paradox reasons and assessment level. ``row`` is a
    ``yrke_outlook`` row; ``riket`` picks the *_riket columns."""
    sfx = "_riket" if riket else ""

    def label(key: str) -> str:  # the column header without its region
        return t(f"kompetensbrist.col.{key}", lang, region="").strip()

    return [
        (label("sit"), situation_label(situation_code(row["situation" + sfx]), lang)),
        (label("jobb"), value_label("jobb", row["jobbmojligheter" + sfx], lang)),
        (label("prognos"), value_label("prognos", row["prognos" + sfx], lang)),
        (t("kompetensbrist.detail_reasons", lang),
         reasons_label(row["paradox" + sfx], lang) or t("kompetensbrist.detail_no_reasons", lang)),
        (t("kompetensbrist.detail_level", lang),
         level_label(row["hogsta_bedomningsniva" + sfx], row["delvis_helt" + sfx], lang)),
    ]
