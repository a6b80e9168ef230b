"""The analytical path, measured: the SPEC KPIs computed by DuckDB instead of the
service database, over the database read in place (DuckDB's SQLite or PostgreSQL
scanner, read-only) or over a columnar copy (Parquet files of the seven tables the
KPIs read, written by `export`).

Two ways are measured. `connect` runs the floor's statements (`bench/floor.py`, its
PostgreSQL flavour, which DuckDB reads). `library_engine` runs `lib.kpi` itself: a
SQLAlchemy engine of the `duckdb-engine` package (a PostgreSQL-derived dialect, so
`lib.kpi.sql` compiles its PostgreSQL templates) over the Parquet copy, with the one
construct DuckDB lacks (`to_char`, for `month_of`) given here: the path a product
would ship, the same code and figures as on the service database.
Extensions are loaded from the PyPI packages `duckdb-extension-sqlite-scanner` and
`duckdb-extension-postgres-scanner`: nothing is downloaded.
"""
from __future__ import annotations

import re
import time
from collections import namedtuple
from pathlib import Path

TABLES = ("cities", "communities", "members", "appliances", "engineers", "service_orders",
          "ratings")


class _Dialect:
    name = "duckdb"


class DuckBind:
    """What bench.floor needs of a bind: `dialect.name` and `run(sql, params)`."""
    dialect = _Dialect()

    def __init__(self, connection):
        self.connection = connection

    def run(self, sql: str, params: dict):
        sql = re.sub(r"(?<![:\w]):(\w+)", r"$\1", sql)
        used = set(re.findall(r"\$(\w+)", sql))
        cursor = self.connection.execute(sql, {k: v for k, v in params.items() if k in used})
        row = namedtuple("Row", [d[0] for d in cursor.description], rename=True)
        return [row(*values) for values in cursor.fetchall()]


def _extension(name: str) -> str:
    import importlib
    package = importlib.import_module(f"duckdb_extension_{name}")
    found = sorted(Path(package.__file__).parent.glob(f"extensions/*/{name}.duckdb_extension"))
    if not found:
        raise FileNotFoundError(f"{name}.duckdb_extension in {package.__file__}")
    return str(found[-1])


def connect(url: str, *, parquet_dir: Path | None = None):
    """A DuckBind over the service database at `url` (read-only), or over the Parquet
    copy in `parquet_dir`."""
    import duckdb
    con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False, "threads": 2})
    if parquet_dir is not None:
        for table in TABLES:
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM "
                        f"read_parquet('{parquet_dir / (table + '.parquet')}')")
        return DuckBind(con)
    if url.startswith("sqlite"):
        con.execute(f"LOAD '{_extension('sqlite_scanner')}'")
        path = url.split("///", 1)[1]
        con.execute(f"ATTACH '{path}' AS service (TYPE sqlite, READ_ONLY)")
    else:
        from sqlalchemy.engine import make_url
        con.execute(f"LOAD '{_extension('postgres_scanner')}'")
        u = make_url(url)
        dsn = f"dbname={u.database} host={u.host or 'localhost'} port={u.port or 5432} " \
              f"user={u.username or 'postgres'}" + (f" password={u.password}" if u.password else "")
        con.execute(f"ATTACH '{dsn}' AS service (TYPE postgres, READ_ONLY)")
    con.execute("USE service")
    return DuckBind(con)


def _duckdb_month_of() -> None:
    from sqlalchemy.ext.compiler import compiles

    from lib.kpi.sql import month_of

    @compiles(month_of, "duckdb")
    def _month_of(element, compiler, **kw):   # PostgreSQL's to_char: DuckDB has strftime
        return "strftime({}, '%Y-%m')".format(*(compiler.process(a, **kw) for a in element.clauses))


def library_engine(parquet_dir: Path):
    """A SQLAlchemy engine on which `lib.kpi` reads the Parquet copy in `parquet_dir`."""
    from sqlalchemy import create_engine, event
    _duckdb_month_of()
    engine = create_engine("duckdb:///:memory:", connect_args={"config": {
        "threads": 2, "autoinstall_known_extensions": False, "autoload_known_extensions": False}})

    @event.listens_for(engine, "connect")
    def _tables(dbapi_connection, _record):
        for table in TABLES:
            dbapi_connection.execute(f"CREATE VIEW {table} AS SELECT * FROM "
                                     f"read_parquet('{parquet_dir / (table + '.parquet')}')")
    return engine


def export(url: str, directory: Path) -> dict:
    """Write the seven tables to Parquet (the refresh a schedule would run): seconds, MB."""
    directory.mkdir(parents=True, exist_ok=True)
    started, cpu = time.perf_counter(), time.process_time()
    bind = connect(url)
    for table in TABLES:
        target = directory / f"{table}.parquet"
        bind.connection.execute(f"COPY (SELECT * FROM {table}) TO '{target}' (FORMAT parquet)")
    bind.connection.close()
    size = sum(p.stat().st_size for p in directory.glob("*.parquet")) / 2**20
    return {"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu,
            "mb": round(size, 1)}
