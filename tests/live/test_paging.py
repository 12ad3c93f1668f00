"""The cell-limit splitter: every chunk under the limit, every combination exactly once."""

from __future__ import annotations

import itertools
import math

import pytest

from atlas.live import paging
from atlas.live.cli import PLAN, PLAN_MONTHS, PLAN_REGIONS_ALL, print_plan
from atlas.live.scb import PUBLISHED_MAX_CELLS


def _combos(selection: dict[str, list[str]]) -> list[tuple]:
    return list(itertools.product(*selection.values()))


def _check(selection: dict[str, list[str]], limit: int) -> list[dict]:
    chunks = paging.split_selection(selection, limit)
    covered = [c for q in chunks for c in _combos(q)]
    assert all(paging.cells(q) <= limit for q in chunks)
    assert len(covered) == len(set(covered)) == paging.cells(selection)  # exactly once
    assert set(covered) == set(_combos(selection))
    assert all(list(q) == list(selection) for q in chunks)  # variable order kept (PxWeb answers in it)
    return chunks


def _selection(**sizes: int) -> dict[str, list[str]]:
    return {name: [f"{name}{i}" for i in range(n)] for name, n in sizes.items()}


@pytest.mark.parametrize("sizes", [
    {"Region": 17, "Kon": 3, "Alder": 1, "Fodelseregion": 3, "ContentsCode": 11, "Tid": 76},
    {"Region": 5, "Kon": 2, "Tid": 7},
    {"Region": 1, "Tid": 1},
    {"A": 4, "B": 9, "C": 5},
])
@pytest.mark.parametrize("limit", [1, 2, 7, 50, 333, 1_000, 100_000])
def test_chunks_stay_under_limit_and_cover_everything_once(sizes, limit):
    _check(_selection(**sizes), limit)


def test_dalarna_fits_one_call_at_150000_and_two_at_100000():
    sel = _selection(Region=17, Kon=3, Alder=1, Fodelseregion=3, ContentsCode=11, Tid=76)
    assert paging.split_selection(sel, 150_000) == [sel]
    assert len(_check(sel, PUBLISHED_MAX_CELLS)) == 2


def test_split_picks_the_variable_needing_fewest_calls_and_even_chunks():
    sel = _selection(Region=312, Kon=3, Alder=1, Fodelseregion=3, ContentsCode=11, Tid=76)
    chunks = _check(sel, 100_000)
    # Cutting Region (13 per call -> 24 calls) beats cutting Tid (3 months per call -> 26 calls).
    assert {len(q["Tid"]) for q in chunks} == {76}
    sizes = [len(q["Region"]) for q in chunks]
    assert len(chunks) == 24 and max(sizes) - min(sizes) <= 1


def test_falls_back_to_single_values_when_no_cut_is_enough():
    sel = _selection(Region=4, Tid=6, ContentsCode=5)
    chunks = _check(sel, 3)  # even one Tid value gives 4*5=20 cells: split Tid, then another variable
    assert all(len(q["Tid"]) == 1 for q in chunks)


def test_empty_and_invalid():
    assert paging.split_selection({"Region": [], "Tid": ["2026M01"]}, 10) == []
    with pytest.raises(ValueError):
        paging.split_selection({"Region": ["00"]}, 0)


def test_call_plan_for_all_290_kommuner(capsys):
    """The update of Riket + 21 län + 290 kommuner x 76 months x sexes x birth regions x measures."""
    sizes = {"Region": PLAN_REGIONS_ALL, "Kon": 3, "Alder": 1, "Fodelseregion": 3, "ContentsCode": 11,
             "Tid": PLAN_MONTHS}
    cells = math.prod(sizes.values())
    calls_published, total = paging.plan(sizes, PUBLISHED_MAX_CELLS)
    calls_config, _ = paging.plan(sizes, 150_000)
    assert total == cells == 312 * 3 * 3 * 11 * 76
    assert calls_published == 24 and calls_config == 17
    assert calls_published >= math.ceil(cells / PUBLISHED_MAX_CELLS)
    print_plan()
    out = capsys.readouterr().out
    print(out)  # visible with pytest -s
    assert "24 data calls" in out and "17 data calls" in out and "2 347 488 cells" in out
    # the total line adds up every table's calls and cells
    want = [sum(paging.plan(sizes, limit)[0] for _, sizes in PLAN) for limit in (PUBLISHED_MAX_CELLS, 150_000)]
    cells_all = sum(math.prod(sizes.values()) for _, sizes in PLAN)
    assert f"SCB total at cell limit 100 000: {want[0]} data calls for {cells_all:,} cells".replace(",", " ") in out
    assert want[0] > 24 + 7  # more than ArbStatusM alone
