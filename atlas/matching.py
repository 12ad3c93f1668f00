"""Matchning: where the training that ASF give meets shortage occupations (no Streamlit).

Three inputs are put together:
- occupations: Yrkesbarometern rows for one county and release (query ``match_occupations``:
  yb_concept_id, yb_yrke, yrkesomrade, ssyk, situation, ...). ``ssyk`` is a text that may hold
  several codes ('8171, 8172'), and several occupations may share one code.
- the register of ASF (query ``match_asf``: asf_id, name, kommun_code, ...).
- the curated mapping data/curated/asf_ssyk_mapping.csv (line_of_business_key, asf_id, ssyk,
  rationale_sv, rationale_en): Inkluderingsatlas' judgement of which occupations an enterprise's
  stated work trains toward. It is not official statistics.

An occupation is *covered* when any of its SSYK codes is mapped for an ASF that the kommun filter
keeps. A *gap* is a shortage occupation with a low entry requirement that no kept ASF covers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from atlas import CURATED_DIR
from atlas.i18n import t, t_or
from atlas.occupations import area_slug, situation_code, situation_label, ssyk_codes

MAPPING_PATH = CURATED_DIR / "asf_ssyk_mapping.csv"
SERVICES_PATH = CURATED_DIR / "asf_services.csv"
MAPPING_COLUMNS = ["line_of_business_key", "asf_id", "ssyk", "rationale_sv", "rationale_en"]

SHORTAGE = ("brist", "paradox")  # situation codes (atlas.occupations) that count as shortage here
# Entry levels from the SSYK 2012 major group (first digit), a proxy for the skill level that
# SSYK assigns to each major group. Display order: easiest entry first.
ENTRY_LEVELS = ("kort", "gymnasie", "eftergymnasial", "hogskola", "militar", "okand")
LOW_ENTRY = ("kort", "gymnasie")
_MAJOR_GROUP_LEVEL = {"9": "kort", "4": "gymnasie", "5": "gymnasie", "6": "gymnasie", "7": "gymnasie",
                      "8": "gymnasie", "3": "eftergymnasial", "1": "hogskola", "2": "hogskola", "0": "militar"}
# When one occupation lists codes from several major groups, the most demanding level is used,
# so that no occupation is called easy to enter on the strength of one of its codes.
_DEMAND = {"kort": 1, "gymnasie": 2, "eftergymnasial": 3, "hogskola": 4, "militar": 0}


def entry_level(code: object) -> str:
    """Entry level key for one SSYK code from its first digit: '9' -> 'kort', '4'-'8' ->
    'gymnasie', '3' -> 'eftergymnasial', '1'/'2' -> 'hogskola', '0' -> 'militar';
    anything else (missing, not a digit) -> 'okand'."""
    text = "" if code is None or (not isinstance(code, str) and pd.isna(code)) else str(code).strip()
    return _MAJOR_GROUP_LEVEL.get(text[:1], "okand") if text[:1].isdigit() else "okand"


def occupation_entry_level(ssyk: object) -> str:
    """Entry level of an occupation whose ``ssyk`` may list several codes ('2413, 2414, 3311'):
    the most demanding level among them (see ENTRY_LEVELS); 'okand' when no code is given."""
    levels = {entry_level(c) for c in ssyk_codes(ssyk)} - {"okand"}
    if not levels:
        return "okand"
    return max(levels, key=lambda lv: _DEMAND[lv])


def load_mapping(path: Path = MAPPING_PATH) -> pd.DataFrame:
    """The curated mapping as text columns (MAPPING_COLUMNS); codes keep their leading digits."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return df[MAPPING_COLUMNS].apply(lambda s: s.str.strip())


def load_services(path: Path = SERVICES_PATH) -> pd.DataFrame:
    """asf_services.csv (asf_id, category_id, service_sv, service_en, source_url, ...) when it
    exists, else an empty frame with those columns. Written by another page; only read here."""
    cols = ["asf_id", "category_id", "service_sv", "service_en", "source_url"]
    if not Path(path).exists():
        return pd.DataFrame(columns=cols)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return df[[c for c in cols if c in df.columns]].reindex(columns=cols, fill_value="")


def shortage_occupations(occupations: pd.DataFrame, *, areas=()) -> pd.DataFrame:
    """The occupations whose situation is brist or paradox, in ``areas`` (yrkesområde names;
    empty = all), with added columns situation_code, entry_level, codes (list of SSYK codes) and
    area_slug. Sorted by yrkesområde, then name."""
    sit = occupations["situation"].map(situation_code)
    out = occupations[sit.isin(SHORTAGE)].copy()
    if len(areas):
        out = out[out["yrkesomrade"].isin(list(areas))]
    out["situation_code"] = out["situation"].map(situation_code)
    out["entry_level"] = out["ssyk"].map(occupation_entry_level)
    out["codes"] = out["ssyk"].map(ssyk_codes)
    out["area_slug"] = out["yrkesomrade"].map(area_slug)
    return out.sort_values(["yrkesomrade", "yb_yrke", "yb_concept_id"], kind="stable").reset_index(drop=True)


