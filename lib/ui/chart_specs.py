"""Charts built once per distinct input and kept for every session of the process.

Building an altair chart and turning it into the Vega-Lite spec Streamlit sends
costs 1-25 ms per chart (an over-time chart: 14 ms to build, 9 ms to convert), and a
KPI page draws up to eight of them on every render, although on a warm render the
same figures give the same chart. So a chart is asked for as a *recipe*, a
`functools.partial` of a `lib.charts` builder with its inputs, and its spec is built
on the first request and then reused, keyed on the pickled recipe (frames as their
plain values): equal bytes mean equal builder and inputs (frames, titles, colours),
so a hit is the chart the recipe would build (a miss only costs a build). The spec holds nothing the caller did not
pass in, so sharing it between users leaks nothing.

The spec is what `st.altair_chart` itself builds (its own converter, chart data as
Arrow bytes), drawn with `st.vega_lite_chart`; tests/ui/test_chart_specs.py checks
that both send the browser the same element.
"""
from __future__ import annotations

import functools
import hashlib
import io
import pickle
import threading
from collections import OrderedDict

import pandas as pd

from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

MAX_SPECS = 256
SVG = {"embedOptions": {"renderer": "svg"}}   # text in the page: labels can be checked (tests)

_specs: OrderedDict[bytes, dict] = OrderedDict()
_lock = threading.Lock()


def unvalidated(chart):
    """`chart` whose `to_dict()` skips the Vega-Lite schema validation (half of its cost):
    every builder's output is validated by tests/test_charts.py, and the pages only pass
    data and translated titles in."""
    object.__setattr__(chart, "to_dict", functools.partial(type(chart).to_dict, chart, validate=False))
    return chart


class _KeyPickler(pickle.Pickler):
    """Pickles a frame as its plain values: a DataFrame's own pickle depends on its
    block layout (a frame out of st.cache_data pickles differently from its
    original), so equal frames would get different keys."""

    def reducer_override(self, obj):
        if isinstance(obj, pd.DataFrame):
            return tuple, ((tuple(obj.columns), tuple(map(str, obj.dtypes)), obj.index.tolist(),
                            [obj[column].tolist() for column in obj.columns]),)
        if isinstance(obj, pd.Series):
            return tuple, ((obj.name, str(obj.dtype), obj.index.tolist(), obj.tolist()),)
        return NotImplemented


def _key(recipe: functools.partial, pick_field: str | None, svg: bool, context) -> bytes | None:
    buffer = io.BytesIO()
    try:
        _KeyPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((recipe, pick_field, svg, context))
    except (pickle.PicklingError, TypeError, AttributeError):
        return None  # e.g. a lambda: built every time, still correct
    return hashlib.blake2b(buffer.getvalue(), digest_size=20).digest()


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
    key = _key(recipe, pick_field, svg, context)
    if key is not None:
        with _lock:
            spec = _specs.get(key)
            if spec is not None:
                _specs.move_to_end(key)
                return spec
    spec = _build(recipe, pick_field, svg)
    if key is not None:
        with _lock:
            _specs[key] = spec
            while len(_specs) > MAX_SPECS:
                _specs.popitem(last=False)
    return spec


def clear() -> None:
    with _lock:
        _specs.clear()
