"""Where no PostgreSQL server answers, `make run`/`make test` start a private one."""

import shutil
import tempfile
from pathlib import Path

import psycopg2

from allin_portal import devdb
from tests.helpers import free_port


def test_private_cluster_is_created_started_and_given_the_database():
    # A folder the postgres user can reach (pytest's tmp_path is private to root).
    cluster_dir = Path(tempfile.mkdtemp(prefix="allin-devdb-", dir="/var/tmp"))
    cluster_dir.chmod(0o755)
    try:
        server = devdb.start_private_cluster(cluster_dir, port=free_port())
        devdb.ensure_database(f"{server}/allin_private")
        devdb.ensure_database(f"{server}/allin_private")  # a second time changes nothing
        with psycopg2.connect(f"{server}/allin_private") as connection:
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_database()")
                assert cursor.fetchone() == ("allin_private",)
        connection.close()
    finally:
        devdb.stop_private_cluster(cluster_dir)
        shutil.rmtree(cluster_dir, ignore_errors=True)
