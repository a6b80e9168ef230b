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


TOP_N = 10                   # more series than this: the top ones plus "other"
LABEL_LIMIT = 0              # category labels and legend entries are never cut
STEP = 26                    # pixels per bar row: labels never overlap
MONTH_GRAINS = ("month", "quarter")


def _time_x(column: str, title: str, grain: str = "day") -> alt.X:
    """Days and weeks on a UTC time scale; months as one ordinal slot each (one tick and
    one label per month, bars as wide as the month's slot)."""
    if grain in MONTH_GRAINS:
        return alt.X(f"{column}:O", title=title, sort="ascending",
                     axis=alt.Axis(labelAngle=0, labelOverlap=False, labelLimit=LABEL_LIMIT))
    return alt.X(f"{column}:T", title=title, scale=alt.Scale(type="utc"),
                 axis=alt.Axis(format="%Y-%m-%d", labelAngle=0))


def _month_text(values: pd.Series) -> pd.Series:
    return _iso_days(values).str[:7] if len(values) else values.astype(object)


def _is_integer(values: pd.Series) -> bool:
    """Counts: every value a whole number (the axis then has no 0.5 ticks)."""
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    return bool(len(numbers)) and bool((numbers == numbers.round()).all())


def _value_axis(percent: bool, integer: bool) -> alt.Axis:
    if percent:
        return alt.Axis(format=".0%")
    return alt.Axis(format=",d", tickMinStep=1) if integer else alt.Axis(format=",")


def scaled_domain(values, *, extra=(), percent: bool = True, floor: float = 0.0,
                  ceiling: float = 1.0, pad: float = 0.02) -> list[float] | None:
    """A value axis fitted to the data (and to `extra`, e.g. a target) with a little room,
    so 88-95 % is not a flat line on 0-100 %; None when there are no values."""
    numbers = [float(v) for v in list(values) + list(extra) if v is not None and v == v]
    if not numbers:
        return None
    low, high = min(numbers), max(numbers)
    span = max(high - low, 0.02 if percent else 1.0)
    low, high = low - span * 0.15 - pad, high + span * 0.15 + pad
    if percent:
        low, high = max(floor, low), min(ceiling, high)
        # whole percent steps read better
        low, high = int(low * 100) / 100, -int(-high * 100) / 100
    return [low, high]


def _legend(count: int) -> alt.Legend:
    """Below the chart, in up to four columns, labels never cut (long Chinese or English
    names fit at 1280 px as at 1920 px)."""
    return alt.Legend(orient="bottom", columns=min(max(count, 1), 4), labelLimit=LABEL_LIMIT,
                      symbolLimit=0, titleLimit=LABEL_LIMIT)


def top_n(frame: pd.DataFrame, *, category: str, value: str, other_label: str, n: int = TOP_N,
          keys: tuple[str, ...] = ()) -> pd.DataFrame:
    """More than `n` categories: the n - 1 largest by total `value` and one `other_label`
    holding the rest, summed per `keys` (e.g. the period); `n` or fewer: unchanged."""
    if frame.empty or frame[category].nunique() <= n:
        return frame
    totals = frame.groupby(category)[value].sum().sort_values(ascending=False)
    kept = set(totals.index[:n - 1])
    out = frame.assign(**{category: frame[category].where(frame[category].isin(kept), other_label)})
    return out.groupby(list(keys) + [category], as_index=False, sort=False)[value].sum()


def series_order(frame: pd.DataFrame, *, category: str, value: str, other_label: str | None = None) -> list:
    """Categories largest first, "other" last (legend and stacking order)."""
    totals = frame.groupby(category)[value].sum().sort_values(ascending=False)
    order = [c for c in totals.index if c != other_label]
    return order + ([other_label] if other_label in set(totals.index) else [])