def active_mapping(mapping: pd.DataFrame, register: pd.DataFrame, *, kommuner=()) -> pd.DataFrame:
    """Mapping rows joined with their enterprise (name, kommun_code, and whatever else
    ``register`` holds), limited to enterprises in ``kommuner`` (kommun codes; empty = every
    enterprise, also those whose kommun is unknown). Rows whose asf_id is not in the register are
    dropped."""
    out = mapping.merge(register, on="asf_id", how="inner")
    if len(kommuner):
        out = out[out["kommun_code"].isin(list(kommuner))]
    return out.reset_index(drop=True)


def covered(shortage: pd.DataFrame, active: pd.DataFrame) -> pd.DataFrame:
    """One row per shortage occupation and enterprise that trains toward it: the occupation's
    columns, ``matched_ssyk`` (the code that links them), and the enterprise's columns from
    ``active``; several lines of business of one enterprise for the same code are joined with
    '; ' (line_of_business_key, rationale_sv, rationale_en). Sorted by occupation, then name."""
    occ_cols = [c for c in shortage.columns if c != "codes"]
    if shortage.empty or active.empty:
        return pd.DataFrame(columns=[*occ_cols, "matched_ssyk", *[c for c in active.columns if c != "ssyk"]])
    pairs = shortage[["yb_concept_id", "codes"]].explode("codes").dropna().rename(columns={"codes": "matched_ssyk"})
    hits = pairs.merge(active.rename(columns={"ssyk": "matched_ssyk"}), on="matched_ssyk", how="inner")
    joined = ["line_of_business_key", "rationale_sv", "rationale_en"]
    keys = ["yb_concept_id", "asf_id"]
    first = hits.drop(columns=joined).drop_duplicates(keys)
    texts = hits.groupby(keys, sort=False)[joined].agg(lambda s: "; ".join(dict.fromkeys(s)))
    hits = first.merge(texts.reset_index(), on=keys)
    out = shortage[occ_cols].merge(hits, on="yb_concept_id", how="inner")
    return out.sort_values(["yrkesomrade", "yb_yrke", "yb_concept_id", "name", "asf_id"],
                           kind="stable").reset_index(drop=True)


def covered_ids(shortage: pd.DataFrame, active: pd.DataFrame) -> set[str]:
    """yb_concept_id of the shortage occupations that at least one enterprise in ``active`` covers."""
    mapped = set(active["ssyk"])
    return {i for i, codes in zip(shortage["yb_concept_id"], shortage["codes"]) if mapped & set(codes)}


def gaps(shortage: pd.DataFrame, active: pd.DataFrame) -> pd.DataFrame:
    """Shortage occupations with a low entry level (LOW_ENTRY) that no enterprise in ``active``
    covers: the business opportunities. Same columns as ``shortage``, by yrkesområde and name."""
    done = covered_ids(shortage, active)
    keep = shortage["entry_level"].isin(LOW_ENTRY) & ~shortage["yb_concept_id"].isin(done)
    return shortage[keep].reset_index(drop=True)


def coverage_counts(shortage: pd.DataFrame, active: pd.DataFrame) -> pd.DataFrame:
    """Shortage occupations per entry level: columns entry_level, covered, not_covered, total
    (ints). The four civil levels are always listed (zeros kept); 'militar' and 'okand' only when
    they occur. Ordered as ENTRY_LEVELS."""
    done = covered_ids(shortage, active)
    is_cov = shortage["yb_concept_id"].isin(done)
    rows = []
    for level in ENTRY_LEVELS:
        here = shortage["entry_level"] == level
        if level in ("militar", "okand") and not here.any():
            continue
        n_cov = int((here & is_cov).sum())
        rows.append({"entry_level": level, "covered": n_cov, "not_covered": int(here.sum()) - n_cov,
                     "total": int(here.sum())})
    return pd.DataFrame(rows, columns=["entry_level", "covered", "not_covered", "total"])


def unmapped_enterprises(register: pd.DataFrame, mapping: pd.DataFrame) -> dict[str, list[str]]:
    """Enterprises without any mapping row, split by why: 'no_business' (the register states no
    line of business) and 'not_mapped' (it states one that the mapping does not link to an
    occupation). Values are enterprise names, sorted."""
    rest = register[~register["asf_id"].isin(set(mapping["asf_id"]))]
    stated = rest["line_of_business_sv"].fillna("").astype(str).str.strip() != ""
    return {"no_business": sorted(rest.loc[~stated, "name"], key=str.casefold),
            "not_mapped": sorted(rest.loc[stated, "name"], key=str.casefold)}


