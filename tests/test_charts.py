"""Chart builders: the encodings the pages rely on, for small and empty frames."""
from datetime import date

import pandas as pd
import pytest

from lib import charts


def spec(chart) -> dict:
    return chart.to_dict()


def test_over_time_line_with_series():
    frame = pd.DataFrame({"period": [date(2026, 1, 1), date(2026, 1, 2)], "count": [3, 4],
                          "series": ["Orders", "Orders"]})
    s = spec(charts.over_time(frame, x="period", y="count", color="series", x_title="Date",
                              y_title="Count", color_title="Series"))
    assert s["mark"]["type"] == "line"
    assert s["encoding"]["x"]["field"] == "period" and s["encoding"]["x"]["type"] == "temporal"
    assert s["encoding"]["x"]["scale"]["type"] == "utc", "days must not shift with the browser's zone"
    assert s["encoding"]["color"]["field"] == "series"
    assert s["encoding"]["y"]["title"] == "Count"


def test_over_time_months_and_percent():
    frame = pd.DataFrame({"period": ["2026-01", "2026-02"], "share": [0.5, 0.75]})
    chart = charts.over_time(frame, x="period", y="share", x_title="M", y_title="S",
                             grain="month", percent=True)
    s = spec(chart)
    assert s["encoding"]["y"]["axis"]["format"] == ".0%"
    assert list(chart.data["period"]) == ["2026-01-01", "2026-02-01"]


def test_bars_sorted_and_coloured():
    frame = pd.DataFrame({"band": ["a", "b"], "orders": [1, 2]})
    s = spec(charts.bars(frame, category="band", value="orders", category_title="B", value_title="O",
                         order=["a", "b"], colours={"a": "#000000", "b": "#ffffff"}))
    assert s["mark"]["type"] == "bar"
    assert s["encoding"]["y"]["field"] == "band" and s["encoding"]["y"]["sort"] == ["a", "b"]
    assert s["encoding"]["color"]["scale"]["range"] == ["#000000", "#ffffff"]


def test_cohort_heatmap_leaves_unended_months_blank():
    matrix = pd.DataFrame([["2026-01", 10, 1.0, 0.9] + [None] * 10],
                          columns=["cohort", "members", *range(12)]).set_index("cohort")
    chart = charts.cohort_heatmap(matrix, cohort_title="C", month_title="K", value_title="V")
    s = spec(chart)
    rect = s["layer"][0]
    assert rect["mark"]["type"] == "rect"
    assert rect["encoding"]["x"]["field"] == "month" and rect["encoding"]["y"]["field"] == "cohort"
    assert rect["encoding"]["color"]["field"] == "share"
    assert len(chart.data) == 2, "only the two months with a figure get a cell"


def test_diverging_bars_put_leaves_below_zero():
    frame = pd.DataFrame({"month": ["2026-01"], "channel": ["wechat"], "joins": [5], "leaves": [2]})
    chart = charts.diverging_bars(frame, x="month", up="joins", down="leaves", color="channel",
                                  x_title="M", y_title="N", color_title="C", up_label="J",
                                  down_label="L")
    assert sorted(chart.data["count"]) == [-2, 5]


def test_map_style_setting(monkeypatch):
    monkeypatch.delenv(charts.ENV_MAP_STYLE, raising=False)
    assert charts.map_style_url() == charts.DEFAULT_MAP_STYLE
    monkeypatch.setenv(charts.ENV_MAP_STYLE, "/app/static/other.json")
    assert charts.map_style_url() == "/app/static/other.json"


EMPTY = {
    "over_time": lambda: charts.over_time(pd.DataFrame(columns=["period", "n"]), x="period", y="n",
                                          x_title="x", y_title="y"),
    "bars": lambda: charts.bars(pd.DataFrame(columns=["c", "n"]), category="c", value="n",
                                category_title="c", value_title="n"),
    "heatmap": lambda: charts.cohort_heatmap(
        pd.DataFrame(columns=["cohort", "members", *range(12)]).set_index("cohort"),
        cohort_title="c", month_title="k", value_title="v"),
    "diverging": lambda: charts.diverging_bars(
        pd.DataFrame(columns=["month", "channel", "joins", "leaves"]), x="month", up="joins",
        down="leaves", color="channel", x_title="m", y_title="n", color_title="c", up_label="j",
        down_label="l"),
}


@pytest.mark.parametrize("name", EMPTY)
def test_builders_accept_empty_frames(name):
    chart = EMPTY[name]()
    assert chart.to_dict()
