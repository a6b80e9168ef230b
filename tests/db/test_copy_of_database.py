"""The suite's copy of a live SQLite database (tests.conftest.copy_of_database) leaves the
copying process's locks alone: another process that closes its last connection afterwards
must not take itself for the last user and delete the WAL under our open connection (what
a plain file copy caused: the shared demo went "disk I/O error" and "malformed")."""
import subprocess
import sys

from sqlalchemy import text

from lib.db import make_engine
from tests.conftest import copy_of_database


def test_a_copy_keeps_this_process_a_user_of_the_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.db'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))
    held = engine.connect()           # an open connection, as the suite's shared engine has
    held.execute(text("SELECT count(*) FROM t")).scalar()
    (tmp_path / "copy").mkdir()
    copied = copy_of_database(url, tmp_path / "copy")
    other = (f"import sqlite3; c = sqlite3.connect({str(tmp_path / 'live.db')!r}); "
             "c.execute('INSERT INTO t VALUES (2)'); c.commit(); c.close()")
    subprocess.run([sys.executable, "-c", other], check=True)
    assert (tmp_path / "live.db-wal").exists(), "another process deleted the WAL under an open connection"
    assert held.execute(text("SELECT count(*) FROM t")).scalar() == 2
    held.close()
    engine.dispose()
    copy = make_engine(copied)
    with copy.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM t")).scalar() == 1
    copy.dispose()
