"""Colour-vision-deficiency check for the palettes: simulate protanopia, deuteranopia and
tritanopia (Machado, Oliveira & Fernandes 2009, severity 1.0, on linear sRGB) and measure the
CIE76 colour difference (ΔE*ab in CIELAB, D65) between every pair of colours."""

from __future__ import annotations

from itertools import combinations

import numpy as np

MACHADO = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def _linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(lin: np.ndarray) -> np.ndarray:
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ np.clip(lin, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, vision: str | None = None) -> float:
    """ΔE*ab between two hex colours as seen with normal vision or the named deficiency."""
    la, lb = _linear(a), _linear(b)
    if vision:
        la, lb = MACHADO[vision] @ la, MACHADO[vision] @ lb
    return float(np.linalg.norm(_lab(la) - _lab(lb)))


def min_difference(colours: list[str]) -> dict[str, tuple[float, str, str]]:
    """For normal vision and each deficiency: the smallest ΔE among all pairs, and that pair."""
    out = {}
    for vision in (None, *MACHADO):
        worst = min(((delta_e(a, b, vision), a, b) for a, b in combinations(colours, 2)), key=lambda x: x[0])
        out[vision or "normal"] = worst
    return out
