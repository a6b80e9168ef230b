"""Charts built once per distinct input and kept (lib.ui.kept).

Building an altair chart and turning it into the Vega-Lite spec Streamlit sends
costs 1-25 ms per chart (an over-time chart: 14 ms to build, 9 ms to convert), and a
KPI page draws up to eight of them on every render, although on a warm render the
same figures give the same chart. So a chart is asked for as a *recipe*, a
`functools.partial` of a `lib.charts` builder with its inputs; its spec is built on
the first request and kept under the recipe.

The spec is what `st.altair_chart` itself builds (its own converter, chart data as
Arrow bytes), drawn with `st.vega_lite_chart`; tests/ui/test_chart_specs.py checks
that both send the browser the same element.
"""
from __future__ import annotations

import functools

from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from lib.ui.kept import kept

SVG = {"embedOptions": {"renderer": "svg"}}   # text in the page: labels can be checked (tests)


def unvalidated(chart):
    """`chart` whose `to_dict()` skips the Vega-Lite schema validation (half of its cost):
    every builder's output is validated by tests/test_charts.py, and the pages only pass
    data and translated titles in."""
    object.__setattr__(chart, "to_dict", functools.partial(type(chart).to_dict, chart, validate=False))
    return chart


def _build(recipe: functools.partial, pick_field: str | None, svg: bool) -> dict:
    import altair as alt
    chart = recipe()
    if svg:
        chart = chart.properties(usermeta=SVG)
    if pick_field:
        chart = chart.add_params(alt.selection_point(name="pick", fields=[pick_field]))
    return _convert_altair_to_vega_lite_spec(unvalidated(chart))


def vega_lite(recipe: functools.partial, *, pick_field: str | None = None, svg: bool = True,
              context=None) -> dict:
    """The Vega-Lite spec of `recipe()`; with `pick_field`, a click selection named
    "pick" on that field. `context`: what else the builder reads (the language, for a
    builder that translates its own tooltips). Do not change the returned dict: it is
    shared."""
    return kept(("vega-lite", recipe, pick_field, svg, context), lambda: _build(recipe, pick_field, svg))
