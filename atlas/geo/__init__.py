"""Geometry on geopandas and shapely.

- ``atlas.geo.prepare`` (the build): read the polygon files with pyogrio, check and repair them,
  clean and simplify each coverage so neighbours keep sharing their borders, and store per region
  the screen polygon, a label point, bounds and area;
- ``atlas.geo.view`` (the screens): the stored polygons as GeoJSON for Plotly's MapLibre maps and
  the view that fits them; no geopandas, so pages load fast;
- ``atlas.geo.static`` (the seminar deck): the same polygons projected to SWEREF 99 TM and drawn
  with matplotlib in the screen's colours.
"""

from atlas.geo.view import Shapes, bounds, feature_collection, fit_view

__all__ = ["Shapes", "bounds", "feature_collection", "fit_view"]
