"""Chart builders: pure functions of DataFrames, returning Altair charts or pydeck decks.

No Streamlit here: the pages translate titles and labels and pass them in, and
draw what comes back. Every builder accepts an empty frame (the chart is then
empty; the page says in words that there is nothing to show).

Dates are drawn on a UTC scale so a browser west or east of Beijing never
moves a day across midnight.
"""
from __future__ import annotations

import os
from datetime import date

import altair as alt
import pandas as pd
import pydeck as pdk

from lib import config

ENV_MAP_STYLE = "CONSOLE_MAP_STYLE"
DEFAULT_MAP_STYLE = "/app/static/map-style.json"
BAND_COLOURS = {"under_half": "#4caf50", "half_to_three_quarters": "#f5b700",
                "past_three_quarters": "#f57c00", "overdue": "#d32f2f"}
HEAT_COLOURS = [[255, 255, 204], [161, 218, 180], [65, 182, 196], [44, 127, 184], [37, 52, 148]]


def map_style_url() -> str:
    """The basemap style: env CONSOLE_MAP_STYLE, else secrets `[map] style`, else the
    local blank style served from static/ (no outside request)."""
    configured = config.secrets().get("map", {}).get("style")
    return os.environ.get(ENV_MAP_STYLE) or configured or DEFAULT_MAP_STYLE


def _iso_days(values: pd.Series) -> pd.Series:
    """Dates, datetimes or 'YYYY-MM' strings as 'YYYY-MM-DD' text."""
    def one(value):
        if isinstance(value, date):
            return value.isoformat()[:10]
        text = str(value)
        return f"{text}-01" if len(text) == 7 else text[:10]
    return values.map(one) if len(values) else values.astype(object)


def _time_x(column: str, title: str, grain: str = "day") -> alt.X:
    fmt = "%Y-%m" if grain == "month" else "%Y-%m-%d"
    return alt.X(f"{column}:T", title=title, scale=alt.Scale(type="utc"),
                 axis=alt.Axis(format=fmt, labelAngle=0))


def over_time(frame: pd.DataFrame, *, x: str, y: str, x_title: str, y_title: str,
              color: str | None = None, color_title: str | None = None, grain: str = "day",
              percent: bool = False, mark: str = "line", stack: bool = True) -> alt.Chart:
    """A line (or bars) of `y` per period `x`; one series per value of `color`."""
    data = frame.copy()
    data[x] = _iso_days(data[x])
    y_axis = alt.Axis(format=".0%") if percent else alt.Axis()
    y_scale = alt.Scale(domain=[0, 1]) if percent else alt.Scale(zero=True)
    encoding = {"x": _time_x(x, x_title, grain),
                "y": alt.Y(f"{y}:Q", title=y_title, axis=y_axis, scale=y_scale,
                           stack="zero" if (mark == "bar" and stack) else None),
                "tooltip": [alt.Tooltip(f"{x}:T", title=x_title, format="%Y-%m-%d",
                                        formatType="utc"),
                            alt.Tooltip(f"{y}:Q", title=y_title, format=".1%" if percent else ",")]}
    if color is not None:
        encoding["color"] = alt.Color(f"{color}:N", title=color_title)
        encoding["tooltip"].insert(1, alt.Tooltip(f"{color}:N", title=color_title))
    chart = alt.Chart(data)
    chart = chart.mark_bar() if mark == "bar" else chart.mark_line(point=len(data) <= 60)
    return chart.encode(**encoding).properties(height=300)


def bars(frame: pd.DataFrame, *, category: str, value: str, category_title: str,
         value_title: str, percent: bool = False, sort_by_value: bool = True,
         colours: dict[str, str] | None = None, order: list | None = None) -> alt.Chart:
    """Horizontal bars, one per `category` value (largest first unless `order` given)."""
    sort = order if order is not None else ("-x" if sort_by_value else None)
    axis = alt.Axis(format=".0%") if percent else alt.Axis()
    encoding = {"y": alt.Y(f"{category}:N", title=category_title, sort=sort),
                "x": alt.X(f"{value}:Q", title=value_title, axis=axis,
                           scale=alt.Scale(domain=[0, 1]) if percent else alt.Scale(zero=True)),
                "tooltip": [alt.Tooltip(f"{category}:N", title=category_title),
                            alt.Tooltip(f"{value}:Q", title=value_title,
                                        format=".1%" if percent else ",")]}
    if colours:
        encoding["color"] = alt.Color(f"{category}:N", legend=None,
                                      scale=alt.Scale(domain=list(colours), range=list(colours.values())))
    height = max(80, 28 * max(len(frame), 1))
    return alt.Chart(frame).mark_bar().encode(**encoding).properties(height=height)


