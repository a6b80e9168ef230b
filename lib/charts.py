"""Chart builders: pure functions of DataFrames, returning Altair charts (the community map's decks: lib/maps.py).

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

from lib import config

ENV_MAP_STYLE = "CONSOLE_MAP_STYLE"
DEFAULT_MAP_STYLE = "/app/static/map-style.json"
BAND_COLOURS = {"under_half": "#4caf50", "half_to_three_quarters": "#f5b700",
                "past_three_quarters": "#f57c00", "overdue": "#d32f2f"}


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
