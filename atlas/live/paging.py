"""Split a PxWeb selection so that every query stays under the API's cell limit (pure functions).

A PxWeb query asks for the cartesian product of the selected values, so its size in cells is the
product of the value counts. ``split_selection`` cuts one variable into consecutive chunks (the one
that needs the fewest calls; ties go to Tid, then Region, then the table order); when even single
values of every variable are too many, it takes single values of the preferred variable and splits
the rest again. Every combination of values lands in exactly one chunk.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

Selection = dict[str, list[str]]
PREFERRED_SPLIT = ("Tid", "Region")


def cells(selection: Mapping[str, Sequence[str]]) -> int:
    """Number of cells a query for ``selection`` returns (product of the value counts)."""
    return math.prod(len(v) for v in selection.values())


def _chunks(values: list[str], size: int) -> list[list[str]]:
    # Even chunks (e.g. 76 months at most 30 a call: 26+25+25, not 30+30+16).
    n = math.ceil(len(values) / size)
    even = math.ceil(len(values) / n)
    return [values[i:i + even] for i in range(0, len(values), even)]


def _order(selection: Mapping[str, Sequence[str]], prefer: Sequence[str]) -> list[str]:
    rank = {name: i for i, name in enumerate(prefer)}
    names = list(selection)
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), names.index(n)))


def split_selection(selection: Mapping[str, Sequence[str]], max_cells: int,
                    prefer: Sequence[str] = PREFERRED_SPLIT) -> list[Selection]:
    """Queries covering ``selection`` with at most ``max_cells`` cells each, keys in the given order.

    max_cells: the API's limit (>= 1). An empty selection for any variable gives no queries.
    """
    if max_cells < 1:
        raise ValueError("max_cells must be at least 1")
    sel: Selection = {k: list(v) for k, v in selection.items()}
    total = cells(sel)
    if total == 0:
        return []
    if total <= max_cells:
        return [sel]
    order = [n for n in _order(sel, prefer) if len(sel[n]) > 1]
    best: tuple[int, str] | None = None
    for name in order:
        others = total // len(sel[name])
        if others <= max_cells:
            calls = math.ceil(len(sel[name]) / (max_cells // others))
            if best is None or calls < best[0]:
                best = (calls, name)
    if best is not None:
        name = best[1]
        size = max_cells // (total // len(sel[name]))
        return [{**sel, name: chunk} for chunk in _chunks(sel[name], size)]
    # No single variable can be cut finely enough: one value at a time of the preferred one.
    name = order[0]
    return [q for value in sel[name] for q in split_selection({**sel, name: [value]}, max_cells, prefer)]


def plan(sizes: Mapping[str, int], max_cells: int, prefer: Sequence[str] = PREFERRED_SPLIT) -> tuple[int, int]:
    """(number of calls, total cells) for a selection with these value counts per variable."""
    selection = {name: [str(i) for i in range(n)] for name, n in sizes.items()}
    return len(split_selection(selection, max_cells, prefer)), cells(selection)
