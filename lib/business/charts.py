"""Chart builders the business pages add to lib/charts.py: pure functions of frames."""
from __future__ import annotations

import altair as alt
import pandas as pd


def share_heatmap(frame: pd.DataFrame, *, row: str, column: str, value: str, row_title: str,
                  column_title: str, value_title: str, row_order: list | None = None) -> alt.Chart:
    """A cell per (row, column) coloured and labelled by the share `value` (0..1); every
    row and column label whole (Vega cuts labels at 180 px by default: "Water quality or t…")."""
    base = alt.Chart(frame).encode(
        x=alt.X(f"{column}:N", title=column_title, axis=alt.Axis(labelAngle=0, labelLimit=0)),
        y=alt.Y(f"{row}:N", title=row_title, sort=row_order, axis=alt.Axis(labelLimit=0, labelOverlap=False)),
        tooltip=[alt.Tooltip(f"{row}:N", title=row_title), alt.Tooltip(f"{column}:N", title=column_title),
                 alt.Tooltip(f"{value}:Q", title=value_title, format=".1%")])
    rect = base.mark_rect().encode(color=alt.Color(
        f"{value}:Q", title=value_title, scale=alt.Scale(scheme="oranges", domain=[0, 1]),
        legend=alt.Legend(format=".0%", titleLimit=0, orient="bottom")))
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text(f"{value}:Q", format=".0%"),
        color=alt.condition(f"datum.{value} > 0.6", alt.value("white"), alt.value("black")))
    rows = frame[row].nunique() if len(frame) else 1
    return (rect + text).properties(height=max(120, 30 * rows))


def stacked_counts(frame: pd.DataFrame, *, x: str, y: str, color: str, x_title: str, y_title: str,
                   color_title: str) -> alt.Chart:
    """Bars per month ('YYYY-MM' in `x`), stacked by `color`."""
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{y}:Q", title=y_title, stack="zero"),
        color=alt.Color(f"{color}:N", title=color_title,
                        legend=alt.Legend(orient="bottom", labelLimit=0, titleLimit=0)),
        tooltip=[alt.Tooltip(f"{x}:O", title=x_title), alt.Tooltip(f"{color}:N", title=color_title),
                 alt.Tooltip(f"{y}:Q", title=y_title, format=",")]).properties(height=300)


def bars(frame: pd.DataFrame, *, category: str, value: str, category_title: str, value_title: str,
         percent: bool = False, sort_by_value: bool = True) -> alt.Chart:
    """Horizontal bars, one per `category` value, largest first; each row a fixed step
    high so long Chinese or English labels never overlap, whatever the row count."""
    axis = alt.Axis(format=".0%") if percent else alt.Axis()
    return alt.Chart(frame[[category, value]]).mark_bar().encode(
        y=alt.Y(f"{category}:N", title=category_title, sort="-x" if sort_by_value else None,
                axis=alt.Axis(labelLimit=0, labelOverlap=False)),
        x=alt.X(f"{value}:Q", title=value_title, axis=axis,
                scale=alt.Scale(domain=[0, 1]) if percent else alt.Scale(zero=True)),
        tooltip=[alt.Tooltip(f"{category}:N", title=category_title),
                 alt.Tooltip(f"{value}:Q", title=value_title, format=".1%" if percent else ",")],
    ).properties(height=alt.Step(26))
