"""Percentiles for the benchmark and the load test."""

from __future__ import annotations


def percentile(values: list[float], p: float) -> float:
    """The ``p`` quantile (0..1) by linear interpolation between the nearest ranks; NaN when empty."""
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)
