"""The seminar map: a screen map (a Plotly figure of ``choroplethmap`` traces) drawn with matplotlib
from the polygons it carries, projected to SWEREF 99 TM (EPSG:3006) so shapes are true.

Drawn as on the screen: each region in the colour the screen gives it (atlas.figures.maps.colour_at
on the trace's own colorscale and range, so stepped scales keep their classes), holes left open
(Rättvik's and Falun's enclaves inside Leksand get their own colour, not Leksand's), missing values
grey and hatched, the colour bar with the screen's ticks and labels ('2,5' in Swedish), region
labels at the stored label points, and the note naming regions without a polygon.
"""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Patch
from matplotlib.path import Path
from matplotlib.patheffects import withStroke

from atlas.figures.maps import SEQUENTIAL, colour_at
from atlas.i18n import fmt_number

SLIDE_CRS = "EPSG:3006"
SCREEN_CRS = "EPSG:4326"
MAP_TYPES = ("choroplethmap", "choroplethmapbox", "choropleth")
MAX_LABELS = 40  # more names than this (Sweden's 290 kommuner) would cover the map
HATCH = "////"
MARGIN = 0.01  # of each axis' span, so the drawn area keeps the projected aspect


def _geometries(trace) -> dict[str, object]:
    """Feature id (by the trace's featureidkey) -> shapely geometry."""
    geo = trace.geojson if isinstance(trace.geojson, dict) else json.loads(trace.geojson or "{}")
    path = (trace.featureidkey or "id").split(".")
    out = {}
    for feature in geo.get("features", []):
        node = feature
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if node is not None and feature.get("geometry"):
            out[str(node)] = shapely.geometry.shape(feature["geometry"])
    return out


def _single_colour(scale) -> str | None:
    colours = {c for _, c in scale}
    return next(iter(colours)) if len(colours) == 1 else None


def _scale(trace, fig) -> list:
    """The trace's colorscale; one it does not set is Plotly's default for the figure."""
    scale = (trace.colorscale or fig.layout.colorscale.sequential
             or fig.layout.template.layout.colorscale.sequential or SEQUENTIAL)
    return [[float(p), c] for p, c in scale]


def region_colours(fig) -> dict[str, tuple[str, bool]]:
    """Code -> (fill colour '#rrggbb', missing) for every region the figure's map traces draw: the
    colour Plotly gives the value on screen; a trace of one colour is the missing-values layer."""
    out = {}
    for tr in (t for t in fig.data if t.type in MAP_TYPES):
        scale = _scale(tr, fig)
        flat = _single_colour(scale)
        z = [None if v is None else float(v) for v in (tr.z if tr.z is not None else [None] * len(tr.locations))]
        finite = [v for v in z if v is not None and np.isfinite(v)]
        lo = float(tr.zmin) if tr.zmin is not None else min(finite, default=0.0)
        hi = float(tr.zmax) if tr.zmax is not None else max(finite, default=1.0)
        for loc, v in zip(tr.locations, z):
            if flat is not None or v is None or not np.isfinite(v):
                out[str(loc)] = (flat or "#d9d9d9", True)
            else:
                out[str(loc)] = (colour_at(scale, (v - lo) / (hi - lo) if hi > lo else 0.5), False)
    return out


def _path(geom) -> Path:
    """A compound path of every ring of ``geom``: exteriors counter-clockwise and holes clockwise,
    so matplotlib's non-zero fill leaves the holes open."""
    geom = shapely.orient_polygons(geom)
    vertices, codes = [], []
    for poly in getattr(geom, "geoms", [geom]):
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            vertices.append(xy)
            codes.append([Path.MOVETO] + [Path.LINETO] * (len(xy) - 2) + [Path.CLOSEPOLY])
    return Path(np.concatenate(vertices), np.concatenate(codes))