def partial_periods(periods, *, grain: str, start: date, end: date, as_of) -> set[str]:
    """The periods (as 'YYYY-MM-DD' of their first day, or 'YYYY-MM' for months) that the
    view covers only in part: cut by the range's start or end, or not over at as-of
    (the last day of a range ending today, the running week, month or quarter)."""
    out = set()
    last = min(pd.Timestamp(end) + pd.Timedelta(days=1), pd.Timestamp(as_of))
    first = pd.Timestamp(start)
    for period in periods:
        text = str(period)[:10]
        begin = pd.Timestamp(f"{text}-01" if len(text) == 7 else text)
        if grain == "day":
            stop = begin + pd.Timedelta(days=1)
        elif grain == "week":
            stop = begin + pd.Timedelta(days=7)
        elif grain == "quarter":
            stop = begin + pd.DateOffset(months=3)
        else:
            stop = begin + pd.DateOffset(months=1)
        if begin < first or stop > last:
            out.add(text[:7] if grain in MONTH_GRAINS else text)
    return out


def _mark_partial(data: pd.DataFrame, x: str, partial, partial_label: str) -> pd.DataFrame:
    """`data` with `partial` (is `x` a partial period) and `period_state` (its label, for
    the tooltip): the columns every trend's partial marking reads."""
    partial = set(partial or ())
    data["partial"] = data[x].isin(partial) if len(data) else []
    data["period_state"] = data["partial"].map(lambda p: partial_label if p else "") if len(data) else []
    return data


def _partial_bar_encoding(lighter: str = "opacity") -> dict:
    """How a bar of a partial period is drawn in every trend: lighter (through the
    channel `lighter`: opacity, or fillOpacity where opacity already means something),
    with a dashed grey outline."""
    return {lighter: alt.condition("datum.partial", alt.value(0.4), alt.value(1.0)),
            "strokeDash": alt.condition("datum.partial", alt.value([3, 2]), alt.value([])),
            "stroke": alt.condition("datum.partial", alt.value("#555555"), alt.value(None))}


def over_time(frame: pd.DataFrame, *, x: str, y: str, x_title: str, y_title: str,
              color: str | None = None, color_title: str | None = None, grain: str = "day",
              percent: bool = False, mark: str = "line", stack: bool = True,
              partial: set[str] | None = None, partial_label: str = "",
              target: float | None = None, target_label: str = "",
              scale_to_data: bool = False, color_order: list | None = None) -> alt.Chart:
    """A line (or bars) of `y` per period `x`; one series per value of `color`.

    `partial`: periods covered only in part (see `partial_periods`): their points are
    hollow and the line into them dashed; their bars lighter; the tooltip says so.
    `target`: a horizontal rule with its label. `scale_to_data`: the value axis fits
    the data (and the target) instead of starting at zero / spanning 0-100 %.
    """
    data = frame.copy()
    months = grain in MONTH_GRAINS
    data[x] = _month_text(data[x]) if months else _iso_days(data[x])
    data = _mark_partial(data, x, partial, partial_label)
    integer = not percent and _is_integer(data[y]) if len(data) else False
    domain = scaled_domain(data[y], extra=[] if target is None else [target], percent=percent) \
        if scale_to_data else None
    if domain is not None:
        y_scale = alt.Scale(domain=domain, zero=False)
    else:
        y_scale = alt.Scale(domain=[0, 1]) if percent else alt.Scale(zero=True)
    x_tooltip = alt.Tooltip(f"{x}:O", title=x_title) if months else \
        alt.Tooltip(f"{x}:T", title=x_title, format="%Y-%m-%d", formatType="utc")
    encoding = {"x": _time_x(x, x_title, grain),
                "y": alt.Y(f"{y}:Q", title=y_title, axis=_value_axis(percent, integer), scale=y_scale,
                           stack="zero" if (mark == "bar" and stack) else None),
                "tooltip": [x_tooltip,
                            alt.Tooltip(f"{y}:Q", title=y_title, format=".1%" if percent else ","),
                            alt.Tooltip("period_state:N", title=" ")]}
    if color is not None:
        count = data[color].nunique() if len(data) else 1
        encoding["color"] = alt.Color(f"{color}:N", title=color_title, legend=_legend(count),
                                      sort=color_order)
        encoding["tooltip"].insert(1, alt.Tooltip(f"{color}:N", title=color_title))
    base = alt.Chart(data).encode(**encoding)
    if mark == "bar":
        layers = [base.mark_bar().encode(**_partial_bar_encoding())]
    else:
        complete = base.transform_filter("!datum.partial")
        layers = [base.mark_line(strokeDash=[5, 4]),            # the whole line, dashed
                  complete.mark_line(),                           # complete stretches drawn over it
                  base.mark_point(filled=False, size=60).transform_filter("datum.partial"),
                  complete.mark_point(filled=True, size=30 if len(data) <= 60 else 0)]
    if target is not None:
        rule = alt.Chart(pd.DataFrame({"target": [target], "label": [target_label]}))
        layers += [rule.mark_rule(color="#d32f2f", strokeDash=[6, 3], size=1.5).encode(y="target:Q"),
                   rule.mark_text(align="left", dx=4, dy=-6, color="#d32f2f", fontSize=11).encode(
                       y="target:Q", text="label:N", x=alt.value(0))]
    return alt.layer(*layers).properties(height=300)


