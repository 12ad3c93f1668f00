"""The cell-limit splitter: every chunk under the limit, every combination exactly once."""

from __future__ import annotations

import itertools
import math

import pytest

from atlas.live import paging
from atlas.live.cli import PLAN, PLAN_MAX_CELLS, PLAN_MONTHS, plan_rows, print_plan, regions_for
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
    assert regions_for("all") == 312 and regions_for("20") == 17 and regions_for("09") == 3
    sizes = {"Region": regions_for("all"), "Kon": 3, "Alder": 1, "Fodelseregion": 3, "ContentsCode": 11,
             "Tid": PLAN_MONTHS}
    cells = math.prod(sizes.values())
    calls_published, total = paging.plan(sizes, PUBLISHED_MAX_CELLS)
    calls_config, _ = paging.plan(sizes, PLAN_MAX_CELLS)
    assert total == cells == 312 * 3 * 3 * 11 * 76
    assert calls_published == 24 and calls_config == 17
    assert calls_published >= math.ceil(cells / PUBLISHED_MAX_CELLS)
    print_plan()
    out = capsys.readouterr().out
    print(out)  # visible with pytest -s
    row = next(line for line in out.splitlines() if line.startswith("ArbStatusM (TAB6260), 20-64"))
    assert row.split()[-6:] == ["17", "calls", "2", "347", "488", "cells"]
    # the total line adds up every table's calls and cells, for one county and for all
    for county in ("20", "all"):
        rows = plan_rows(county)
        assert len(rows) == len(PLAN) == 5
        for (_, _, calls, n), (_, _, sizes) in zip(rows, PLAN):
            assert n == regions_for(county) * math.prod(sizes.values())
            assert calls == math.ceil(n / PLAN_MAX_CELLS) or calls == paging.plan({"Region": regions_for(county),
                                                                                   **sizes}, PLAN_MAX_CELLS)[0]
    total_all = sum(n for *_, n in plan_rows("all"))
    calls_all = sum(c for _, _, c, _ in plan_rows("all"))
    calls_one = sum(c for _, _, c, _ in plan_rows("20"))
    total_line = next(line for line in out.splitlines() if line.startswith("SCB data calls in total"))
    assert f"{calls_all} calls" in total_line and f"{total_all:,} cells".replace(",", " ") in total_line
    assert f" {calls_one} calls" in total_line and calls_one == 5 and calls_all == 35
