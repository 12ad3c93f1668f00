"""Matchning: where the work that ASF do meets Yrkesbarometern's shortage occupations (no Streamlit).

Inputs:
- occupations: Yrkesbarometern rows for one county and release (query ``match_occupations``:
  yb_concept_id, yb_yrke, yrkesomrade, ssyk, situation, hogsta_bedomningsniva, delvis_helt, ...).
  Yrkesbarometern assesses its own occupations (yb_concept_id); several share one SSYK code, so the
  matching is on the occupation, and SSYK only groups.
- the register of ASF (query ``match_asf``).
- data/curated/asf_occupation_mapping.csv: Inkluderingsatlas' judgement of which occupations the
  work an enterprise states trains toward, one row per line of business, enterprise and occupation,
  with a strength (direct: the stated work is the occupation's core work; partial: part of it, or a
  simpler form) and a one-line rationale. Not official statistics. asf_mapping_review.csv records
  the review that produced it (every link of the earlier SSYK-keyed mapping, kept or removed, why).
- data/curated/occupation_requirements.csv: the formal entry requirement of each shortage
  occupation with its sources (occupation_requirement_sources.yml).

Entry level (ENTRY_LEVELS) has two stated bases: the SSYK 2012 skill level of the occupation's major
group (9 = level I, short introduction; 4-8 = level II; 3 = III; 1-2 = III-IV/IV) and the curated
requirement. "Low entry requirements" (LOW_ENTRY) only where both allow it: skill level I, or a
level II occupation that Arbetsförmedlingen lists as needing no education, and no licence,
certificate or required education found. An occupation that no one has reviewed is never called low.

An occupation is *covered* when a mapping row links it to an ASF the filters keep. A *gap* is a
shortage occupation with low entry requirements that no kept ASF covers.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from atlas import CURATED_DIR
from atlas.occupations import ASSESSMENT_LEVELS, area_slug, level_key, situation_code, ssyk_codes

MAPPING_PATH = CURATED_DIR / "asf_occupation_mapping.csv"
REVIEW_PATH = CURATED_DIR / "asf_mapping_review.csv"
REQUIREMENTS_PATH = CURATED_DIR / "occupation_requirements.csv"
REQUIREMENT_SOURCES_PATH = CURATED_DIR / "occupation_requirement_sources.yml"
SERVICES_PATH = CURATED_DIR / "asf_services.csv"
MAPPING_COLUMNS = ["line_of_business_key", "asf_id", "yb_concept_id", "yb_yrke", "ssyk", "strength",
                   "rationale_sv", "rationale_en"]
REVIEW_COLUMNS = ["line_of_business_key", "asf_id", "ssyk_before", "yb_concept_id", "yb_yrke", "decision",
                  "strength", "reason_sv", "reason_en"]
REQUIREMENT_COLUMNS = ["yb_concept_id", "yb_yrke", "ssyk", "requirement", "af_no_education", "sources",
                       "requirement_sv", "requirement_en"]
STRENGTHS = ("direct", "partial")
# requirement codes: a licence, protected title, statutory training or required degree; a requirement
# binding in practice (employer, trade certificate, church rule, de facto education); a short safety
# course or test; a source saying none is required; none found.
REQUIREMENTS = ("statutory", "in_practice", "short_course", "not_required", "none_found")
BLOCKING = ("statutory", "in_practice")

SHORTAGE = ("brist", "paradox")  # situation codes (atlas.occupations) that count as shortage here
# Display order: easiest entry first. 'ogranskad' = skill level I or II but no one has reviewed the
# occupation's requirements (a release newer than the review), never counted as low.
ENTRY_LEVELS = ("lag", "lag_delvis", "gymnasial", "krav", "ogranskad", "eftergymnasial", "hogskola",
                "militar", "okand")
LOW_ENTRY = ("lag", "lag_delvis")
_SKILL = {"9": "I", "4": "II", "5": "II", "6": "II", "7": "II", "8": "II", "3": "III", "2": "IV", "1": "IV",
          "0": "militar"}
_SKILL_RANK = {"I": 1, "II": 2, "III": 3, "IV": 4, "militar": 0}


def skill_level(ssyk: object) -> str | None:
    """SSYK 2012 skill level of an occupation from its code(s): 'I', 'II', 'III', 'IV' or 'militar'
    (major group 0); with several codes the most demanding; None when no code is given."""
    levels = {_SKILL[c[0]] for c in ssyk_codes(ssyk) if c[:1] in _SKILL}
    return max(levels, key=_SKILL_RANK.get) if levels else None


def entry_level(ssyk: object, requirement: object = None, af_no_education: object = "") -> str:
    """The entry-level key (ENTRY_LEVELS) from the SSYK skill level and the curated requirement.

    requirement: a REQUIREMENTS code, or None/'' when the occupation has not been reviewed;
    af_no_education: 'all' or 'part' when Arbetsförmedlingen lists (part of) the occupation as
    needing no education, else ''."""
    level = skill_level(ssyk)
    req = "" if requirement is None or pd.isna(requirement) else str(requirement)
    af = "" if af_no_education is None or pd.isna(af_no_education) else str(af_no_education)
    if level is None:
        return "okand"
    if level == "militar":
        return "militar"
    if level in ("III", "IV"):
        return "eftergymnasial" if level == "III" else "hogskola"
    if not req:
        return "ogranskad"
    if req in BLOCKING:
        return "krav"
    if af == "part":
        return "lag_delvis"
    if level == "I" or af == "all":
        return "lag" if req in ("none_found", "not_required") else "gymnasial"
    return "gymnasial"


def _read_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return df[columns].apply(lambda s: s.str.strip())


def load_mapping(path: Path = MAPPING_PATH) -> pd.DataFrame:
    """The curated mapping as text columns (MAPPING_COLUMNS)."""
    return _read_csv(path, MAPPING_COLUMNS)


def load_review(path: Path = REVIEW_PATH) -> pd.DataFrame:
    """The mapping review (REVIEW_COLUMNS): every link of the earlier SSYK-keyed mapping, one row per
    occupation it reached, with decision 'kept' or 'removed' and the reason."""
    return _read_csv(path, REVIEW_COLUMNS)


def load_requirements(path: Path = REQUIREMENTS_PATH) -> pd.DataFrame:
    """The formal entry requirements (REQUIREMENT_COLUMNS), one row per reviewed occupation."""
    return _read_csv(path, REQUIREMENT_COLUMNS)


@lru_cache(maxsize=2)
def _sources(path: Path) -> tuple[dict, ...]:
    return tuple(yaml.safe_load(Path(path).read_text(encoding="utf-8"))["sources"])


def requirement_sources(path: Path = REQUIREMENT_SOURCES_PATH) -> dict[str, dict]:
    """Source id ('S4') -> its entry (publisher, url, quote list, note_sv, note_en)."""
    return {s["id"]: dict(s) for s in _sources(Path(path))}


def load_services(path: Path = SERVICES_PATH) -> pd.DataFrame:
    """asf_services.csv (asf_id, category_id, service_sv, service_en, source_url) when it exists,
    else an empty frame with those columns. Written by another page; only read here."""
    cols = ["asf_id", "category_id", "service_sv", "service_en", "source_url"]
    if not Path(path).exists():
        return pd.DataFrame(columns=cols)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return df[[c for c in cols if c in df.columns]].reindex(columns=cols, fill_value="")


def with_entry(occupations: pd.DataFrame, requirements: pd.DataFrame) -> pd.DataFrame:
    """``occupations`` with added columns situation_code, assessment (atlas.occupations.level_key,
    None when not assessed), skill_level, requirement, af_no_education, requirement_sv/en,
    requirement_sources, entry_level, codes (list of SSYK codes) and area_slug."""
    req = requirements.set_index("yb_concept_id")
    out = occupations.copy()
    out["situation_code"] = out["situation"].map(situation_code)
    out["assessment"] = [level_key(a, b) for a, b in zip(out["hogsta_bedomningsniva"], out["delvis_helt"])]
    out["skill_level"] = out["ssyk"].map(skill_level)
    for col, src in (("requirement", "requirement"), ("af_no_education", "af_no_education"),
                     ("requirement_sv", "requirement_sv"), ("requirement_en", "requirement_en"),
                     ("requirement_sources", "sources")):
        out[col] = out["yb_concept_id"].map(req[src]).fillna("")
    out["entry_level"] = [entry_level(s, r, a) for s, r, a in zip(out["ssyk"], out["requirement"],
                                                                   out["af_no_education"])]
    out["codes"] = out["ssyk"].map(ssyk_codes)
    out["area_slug"] = out["yrkesomrade"].map(area_slug)
    return out


def shortage_occupations(occupations: pd.DataFrame, requirements: pd.DataFrame, *, areas=(),
                         assessments=()) -> pd.DataFrame:
    """The occupations whose situation is brist or paradox, in ``areas`` (yrkesområde names; empty =
    all) assessed at one of ``assessments`` (ASSESSMENT_LEVELS keys; empty = all), with the columns
    of ``with_entry``. Sorted by yrkesområde, then name."""
    out = with_entry(occupations, requirements)
    out = out[out["situation_code"].isin(SHORTAGE)]
    if len(areas):
        out = out[out["yrkesomrade"].isin(list(areas))]
    if len(assessments):
        out = out[out["assessment"].isin(list(assessments))]
    return out.sort_values(["yrkesomrade", "yb_yrke", "yb_concept_id"], kind="stable").reset_index(drop=True)


def assessment_counts(occupations: pd.DataFrame) -> dict[str, int]:
    """Assessment level key -> number of brist/paradox occupations assessed at it, in
    ASSESSMENT_LEVELS order (levels that do not occur are left out)."""
    sit = occupations["situation"].map(situation_code)
    keys = [level_key(a, b) for a, b, s in zip(occupations["hogsta_bedomningsniva"], occupations["delvis_helt"], sit)
            if s in SHORTAGE]
    return {k: keys.count(k) for k in ASSESSMENT_LEVELS if k in keys}


def active_mapping(mapping: pd.DataFrame, register: pd.DataFrame, *, kommuner=(), strengths=()) -> pd.DataFrame:
    """Mapping rows joined with their enterprise (name, kommun_code, ...), limited to enterprises in
    ``kommuner`` (kommun codes; empty = every enterprise, also those whose kommun is unknown) and to
    links of ``strengths`` (STRENGTHS; empty = both). Rows whose asf_id is not in the register are
    dropped."""
    out = mapping.merge(register, on="asf_id", how="inner", suffixes=("", "_register"))
    if len(kommuner):
        out = out[out["kommun_code"].isin(list(kommuner))]
    if len(strengths):
        out = out[out["strength"].isin(list(strengths))]
    return out.reset_index(drop=True)


_JOINED = ["line_of_business_key", "rationale_sv", "rationale_en"]


def covered(shortage: pd.DataFrame, active: pd.DataFrame) -> pd.DataFrame:
    """One row per shortage occupation and enterprise that trains toward it: the occupation's
    columns and the enterprise's columns from ``active``. Several lines of business of one
    enterprise for one occupation are joined with '; ' (line_of_business_key, rationale_sv,
    rationale_en); strength is the strongest of them. Sorted by occupation, then name."""
    occ_cols = [c for c in shortage.columns if c != "codes"]
    ent_cols = [c for c in active.columns if c not in ("yb_yrke", "ssyk")]
    if shortage.empty or active.empty:
        return pd.DataFrame(columns=[*occ_cols, *[c for c in ent_cols if c not in occ_cols]])
    hits = active[active["yb_concept_id"].isin(set(shortage["yb_concept_id"]))][ent_cols]
    keys = ["yb_concept_id", "asf_id"]
    texts = hits.groupby(keys, sort=False)[_JOINED].agg(lambda s: "; ".join(dict.fromkeys(s)))
    strength = hits.groupby(keys, sort=False)["strength"].agg(lambda s: "direct" if "direct" in set(s) else "partial")
    first = hits.drop(columns=[*_JOINED, "strength"]).drop_duplicates(keys)
    hits = first.merge(texts.reset_index(), on=keys).merge(strength.reset_index(), on=keys)
    out = shortage[occ_cols].merge(hits, on="yb_concept_id", how="inner")
    return out.sort_values(["yrkesomrade", "yb_yrke", "yb_concept_id", "name", "asf_id"],
                           kind="stable").reset_index(drop=True)


def covered_ids(shortage: pd.DataFrame, active: pd.DataFrame) -> set[str]:
    """yb_concept_id of the shortage occupations that at least one enterprise in ``active`` covers."""
    return set(shortage["yb_concept_id"]) & set(active["yb_concept_id"])


def gaps(shortage: pd.DataFrame, active: pd.DataFrame) -> pd.DataFrame:
    """Shortage occupations with low entry requirements (LOW_ENTRY) that no enterprise in ``active``
    covers: the business opportunities. Same columns as ``shortage``, by yrkesområde and name."""
    keep = shortage["entry_level"].isin(LOW_ENTRY) & ~shortage["yb_concept_id"].isin(covered_ids(shortage, active))
    return shortage[keep].reset_index(drop=True)


def coverage_counts(shortage: pd.DataFrame, active: pd.DataFrame) -> pd.DataFrame:
    """Shortage occupations per entry level: columns entry_level, covered, not_covered, total (ints),
    ordered as ENTRY_LEVELS; the levels from 'lag' to 'hogskola' except 'ogranskad' are always
    listed (zeros kept), 'ogranskad', 'militar' and 'okand' only when they occur."""
    done = covered_ids(shortage, active)
    is_cov = shortage["yb_concept_id"].isin(done)
    rows = []
    for level in ENTRY_LEVELS:
        here = shortage["entry_level"] == level
        if level in ("ogranskad", "militar", "okand") and not here.any():
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


def review_counts(review: pd.DataFrame) -> dict[str, int]:
    """Counts of the mapping review: rows_before (the earlier SSYK-keyed rows), links_before (the
    occupations they reached), kept, removed, direct, partial."""
    kept = review[review["decision"] == "kept"]
    return {"rows_before": len(review.drop_duplicates(["line_of_business_key", "asf_id", "ssyk_before"])),
            "links_before": len(review), "kept": len(kept), "removed": int((review["decision"] == "removed").sum()),
            "direct": int((kept["strength"] == "direct").sum()), "partial": int((kept["strength"] == "partial").sum())}
