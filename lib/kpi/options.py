"""The choices the KPI filters offer: cities and brands, by id.

Small reference tables; the pages cache the result. Names only (no personal
data), with city coordinates so a map can mark where each city is.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from lib.db import schema as s
from lib.kpi.common import Bind, connect


def city_options(bind: Bind) -> pd.DataFrame:
    """Columns id, name, lat, lon, sla_24h_since; one row per city, by id."""
    c = s.cities
    query = select(c.c.id, c.c.name, c.c.lat, c.c.lon, c.c.sla_24h_since).order_by(c.c.id)
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["id", "name", "lat", "lon", "sla_24h_since"])


def brand_options(bind: Bind) -> pd.DataFrame:
    """Columns id, name, is_partner; one row per brand, by id."""
    b = s.brands
    query = select(b.c.id, b.c.name, b.c.is_partner).order_by(b.c.id)
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    return pd.DataFrame([(r.id, r.name, bool(r.is_partner)) for r in rows],
                        columns=["id", "name", "is_partner"])
