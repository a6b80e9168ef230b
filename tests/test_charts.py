"""Chart builders: the encodings the pages rely on, for small and empty frames."""
from datetime import date, datetime

import pandas as pd
import pytest

from lib import charts


def spec(chart) -> dict:
    return chart.to_dict()


def marks(s: dict) -> list[dict]:
    """The layers of a (possibly layered) chart spec: [{mark, encoding, transform, ...}]."""
    return s["layer"] if "layer" in s else [s]


def mark_type(layer: dict) -> str:
    return layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]


def test_over_time_line_with_series():
    frame = pd.DataFrame({"period": [date(2026, 1, 1), date(2026, 1, 2)], "count": [3, 4],
                          "series": ["Orders", "Orders"]})
    s = spec(charts.over_time(frame, x="period", y="count", color="series", x_title="Date",
                              y_title="Count", color_title="Series"))
    assert "line" in [mark_type(layer) for layer in marks(s)]
    encoding = s["encoding"] if "encoding" in s else marks(s)[0]["encoding"]
    assert encoding["x"]["field"] == "period" and encoding["x"]["type"] == "temporal"
    assert encoding["x"]["scale"]["type"] == "utc", "days must not shift with the browser's zone"
    assert encoding["color"]["field"] == "series"
    assert encoding["y"]["title"] == "Count"
    assert encoding["y"]["axis"]["tickMinStep"] == 1, "counts: no 0.5 ticks"
    assert encoding["color"]["legend"]["labelLimit"] == 0, "legend entries are never cut"


def test_over_time_months_one_slot_and_tick_each_and_percent():
    frame = pd.DataFrame({"period": ["2026-01", "2026-02", "2026-03"], "share": [0.5, 0.75, 0.6]})
    chart = charts.over_time(frame, x="period", y="share", x_title="M", y_title="S",
                             grain="month", percent=True, mark="bar")
    s = spec(chart)
    encoding = marks(s)[0]["encoding"] if "encoding" not in s else s["encoding"]
    assert encoding["y"]["axis"]["format"] == ".0%"
    # one ordinal slot per month: one tick and label per month, bars as wide as their month
    assert encoding["x"]["type"] == "ordinal"
    assert list(chart.data["period"]) == ["2026-01", "2026-02", "2026-03"]
    daily = pd.DataFrame({"period": [date(2026, 1, 1), date(2026, 2, 1)], "n": [1, 2]})
    monthly = charts.over_time(daily, x="period", y="n", x_title="M", y_title="N", grain="month")
    assert list(monthly.data["period"]) == ["2026-01", "2026-02"], "dates of months become months"


def test_partial_periods_of_a_view():
    as_of = datetime(2026, 12, 2, 3, 15)
    days = [date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)]
    assert charts.partial_periods(days, grain="day", start=date(2026, 11, 30), end=date(2026, 12, 2),
                                  as_of=as_of) == {"2026-12-02"}
    months = ["2026-09", "2026-10", "2026-11", "2026-12"]
    # last 90 days: September is cut by the start, December is still running
    assert charts.partial_periods(months, grain="month", start=date(2026, 9, 4), end=date(2026, 12, 2),
                                  as_of=as_of) == {"2026-09", "2026-12"}
    # a range that ended before as-of and starts on a month's first day: nothing partial
    assert charts.partial_periods(months[:3], grain="month", start=date(2026, 9, 1),
                                  end=date(2026, 11, 30), as_of=as_of) == set()
    weeks = [date(2026, 11, 23), date(2026, 11, 30)]
    assert charts.partial_periods(weeks, grain="week", start=date(2026, 11, 23), end=date(2026, 12, 2),
                                  as_of=as_of) == {"2026-11-30"}


def test_partial_period_is_marked_dashed_hollow_and_labelled():
    frame = pd.DataFrame({"period": [date(2026, 12, 1), date(2026, 12, 2)], "n": [120, 4]})
    chart = charts.over_time(frame, x="period", y="n", x_title="D", y_title="N",
                             partial={"2026-12-02"}, partial_label="partial")
    assert list(chart.data["partial"]) == [False, True]
    assert list(chart.data["period_state"]) == ["", "partial"]
    layers = marks(spec(chart))
    dashed = [layer for layer in layers if mark_type(layer) == "line" and layer["mark"].get("strokeDash")]
    solid = [layer for layer in layers if mark_type(layer) == "line" and not layer["mark"].get("strokeDash")]
    assert dashed and solid, "the line into the partial period is dashed, the rest solid"
    assert any("!datum.partial" in str(layer.get("transform")) for layer in solid)
    hollow = [layer for layer in layers if mark_type(layer) == "point" and layer["mark"].get("filled") is False]
    assert hollow and "datum.partial" in str(hollow[0]["transform"])
    bars = spec(charts.over_time(frame, x="period", y="n", x_title="D", y_title="N", mark="bar",
                                 partial={"2026-12-02"}, partial_label="partial"))
    opacity = marks(bars)[0]["encoding"]["opacity"]
    assert opacity["condition"]["test"] == "datum.partial" and opacity["condition"]["value"] < 1