def _plain(text: str) -> str:
    return re.sub(r"<br\s*/?>", " ", text or "").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def projected_bounds(fig) -> tuple[float, float, float, float] | None:
    """(xmin, ymin, xmax, ymax) in metres (EPSG:3006) of every polygon the figure draws."""
    geoms = [g for tr in fig.data if tr.type in MAP_TYPES for g in _geometries(tr).values()]
    if not geoms:
        return None
    return tuple(gpd.GeoSeries(geoms, crs=SCREEN_CRS).to_crs(SLIDE_CRS).total_bounds)


def draw_map(fig, *, labels: dict | None = None, note: str = "", lang: str = "sv",
             height_in: float = 5.6):
    """A matplotlib Figure of the map in ``fig`` (None when it has no map trace). labels: code ->
    [name, lon, lat] (a FigureSpec's meta['labels']; drawn when there are at most MAX_LABELS).
    note: text under the map (the regions without a polygon). Patches carry the region code as
    their gid; the map axes has gid 'map' and the colour bar's axes gid 'colourbar'."""
    traces = [tr for tr in fig.data if tr.type in MAP_TYPES]
    if not traces:
        return None
    colours = region_colours(fig)
    codes, geoms = [], []
    for tr in traces:
        for code, geom in _geometries(tr).items():
            if code in colours:
                codes.append(code)
                geoms.append(geom)
    projected = gpd.GeoSeries(geoms, index=codes, crs=SCREEN_CRS).to_crs(SLIDE_CRS)
    xmin, ymin, xmax, ymax = projected.total_bounds if len(projected) else (0, 0, 1, 1)
    aspect = (xmax - xmin) / max(ymax - ymin, 1.0)
    map_w = height_in * aspect
    # matplotlib's object API, not pyplot: no global figure state shared by the server's threads.
    fig_m = Figure(figsize=(map_w + 2.4, height_in + (0.5 if note else 0)), dpi=150)
    FigureCanvasAgg(fig_m)
    ax = fig_m.add_axes([0.0, 0.08 if note else 0.0, map_w / (map_w + 2.4), 0.92 if note else 1.0], gid="map")
    for code, geom in projected.items():
        colour, missing = colours[code]
        ax.add_patch(PathPatch(_path(geom), facecolor=colour, edgecolor="white", linewidth=0.4,
                               hatch=HATCH if missing else None, gid=code))
    dx, dy = (xmax - xmin) * MARGIN, (ymax - ymin) * MARGIN
    ax.set_xlim(xmin - dx, xmax + dx)
    ax.set_ylim(ymin - dy, ymax + dy)
    ax.set_aspect("equal", adjustable="box")
    ax.axis("off")

    handles, radii = _markers(ax, fig, lang)
    if labels and len(labels) <= MAX_LABELS:
        _labels(ax, labels, dict(zip(projected.index, projected.area)), radii)
    handles = _legend(fig_m, ax, fig, lang) + handles
    if handles:
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(1.0, 0.0), frameon=False, fontsize=10)
    if note:
        fig_m.text(0.0, 0.0, note, fontsize=9, color="#333333", wrap=True, va="bottom", parse_math=False)
    return fig_m


