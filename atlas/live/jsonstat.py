"""JSON-stat 2.0 datasets (as PxWeb returns with ``"response": {"format": "json-stat2"}``) -> frames.

Format (https://json-stat.org/format/): ``id`` lists the dimensions, ``size`` their lengths,
``dimension[d].category.index`` gives each category code its position (an object or an array),
``value`` holds the cells in row-major order (the last dimension varies fastest) as an array, or as
an object {position: value} when sparse; ``null`` is a missing cell (``status`` then says why,
e.g. ".."). Anything else is reported as a format error naming the response.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd

from atlas.live.http import LiveError


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
            codes = [str(c) for c, _ in sorted(index.items(), key=lambda kv: int(kv[1]))]
        except (TypeError, ValueError) as exc:
            raise _bad(where, f"category.index för {dim_id!r} är inte heltal.",
                       f"category.index of {dim_id!r} is not integers.") from exc
    elif index is None and isinstance(category.get("label"), dict) and len(category["label"]) == 1:
        codes = [str(next(iter(category["label"])))]  # the format allows dropping index for one category
    else:
        raise _bad(where, f"category.index saknas för {dim_id!r}.", f"category.index is missing for {dim_id!r}.")
    if len(codes) != size:
        raise _bad(where, f"{dim_id!r} har {len(codes)} kategorier men size säger {size}.",
                   f"{dim_id!r} has {len(codes)} categories but size says {size}.")
    return codes


def dataset_frame(doc: Any, where: str) -> pd.DataFrame:
    """One row per cell: a text column per dimension id (category codes) and ``value`` (float64, NaN
    for null). ``where`` names the response in error messages."""
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
    n = math.prod(size)
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
                cells[int(key)] = v
            except (ValueError, IndexError) as exc:
                raise _bad(where, f"ogiltig position {key!r} i 'value'.",
                           f"invalid position {key!r} in 'value'.") from exc
    else:
        raise _bad(where, "'value' är varken lista eller objekt.", "'value' is neither an array nor an object.")
    if not all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in cells):
        bad = next(v for v in cells if not (v is None or (isinstance(v, (int, float)) and not isinstance(v, bool))))
        raise _bad(where, f"'value' innehåller ett icke-numeriskt värde {bad!r}.",
                   f"'value' holds a non-numeric value {bad!r}.")
    codes = [_category_codes(d, dims.get(d), s, where) for d, s in zip(ids, size)]
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