def bars(frame: pd.DataFrame, *, category: str, value: str, category_title: str,
         value_title: str, percent: bool = False, sort_by_value: bool = True,
         colours: dict[str, str] | None = None, order: list | None = None,
         target: float | None = None, target_label: str = "", under_label: str = "",
         over_label: str = "", scale_to_data: bool = False) -> alt.Chart:
    """Horizontal bars, one per `category` value (largest first unless `order` given),
    a fixed step per row so every label shows. `target`: a vertical rule, and bars
    under it coloured apart with a legend (`under_label` / `over_label`)."""
    sort = order if order is not None else ("-x" if sort_by_value else None)
    data = frame.copy()
    integer = not percent and _is_integer(data[value]) if len(data) else False
    domain = scaled_domain(data[value], extra=[] if target is None else [target], percent=percent) \
        if scale_to_data else None
    if domain is not None:
        scale = alt.Scale(domain=domain, zero=False, clamp=True)
    else:
        scale = alt.Scale(domain=[0, 1]) if percent else alt.Scale(zero=True)
    encoding = {"y": alt.Y(f"{category}:N", title=category_title, sort=sort,
                           axis=alt.Axis(labelLimit=LABEL_LIMIT, labelOverlap=False)),
                "x": alt.X(f"{value}:Q", title=value_title, axis=_value_axis(percent, integer), scale=scale),
                "tooltip": [alt.Tooltip(f"{category}:N", title=category_title),
                            alt.Tooltip(f"{value}:Q", title=value_title,
                                        format=".1%" if percent else ",")]}
    if colours:
        encoding["color"] = alt.Color(f"{category}:N", legend=None,
                                      scale=alt.Scale(domain=list(colours), range=list(colours.values())))
    elif target is not None:
        data["against_target"] = [under_label if v < target else over_label for v in data[value]] \
            if len(data) else []
        encoding["color"] = alt.Color("against_target:N", title=None, legend=alt.Legend(orient="top", labelLimit=0),
                                      scale=alt.Scale(domain=[under_label, over_label],
                                                      range=["#d32f2f", "#1f77b4"]))
    chart = alt.Chart(data).mark_bar().encode(**encoding)
    if target is not None:
        rule = alt.Chart(pd.DataFrame({"target": [target], "label": [target_label]}))
        chart = alt.layer(chart, rule.mark_rule(color="#d32f2f", strokeDash=[6, 3], size=1.5).encode(x="target:Q"),
                          rule.mark_text(align="left", dx=4, dy=-4, baseline="bottom", color="#d32f2f",
                                         fontSize=11).encode(x="target:Q", text="label:N", y=alt.value(0)))
    return chart.properties(height=alt.Step(STEP))


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
    # Layers without data of their own, the data on the layer chart: altair then does
    # not compare (repr) and hoist each layer's copy of the frame on every render.
    base = alt.Chart().encode(
        x=alt.X("month:O", title=month_title, axis=alt.Axis(labelAngle=0)),
        # every cohort keeps its label: Vega's overlap removal dropped one of three
        y=alt.Y("cohort:O", title=cohort_title, axis=alt.Axis(labelOverlap=False, labelBound=False)),
        tooltip=[alt.Tooltip("cohort:O", title=cohort_title),
                 alt.Tooltip("month:O", title=month_title),
                 alt.Tooltip("share:Q", title=value_title, format=".1%")])
    rect = base.mark_rect().encode(
        color=alt.Color("share:Q", title=value_title,
                        scale=alt.Scale(scheme="blues", domain=scaled_domain(long["share"], pad=0) or [0, 1]),
                        legend=alt.Legend(format=".0%", titleLimit=LABEL_LIMIT, orient="bottom")))
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("share:Q", format=".0%"),
        color=alt.condition(f"datum.share > {_dark_from(long['share'])}", alt.value("white"),
                            alt.value("black")))
    return alt.layer(rect, text, data=long).properties(
        height=max(160, 34 * max(long["cohort"].nunique(), 1)))


