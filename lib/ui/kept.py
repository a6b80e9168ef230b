"""What a render builds from cached figures, built once per distinct input and kept
for every session of the process.

A warm render gets its KPI figures from the cache, yet building what it draws from
them (a chart's Vega-Lite spec, a table's translated and formatted cells) cost most
of its CPU, the same work with the same result on every render. `kept(parts, build)`
runs `build()` the first time and returns the kept value after, keyed on the pickled
`parts` (frames as their plain values): equal bytes mean equal inputs, so a hit is
what `build()` would return (a miss only costs a build). A value holds nothing its
caller did not pass in, so sharing it between users leaks nothing. Do not change a
returned value: it is shared.
"""
from __future__ import annotations

import hashlib
import io
import pickle
import threading
from collections import OrderedDict
from typing import Callable, TypeVar

import pandas as pd

T = TypeVar("T")
MAX_ENTRIES = 512

_values: OrderedDict[bytes, object] = OrderedDict()
_lock = threading.Lock()


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


def _key(parts: tuple) -> bytes | None:
    buffer = io.BytesIO()
    try:
        _KeyPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(parts)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None  # e.g. a lambda: built every time, still correct
    return hashlib.blake2b(buffer.getvalue(), digest_size=20).digest()


def kept(parts: tuple, build: Callable[[], T]) -> T:
    """`build()`, kept under `parts`: everything the value depends on (a builder as a
    module-level function, its inputs, the language when it translates)."""
    key = _key(parts)
    if key is not None:
        with _lock:
            if key in _values:
                _values.move_to_end(key)
                return _values[key]
    value = build()
    if key is not None:
        with _lock:
            _values[key] = value
            while len(_values) > MAX_ENTRIES:
                _values.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _values.clear()
