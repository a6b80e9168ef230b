"""Charts built once per distinct input (lib.ui.chart_specs, issue #13/#19): a warm
render builds no chart, a changed input or language builds a new one, and the
element sent is the one st.altair_chart would send."""
import json
from functools import partial

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib import charts
from lib.ui import chart_specs, kept

KPI_PAGES = ["pages/1_Orders.py", "pages/2_Install_Promise.py", "pages/3_Engineers.py",
             "pages/4_Members.py", "pages/5_Communities.py"]


@pytest.fixture
def builds(monkeypatch):
    """The recipes chart_specs actually built (not served from its store)."""
    built = []
    real = chart_specs._build

    def counting(recipe, *args):
        built.append(recipe.func.__name__)
        return real(recipe, *args)
    monkeypatch.setattr(chart_specs, "_build", counting)
    kept.clear()
    yield built
    kept.clear()


def _bars(frame, title="orders"):
    return partial(charts.bars, frame, category="value", value="orders", category_title="c",
                   value_title=title)


FRAME = pd.DataFrame({"value": ["a", "b"], "orders": [3, 5]})


def test_the_same_recipe_is_built_once(builds):
    first = chart_specs.vega_lite(_bars(FRAME))
    again = chart_specs.vega_lite(_bars(FRAME.copy()))   # an equal frame, another object
    assert again is first
    assert builds == ["bars"]


@pytest.mark.parametrize("changed", [
    _bars(pd.DataFrame({"value": ["a", "b"], "orders": [3, 6]})),   # one figure differs
    _bars(FRAME, title="订单"),                                       # a title differs
])
def test_a_changed_input_builds_a_new_chart(builds, changed):
    first = chart_specs.vega_lite(_bars(FRAME))
    other = chart_specs.vega_lite(changed)
    assert builds == ["bars", "bars"]
    assert other != first


def test_the_language_and_the_click_selection_are_part_of_the_key(builds):
    plain = chart_specs.vega_lite(_bars(FRAME), context="en")
    chinese = chart_specs.vega_lite(_bars(FRAME), context="zh_CN")
    picked = chart_specs.vega_lite(_bars(FRAME), context="en", pick_field="value")
    assert len(builds) == 3
    assert plain is not chinese
    assert [p["name"] for p in picked["params"]] == ["pick"] and "params" not in plain


def test_a_recipe_that_cannot_be_pickled_is_built_every_time(builds):
    recipe = partial(lambda frame: charts.bars(frame, category="value", value="orders",
                                               category_title="c", value_title="o"), FRAME)
    first = chart_specs.vega_lite(recipe)
    again = chart_specs.vega_lite(recipe)   # a lambda builder has no key: never kept
    assert len(builds) == 2
    assert again == first


def test_the_store_keeps_at_most_max_entries(builds, monkeypatch):
    monkeypatch.setattr(kept, "MAX_ENTRIES", 2)
    for orders in (1, 2, 3):
        chart_specs.vega_lite(_bars(pd.DataFrame({"value": ["a"], "orders": [orders]})))
    chart_specs.vega_lite(_bars(pd.DataFrame({"value": ["a"], "orders": [1]})))  # evicted: again
    assert len(builds) == 4


def _both_ways():
    from functools import partial

    import pandas as pd
    import streamlit as st

    from lib import charts
    from lib.ui import chart_specs, draw
    frame = pd.DataFrame({"value": ["甲", "乙"], "orders": [3, 5]})
    recipe = partial(charts.bars, frame, category="value", value="orders", category_title="城市",
                     value_title="订单")
    st.altair_chart(chart_specs.unvalidated(recipe().properties(usermeta=chart_specs.SVG)),
                    width="stretch")
    draw.chart(recipe)


def test_the_element_sent_is_the_one_st_altair_chart_sends():
    app = AppTest.from_function(_both_ways).run()
    assert not app.exception, app.exception
    altair_way, cached_way = app.get("vega_lite_chart")
    assert json.loads(cached_way.proto.spec) == json.loads(altair_way.proto.spec)
    assert [(d.name, d.data.data) for d in cached_way.proto.datasets] == \
           [(d.name, d.data.data) for d in altair_way.proto.datasets]
    assert cached_way.proto.datasets, "no chart data sent: the comparison proves nothing"


@pytest.mark.parametrize("path", KPI_PAGES)
def test_a_warm_render_of_a_kpi_page_builds_no_chart(open_page, builds, path):
    app = open_page(path, "manager")
    assert not app.exception, app.exception
    assert builds, f"{path}: the first render built no chart: the test proves nothing"
    first = len(builds)
    app.run()
    assert not app.exception, app.exception
    assert len(builds) == first, f"{path}: a warm render built {builds[first:]}"