def _dark_from(shares: pd.Series) -> float:
    """The share above which a cell of the fitted colour scale is dark (white text)."""
    domain = scaled_domain(shares, pad=0) or [0, 1]
    return round(domain[0] + 0.6 * (domain[1] - domain[0]), 4)


def diverging_bars(frame: pd.DataFrame, *, x: str, up: str, down: str, color: str,
                   x_title: str, y_title: str, color_title: str, up_label: str,
                   down_label: str, partial: set[str] | None = None, partial_label: str = "") -> alt.Chart:
    """`up` above zero and `down` below it per period `x`, stacked by `color`
    (joins against leaves per month, by channel). `partial`: months covered only in
    part, drawn as every trend draws them (`_partial_bar_encoding`; the fill is lighter,
    since opacity already tells `up` from `down`) and named in the tooltip."""
    data = frame.copy()
    data[x] = _month_text(data[x])
    data = _mark_partial(data, x, partial, partial_label)
    long = pd.concat([
        data.assign(kind=up_label, count=data[up] if len(data) else []),
        data.assign(kind=down_label, count=-data[down] if len(data) else [])])
    long = long[[x, color, "kind", "count", "partial", "period_state"]]
    return alt.Chart(long).mark_bar().encode(
        x=_time_x(x, x_title, "month"),
        y=alt.Y("count:Q", title=y_title, stack="zero", axis=_value_axis(False, True)),
        color=alt.Color(f"{color}:N", title=color_title,
                        legend=_legend(long[color].nunique() if len(long) else 1)),
        opacity=alt.Opacity("kind:N", title=None, scale=alt.Scale(domain=[up_label, down_label],
                                                                  range=[1.0, 0.55]),
                            legend=alt.Legend(orient="bottom", labelLimit=LABEL_LIMIT)),
        tooltip=[alt.Tooltip(f"{x}:O", title=x_title),
                 alt.Tooltip("kind:N", title=""), alt.Tooltip(f"{color}:N", title=color_title),
                 alt.Tooltip("count:Q", title=y_title), alt.Tooltip("period_state:N", title=" ")],
        **_partial_bar_encoding("fillOpacity"),
    ).properties(height=300)


def colour_swatches(classes: pd.DataFrame):
    """A legend drawn as a chart: one circle per row in its own colour (`colour`, a CSS
    colour) above its label (`label`), in the rows' order; no label is ever cut."""
    return (alt.Chart(classes).mark_circle(size=220, opacity=1, stroke="#555555", strokeWidth=1)
            .encode(x=alt.X("label:N", sort=None, title=None,
                            axis=alt.Axis(labelAngle=0, labelLimit=0, domain=False, ticks=False)),
                    color=alt.Color("colour:N", scale=None, legend=None),
                    tooltip=[alt.Tooltip("label:N", title=None)])
            .properties(height=60, width=130 * max(len(classes), 1)))