def _markers(ax, fig, lang: str) -> tuple[list, dict]:
    """The ASF map's markers (scattermap traces): circles at their points with the count inside;
    returns their legend handles and {(lon, lat): radius in points} (a label there goes below)."""
    handles, radii = [], {}
    for tr in (t for t in fig.data if t.type in ("scattermap", "scattermapbox")):
        if tr.lon is None or not len(tr.lon):
            continue
        pts = gpd.GeoSeries(gpd.points_from_xy(tr.lon, tr.lat), crs=SCREEN_CRS).to_crs(SLIDE_CRS)
        sizes = np.atleast_1d(tr.marker.size if tr.marker.size is not None else 12)
        sizes = np.broadcast_to(sizes, (len(pts),))
        colour = tr.marker.color or "#e2a855"
        diameters = np.asarray(sizes, float) * 1.2  # points: Plotly's marker size is a diameter in px
        ax.scatter(pts.x, pts.y, s=diameters ** 2, color=colour, edgecolor="#333333",
                   linewidth=0.6, zorder=3, gid="markers")
        radii.update({(round(lon, 6), round(lat, 6)): d / 2 for lon, lat, d in zip(tr.lon, tr.lat, diameters)})
        for x, y, n in zip(pts.x, pts.y, tr.customdata if tr.customdata is not None else []):
            ax.text(x, y, fmt_number(n[0] if isinstance(n, (list, tuple, np.ndarray)) else n, lang),
                    ha="center", va="center", fontsize=8, fontweight="bold", color="#1a1a1a", zorder=4)
        if tr.name:
            handles.append(Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=colour,
                                  markeredgecolor="#333333", label=_plain(tr.name)))
    return handles, radii


def _labels(ax, labels: dict, areas: dict[str, float], radii: dict) -> None:
    """Each region's name at its label point (below the marker there, if any), the largest regions
    first; a name that would overlap one already placed is left out (the map's table and the
    screen's hover still name it)."""
    order = sorted(labels, key=lambda c: -areas.get(c, 0.0))
    pts = gpd.GeoSeries(gpd.points_from_xy([labels[c][1] for c in order], [labels[c][2] for c in order]),
                        crs=SCREEN_CRS).to_crs(SLIDE_CRS)
    renderer = ax.figure.canvas.get_renderer()
    placed = []
    for code, x, y in zip(order, pts.x, pts.y):
        below = radii.get((round(labels[code][1], 6), round(labels[code][2], 6)))
        text = ax.annotate(labels[code][0], (x, y), xytext=(0, -(below + 1) if below else 0), textcoords="offset points",
                           ha="center", va="top" if below else "center", fontsize=8, color="#1a1a1a", zorder=5,
                           parse_math=False,  # names are data: a '$' must not start mathtext
                           path_effects=[withStroke(linewidth=2.2, foreground="white")], gid=f"label-{code}")
        box = text.get_window_extent(renderer).expanded(1.05, 1.1)
        if any(box.overlaps(other) for other in placed):
            text.remove()
        else:
            placed.append(box)


def _legend(fig_m, ax, fig, lang: str) -> list:
    """Draw the colour bar of the map trace with a colour scale (the screen's ticks and labels);
    return the legend handle of the missing-values layer, if any."""
    handles = []
    for tr in (t for t in fig.data if t.type in MAP_TYPES):
        scale = _scale(tr, fig)
        flat = _single_colour(scale)
        if flat is not None:
            if tr.showlegend is not False:
                handles.append(Patch(facecolor=flat, edgecolor="white", hatch=HATCH, label=_plain(tr.name or "..")))
            continue
        if tr.showscale is False or tr.zmin is None or tr.zmax is None:
            continue
        cmap = ListedColormap([colour_at(scale, f) for f in (np.arange(512) + 0.5) / 512])
        sm = ScalarMappable(norm=Normalize(float(tr.zmin), float(tr.zmax)), cmap=cmap)
        cax = fig_m.add_axes([ax.get_position().x1 + 0.03, 0.45, 0.025, 0.45], gid="colourbar")
        bar = fig_m.colorbar(sm, cax=cax)
        bar.outline.set_visible(False)
        cb = tr.colorbar
        if cb.tickvals is not None:
            bar.set_ticks(list(cb.tickvals), labels=[_plain(str(x)) for x in (cb.ticktext or cb.tickvals)])
        else:
            bar.set_ticks(bar.get_ticks(), labels=[fmt_number(v, lang, 1) for v in bar.get_ticks()])
        bar.ax.tick_params(labelsize=10)
        if cb.title and cb.title.text:
            bar.ax.set_title(_plain(cb.title.text), fontsize=10, loc="left")
    return handles