def mapped_per_kommun(active: pd.DataFrame) -> dict[str, int]:
    """kommun code -> number of distinct enterprises with at least one mapping row there."""
    known = active[active["kommun_code"].fillna("").astype(str) != ""]
    return {str(k): int(v) for k, v in known.groupby("kommun_code")["asf_id"].nunique().items()}


def gaps_by_area(gap: pd.DataFrame) -> pd.DataFrame:
    """Gap occupations per yrkesområde: columns yrkesomrade, n; most gaps first, then by name."""
    counts = gap.groupby("yrkesomrade").size().rename("n").reset_index()
    return counts.sort_values(["n", "yrkesomrade"], ascending=[False, True], kind="stable").reset_index(drop=True)


# --- Display tables (column keys; the page names them with t('matchning.col.<key>')) -----------

def _kommun_label(row: pd.Series, lang: str) -> str:
    name = row.get("kommun_name_en" if lang == "en" else "kommun_name")
    if isinstance(name, str) and name:
        return name
    return t("matchning.unknown_kommun", lang)


def _service(row: pd.Series, services: pd.DataFrame, lang: str) -> tuple[str, str]:
    """(what the enterprise does in this line of business, the URL that states it): the
    asf_services.csv text and source where a row for the same enterprise and key exists, else
    the line of business' label and the register's primary source."""
    texts, url = [], ""
    for key in str(row["line_of_business_key"]).split("; "):
        hit = services[(services["asf_id"] == row["asf_id"]) & (services["category_id"] == key)]
        if not hit.empty:
            texts.append(str(hit.iloc[0]["service_en" if lang == "en" else "service_sv"]))
            url = url or str(hit.iloc[0]["source_url"])
        else:
            texts.append(t_or(f"matchning.lob.{key}", lang, key))
    return "; ".join(dict.fromkeys(texts)), url or str(row.get("source_url") or "")


def covered_table(cov: pd.DataFrame, services: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The covered rows for display, one per occupation and enterprise. Column keys: yrke, ssyk,
    sit, niva, asf, kommun, motivering, verksamhet, kalla (a URL), omrade."""
    cols = ["yrke", "ssyk", "sit", "niva", "asf", "kommun", "motivering", "verksamhet", "kalla", "omrade"]
    if cov.empty:
        return pd.DataFrame(columns=cols)
    found = [_service(r, services, lang) for _, r in cov.iterrows()]
    return pd.DataFrame({
        "yrke": cov["yb_yrke"].to_numpy(), "ssyk": cov["ssyk"].to_numpy(), "omrade": cov["yrkesomrade"].to_numpy(),
        "sit": [situation_label(c, lang, short=True) for c in cov["situation_code"]],
        "niva": [t(f"matchning.level.{lv}", lang) for lv in cov["entry_level"]],
        "asf": cov["name"].to_numpy(),
        "kommun": [_kommun_label(r, lang) for _, r in cov.iterrows()],
        "verksamhet": [s[0] for s in found],
        "motivering": cov["rationale_en" if lang == "en" else "rationale_sv"].to_numpy(),
        "kalla": [s[1] for s in found],
    }, columns=cols)


def gaps_table(gap: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The gap occupations for display, by yrkesområde. Column keys: omrade, yrke, ssyk,
    ssyk_text, sit, niva."""
    return pd.DataFrame({
        "omrade": gap["yrkesomrade"].to_numpy(), "yrke": gap["yb_yrke"].to_numpy(), "ssyk": gap["ssyk"].to_numpy(),
        "ssyk_text": gap["ssyk_text"].to_numpy(),
        "sit": [situation_label(c, lang, short=True) for c in gap["situation_code"]],
        "niva": [t(f"matchning.level.{lv}", lang) for lv in gap["entry_level"]],
    }, columns=["omrade", "yrke", "ssyk", "ssyk_text", "sit", "niva"])


def mapping_table(mapping: pd.DataFrame, register: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The whole curated mapping with enterprise names, for download. Column keys: lob_key,
    asf_id, asf, kommun, ssyk, motivering, kalla."""
    m = mapping.merge(register, on="asf_id", how="left")
    return pd.DataFrame({
        "lob_key": m["line_of_business_key"].to_numpy(), "asf_id": m["asf_id"].to_numpy(),
        "asf": m["name"].to_numpy(), "kommun": [_kommun_label(r, lang) for _, r in m.iterrows()],
        "ssyk": m["ssyk"].to_numpy(), "motivering": m["rationale_en" if lang == "en" else "rationale_sv"].to_numpy(),
        "kalla": m["source_url"].to_numpy(),
    }, columns=["lob_key", "asf_id", "asf", "kommun", "ssyk", "motivering", "kalla"])
