"""JSON-stat 2.0 datasets (as PxWeb returns with ``"response": {"format": "json-stat2"}``) -> frames.

Format (https://json-stat.org/format/): ``id`` lists the dimensions, ``size`` their lengths,
``dimension[d].category.index`` gives each category code its position (an object or an array),
``value`` holds the cells in row-major order (the last dimension varies fastest) as an array, or as
an object {position: value} when sparse; ``null`` is a missing cell (``status`` then says why,
e.g. ".."). Anything else is reported as a format error naming the response.

Nothing is allocated from what a document merely declares: every dimension's ``size`` must equal
the categories actually listed in the body, and the product (the cell count) must stay within
``max_cells`` before a single cell is made, so a tiny body claiming a huge cube is refused, not
expanded (a 99-byte body declaring size [50000, 50000] once raised MemoryError here).
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd

from atlas.live.http import LiveError

# More than any one call may return: SCB's config states 150,000 cells per call. Clients pass their
# own limit; this default only bounds a caller that does not.
DEFAULT_MAX_CELLS = 1_000_000


def _bad(where: str, sv: str, en: str) -> LiveError:
    return LiveError(f"{where}: {sv}", f"{where}: {en}", kind="format")


def loads(raw: bytes, where: str) -> Any:
    """Parsed JSON of a response body (PxWeb may prefix a UTF-8 BOM); LiveError if it is not JSON."""
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _bad(where, f"svaret är inte giltig JSON ({exc}).", f"the response is not valid JSON ({exc}).") from exc


def _category_codes(dim_id: str, dim: Any, size: int, where: str) -> list[str]:
    category = dim.get("category") if isinstance(dim, dict) else None
    if not isinstance(category, dict):
        raise _bad(where, f"dimensionen {dim_id!r} saknar category.", f"dimension {dim_id!r} has no category.")
    index = category.get("index")
    if isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, dict):
        try:
            ordered = sorted(index.items(), key=lambda kv: int(kv[1]))
        except (TypeError, ValueError) as exc:
            raise _bad(where, f"category.index för {dim_id!r} är inte heltal.",
                       f"category.index of {dim_id!r} is not integers.") from exc
        if [int(pos) for _, pos in ordered] != list(range(len(ordered))):
            raise _bad(where, f"category.index för {dim_id!r} är inte positionerna 0..{len(ordered) - 1}.",
                       f"category.index of {dim_id!r} is not the positions 0..{len(ordered) - 1}.")
        codes = [str(c) for c, _ in ordered]
    elif index is None and isinstance(category.get("label"), dict) and len(category["label"]) == 1:
        codes = [str(next(iter(category["label"])))]  # the format allows dropping index for one category
    else:
        raise _bad(where, f"category.index saknas för {dim_id!r}.", f"category.index is missing for {dim_id!r}.")
    if len(codes) != size:
        raise _bad(where, f"{dim_id!r} har {len(codes)} kategorier men size säger {size}.",
                   f"{dim_id!r} has {len(codes)} categories but size says {size}.")
    if len(set(codes)) != len(codes):
        raise _bad(where, f"{dim_id!r} har dubbla kategorikoder.", f"{dim_id!r} has duplicate category codes.")
    return codes


def dataset_frame(doc: Any, where: str, *, max_cells: int = DEFAULT_MAX_CELLS) -> pd.DataFrame:
    """One row per cell: a text column per dimension id (category codes) and ``value`` (float64, NaN
    for null). ``where`` names the response in error messages; more than ``max_cells`` cells is an
    error (kind "limit")."""
    if not isinstance(doc, dict) or doc.get("class") != "dataset":
        raise _bad(where, "svaret är inte ett json-stat2-dataset (class != 'dataset').",
                   "the response is not a json-stat2 dataset (class != 'dataset').")
    ids, size, dims = doc.get("id"), doc.get("size"), doc.get("dimension")
    if (not isinstance(ids, list) or not isinstance(size, list) or len(ids) != len(size)
            or not isinstance(dims, dict) or not all(isinstance(n, int) and n >= 0 for n in size)):
        raise _bad(where, "id/size/dimension saknas eller stämmer inte överens.",
                   "id/size/dimension are missing or inconsistent.")
    if "value" not in doc:
        raise _bad(where, "json-stat2-svaret saknar 'value'.", "the json-stat2 response has no 'value'.")
    # Sizes are checked against the categories listed before their product is used for anything.
    codes = [_category_codes(d, dims.get(d), s, where) for d, s in zip(ids, size)]
    n = math.prod(size)
    if n > max_cells:
        raise LiveError(f"{where}: svaret anger {n:,} celler, fler än gränsen {max_cells:,}.".replace(",", " "),
                        f"{where}: the response declares {n:,} cells, more than the limit of {max_cells:,}.",
                        kind="limit")
    value = doc["value"]
    if isinstance(value, list):
        if len(value) != n:
            raise _bad(where, f"'value' har {len(value)} celler, size ger {n}.",
                       f"'value' has {len(value)} cells, size gives {n}.")
        cells = value
    elif isinstance(value, dict):
        cells = [None] * n
        for key, v in value.items():
            try:
                pos = int(key)
                if pos < 0:
                    raise IndexError(pos)
                cells[pos] = v
            except (ValueError, IndexError) as exc:
                raise _bad(where, f"ogiltig position {key!r} i 'value'.",
                           f"invalid position {key!r} in 'value'.") from exc
    else:
        raise _bad(where, "'value' är varken lista eller objekt.", "'value' is neither an array nor an object.")
    if not all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in cells):
        bad = next(v for v in cells if not (v is None or (isinstance(v, (int, float)) and not isinstance(v, bool))))
        raise _bad(where, f"'value' innehåller ett icke-numeriskt värde {bad!r}.",
                   f"'value' holds a non-numeric value {bad!r}.")
    if n == 0:
        frame = pd.DataFrame({d: pd.Series([], dtype="str") for d in ids})
    else:
        frame = pd.MultiIndex.from_product(codes, names=ids).to_frame(index=False)
        frame = frame.astype("str")
    frame["value"] = np.array([np.nan if v is None else float(v) for v in cells], dtype="float64")
    return frame


def labels(doc: dict) -> dict[str, dict[str, str]]:
    """{dimension id: {category code: label}} as given in the response."""
    out: dict[str, dict[str, str]] = {}
    for dim_id, dim in (doc.get("dimension") or {}).items():
        label = ((dim or {}).get("category") or {}).get("label") or {}
        out[dim_id] = {str(k): str(v) for k, v in label.items()}
    return out