def cohort_heatmap(matrix: pd.DataFrame, *, cohort_title: str, month_title: str,
                   value_title: str) -> alt.Chart:
    """Cohorts (rows) by month after joining (columns); a cell per share, blank where
    the month has not ended (NaN). `matrix`: index cohort, columns 0..11 (and members)."""
    months = [c for c in matrix.columns if isinstance(c, int)]
    long = (matrix[months].reset_index().melt(id_vars=matrix.index.name or "index",
                                               var_name="month", value_name="share")
            if len(matrix) else pd.DataFrame(columns=["cohort", "month", "share"]))
    long = long.rename(columns={matrix.index.name or "index": "cohort"})
    long = long.dropna(subset=["share"]).astype({"month": int, "share": float})
    base = alt.Chart(long).encode(
        x=alt.X("month:O", title=month_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("cohort:O", title=cohort_title),
        tooltip=[alt.Tooltip("cohort:O", title=cohort_title),
                 alt.Tooltip("month:O", title=month_title),
                 alt.Tooltip("share:Q", title=value_title, format=".1%")])
    rect = base.mark_rect().encode(
        color=alt.Color("share:Q", title=value_title, scale=alt.Scale(scheme="blues", domain=[0, 1]),
                        legend=alt.Legend(format=".0%")))
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("share:Q", format=".0%"),
        color=alt.condition("datum.share > 0.6", alt.value("white"), alt.value("black")))
    return (rect + text).properties(height=max(160, 34 * max(long["cohort"].nunique(), 1)))


def diverging_bars(frame: pd.DataFrame, *, x: str, up: str, down: str, color: str,
                   x_title: str, y_title: str, color_title: str, up_label: str,
                   down_label: str) -> alt.Chart:
    """`up` above zero and `down` below it per period `x`, stacked by `color`
    (joins against leaves per month, by channel)."""
    data = frame.copy()
    data[x] = _iso_days(data[x])
    long = pd.concat([
        data.assign(kind=up_label, count=data[up] if len(data) else []),
        data.assign(kind=down_label, count=-data[down] if len(data) else [])])
    long = long[[x, color, "kind", "count"]]
    return alt.Chart(long).mark_bar().encode(
        x=_time_x(x, x_title, "month"),
        y=alt.Y("count:Q", title=y_title, stack="zero"),
        color=alt.Color(f"{color}:N", title=color_title),
        opacity=alt.Opacity("kind:N", title="", scale=alt.Scale(domain=[up_label, down_label],
                                                                range=[1.0, 0.55])),
        tooltip=[alt.Tooltip(f"{x}:T", title=x_title, format="%Y-%m", formatType="utc"),
                 alt.Tooltip("kind:N", title=""), alt.Tooltip(f"{color}:N", title=color_title),
                 alt.Tooltip("count:Q", title=y_title)],
    ).properties(height=300)


def community_map(heat: pd.DataFrame, cities: pd.DataFrame, *, weight: str,
                  tooltip_html: str, style: str | None = None) -> pdk.Deck:
    """A heat map of communities weighted by `weight`, with each community as a dot
    (tooltip `tooltip_html`, pydeck {field} syntax) and each city's name, so a blank
    basemap still shows where things are. `heat` needs lat, lon and `weight`;
    `cities` needs name, lat, lon."""
    points = heat.dropna(subset=["lat", "lon"]).copy()
    points["weight"] = points[weight].astype(float) if len(points) else []
    top = float(points["weight"].max()) if len(points) and points["weight"].max() > 0 else 1.0
    points["radius"] = 300 + 2700 * points["weight"] / top if len(points) else []
    places = cities.dropna(subset=["lat", "lon"])
    all_lat = pd.concat([points["lat"], places["lat"]]).astype(float)
    all_lon = pd.concat([points["lon"], places["lon"]]).astype(float)
    view = pdk.ViewState(latitude=float(all_lat.mean()) if len(all_lat) else 31.0,
                         longitude=float(all_lon.mean()) if len(all_lon) else 121.0,
                         zoom=_zoom(all_lat, all_lon), pitch=0)
    layers = [
        pdk.Layer("HeatmapLayer", data=points[["lat", "lon", "weight"]],
                  get_position=["lon", "lat"], get_weight="weight", radius_pixels=45,
                  color_range=HEAT_COLOURS, aggregation="SUM"),
        pdk.Layer("ScatterplotLayer", data=points, id="communities", pickable=True,
                  get_position=["lon", "lat"], get_radius="radius", radius_min_pixels=2,
                  get_fill_color=[11, 107, 203, 120], get_line_color=[11, 107, 203, 220],
                  stroked=True, line_width_min_pixels=1),
        pdk.Layer("ScatterplotLayer", data=places[["name", "lat", "lon"]], id="cities",
                  get_position=["lon", "lat"], get_radius=1500, radius_min_pixels=4,
                  get_fill_color=[40, 40, 40, 230]),
        pdk.Layer("TextLayer", data=places[["name", "lat", "lon"]], id="city-names",
                  get_position=["lon", "lat"], get_text="name", get_size=16,
                  get_color=[30, 30, 30, 255], get_pixel_offset=[0, -16],
                  character_set="auto", font_family='"Noto Sans CJK SC", "Microsoft YaHei", sans-serif'),
    ]
    return pdk.Deck(layers=layers, initial_view_state=view, map_provider=None,
                    map_style=style or map_style_url(),
                    tooltip={"html": tooltip_html, "style": {"fontSize": "12px"}})


def _zoom(lat: pd.Series, lon: pd.Series) -> float:
    if len(lat) < 2:
        return 9.0
    span = max(float(lat.max() - lat.min()), float(lon.max() - lon.min()), 0.05)
    for zoom, degrees in ((10, 0.3), (9, 0.6), (8, 1.2), (7, 2.5), (6, 5), (5, 10), (4, 20)):
        if span <= degrees:
            return float(zoom)
    return 3.0