def test_target_line_and_an_axis_fitted_to_the_data():
    frame = pd.DataFrame({"period": [date(2026, 11, 1), date(2026, 11, 2)], "rate": [0.88, 0.93]})
    s = spec(charts.over_time(frame, x="period", y="rate", x_title="D", y_title="R", percent=True,
                              target=0.95, target_label="Target 95%", scale_to_data=True))
    rules = [layer for layer in marks(s) if mark_type(layer) == "rule"]
    assert rules, "the target is drawn as a line"
    texts = [layer for layer in marks(s) if mark_type(layer) == "text"]
    assert texts, "with its label"
    data = {name: rows for name, rows in s["datasets"].items()}
    assert any(rows == [{"target": 0.95, "label": "Target 95%"}] for rows in data.values())
    domain = marks(s)[0]["encoding"]["y"]["scale"]["domain"]
    assert 0.8 <= domain[0] < 0.88 and 0.95 < domain[1] <= 1.0, domain


def test_bars_under_target_are_coloured_apart():
    frame = pd.DataFrame({"city": ["A", "B", "C"], "compliance": [0.97, 0.91, 0.95]})
    chart = charts.bars(frame, category="city", value="compliance", category_title="C", value_title="R",
                        percent=True, target=0.95, target_label="Target", under_label="Under",
                        over_label="On target", scale_to_data=True)
    layers = marks(spec(chart))
    assert [mark_type(layer) for layer in layers][:2] == ["bar", "rule"]
    colour = layers[0]["encoding"]["color"]
    assert colour["field"] == "against_target" and colour["scale"]["range"][0] == "#d32f2f"
    bar_data = chart.layer[0].data
    assert dict(zip(bar_data["city"], bar_data["against_target"])) == {"A": "On target", "B": "Under",
                                                                       "C": "On target"}


def test_top_n_keeps_the_largest_and_sums_the_rest_into_other():
    frame = pd.DataFrame({"period": ["d1", "d2"] * 12,
                          "city": [f"c{i // 2:02d}" for i in range(24)],
                          "orders": [i // 2 + 1 for i in range(24)]})
    out = charts.top_n(frame, category="city", value="orders", other_label="Other", n=10, keys=("period",))
    assert out["city"].nunique() == 10
    assert "Other" in set(out["city"]) and "c11" in set(out["city"]) and "c00" not in set(out["city"])
    assert out["orders"].sum() == frame["orders"].sum(), "nothing is lost"
    other = out[out["city"] == "Other"].set_index("period")["orders"]
    assert other.to_dict() == {"d1": sum(range(1, 4)), "d2": sum(range(1, 4))}
    assert charts.series_order(out, category="city", value="orders", other_label="Other")[-1] == "Other"
    few = frame[frame["city"].isin(["c00", "c01"])]
    assert charts.top_n(few, category="city", value="orders", other_label="Other").equals(few)


def test_bars_sorted_and_coloured():
    frame = pd.DataFrame({"band": ["a", "b"], "orders": [1, 2]})
    s = spec(charts.bars(frame, category="band", value="orders", category_title="B", value_title="O",
                         order=["a", "b"], colours={"a": "#000000", "b": "#ffffff"}))
    assert s["mark"]["type"] == "bar"
    assert s["encoding"]["y"]["field"] == "band" and s["encoding"]["y"]["sort"] == ["a", "b"]
    assert s["encoding"]["color"]["scale"]["range"] == ["#000000", "#ffffff"]
    assert s["encoding"]["y"]["axis"]["labelLimit"] == 0, "no label is cut"
    assert s["height"] == {"step": charts.STEP}, "a row per bar: every label has room"


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


def test_diverging_bars_mark_the_partial_month_like_every_other_trend():
    """The running month of joins and leaves is drawn as the other trends draw a partial
    bar (lighter, dashed outline: the same encoding as over_time's) and says so in its tooltip."""
    frame = pd.DataFrame({"month": ["2026-11", "2026-12"], "channel": ["wechat", "wechat"],
                          "joins": [50, 3], "leaves": [10, 1]})
    chart = charts.diverging_bars(frame, x="month", up="joins", down="leaves", color="channel",
                                  x_title="M", y_title="N", color_title="C", up_label="J",
                                  down_label="L", partial={"2026-12"}, partial_label="partial")
    data = chart.data.sort_values(["month", "count"])
    assert list(data["partial"]) == [False, False, True, True]
    assert list(data["period_state"]) == ["", "", "partial", "partial"]
    bar = marks(spec(chart))[0]
    reference = marks(spec(charts.over_time(frame, x="month", y="joins", x_title="M", y_title="N",
                                            grain="month", mark="bar", partial={"2026-12"})))[0]
    for channel in ("strokeDash", "stroke"):
        assert bar["encoding"][channel] == reference["encoding"][channel], channel
    lighter = bar["encoding"]["fillOpacity"]["condition"]
    assert lighter["test"] == "datum.partial" and lighter["value"] < 1
    assert "period_state" in str(bar["encoding"]["tooltip"])
    plain = charts.diverging_bars(frame, x="month", up="joins", down="leaves", color="channel",
                                  x_title="M", y_title="N", color_title="C", up_label="J", down_label="L")
    assert not plain.data["partial"].any(), "nothing partial unless told"


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
