"""Make sure a PostgreSQL database exists and print its URL (used by the Makefile).

In order: DATABASE_URL when set; else the server on 127.0.0.1:5432 when one
answers; else a private cluster under ./var/postgres, created with initdb and
started with pg_ctl (as the postgres user when run as root, since PostgreSQL
refuses to run as root). The database is created when missing.

    python -m allin_portal.devdb [database-name]
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

BASE_DIR = Path(__file__).resolve().parent.parent
CLUSTER_DIR = BASE_DIR / "var" / "postgres"
PRIVATE_PORT = 5439


def log(message):
    print(message, file=sys.stderr)


def answers(url):
    try:
        psycopg2.connect(with_database(url, "postgres"), connect_timeout=3).close()
        return True
    except psycopg2.OperationalError:
        return False


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def ensure_database(url):
    name = urlsplit(url).path.lstrip("/")
    connection = psycopg2.connect(with_database(url, "postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log(f"Created database {name}")
    connection.close()


def pg_bin(program):
    bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True)
    return str(Path(bindir.stdout.strip()) / program)


def as_postgres(command):
    """PostgreSQL's server tools refuse to run as root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def start_private_cluster(cluster_dir=CLUSTER_DIR, port=PRIVATE_PORT):
    data_dir = cluster_dir / "data"
    cluster_dir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(cluster_dir, "postgres", "postgres")
        reachable = subprocess.run(as_postgres(["test", "-w", str(cluster_dir)])).returncode == 0
        if not reachable:
            raise SystemExit(
                f"The postgres user cannot reach {cluster_dir} (a parent folder is private). "
                "Clone the project elsewhere (e.g. under /srv or /tmp) or set DATABASE_URL."
            )
    if not (data_dir / "PG_VERSION").exists():
        log(f"Creating a private PostgreSQL cluster in {data_dir}")
        subprocess.run(
            as_postgres([pg_bin("initdb"), "-D", str(data_dir), "-U", "postgres", "-A", "trust"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    pg_ctl = [pg_bin("pg_ctl"), "-D", str(data_dir)]
    if subprocess.run(as_postgres([*pg_ctl, "status"]), capture_output=True).returncode != 0:
        log(f"Starting it on 127.0.0.1:{port}")
        options = f"-p {port} -k {cluster_dir} -c listen_addresses=127.0.0.1"
        log_file = str(cluster_dir / "server.log")
        subprocess.run(
            as_postgres([*pg_ctl, "-o", options, "-l", log_file, "-w", "start"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return f"postgres://postgres@127.0.0.1:{port}"


def stop_private_cluster(cluster_dir=CLUSTER_DIR):
    command = [pg_bin("pg_ctl"), "-D", str(cluster_dir / "data"), "-m", "fast", "stop"]
    subprocess.run(as_postgres(command), check=True, stdout=subprocess.DEVNULL)


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else "allin"
    url = os.environ.get("DATABASE_URL")
    if not url:
        server = "postgres://postgres@127.0.0.1:5432"
        if not answers(server):
            server = start_private_cluster()
            for _ in range(30):
                if answers(server):
                    break
                time.sleep(0.5)
        url = f"{server}/{name}"
    ensure_database(url)
    print(url)


if __name__ == "__main__":
    main()
