"""Business-analysis fixtures: the calling module's hand-worked rows, once per backend.

A module defines `build(make) -> dict` (ids of what it made, `make` a
`lib.demo.factory.Factory`); `biz_db` gives `(engine, ids)` for it on SQLite,
PostgreSQL and MariaDB in turn. Tests only read, so sharing is safe.
"""
from __future__ import annotations

import pytest

from lib.db.provision import BACKENDS
from lib.demo.factory import Factory
from tests.conftest import fresh_engine


@pytest.fixture(scope="module", params=BACKENDS)
def biz_db(request, tmp_path_factory):
    """(engine, ids): the calling module's `build` rows on each backend."""
    with fresh_engine(request.param, tmp_path_factory.mktemp("biz")) as engine:
        with engine.begin() as connection:
            ids = request.module.build(Factory(connection))
        yield engine, ids
