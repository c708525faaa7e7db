"""Load benchmark (`make bench`; not part of the test suite).

Seeds the big demo data into its own database, starts gunicorn as in
production and measures each page with wrk next to a trivial view measured in
the same run. Writes the table to docs/benchmarks.md.

Expects DATABASE_URL (the bench database) and SECRET_KEY in the environment.
"""

import datetime
import os
import platform
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8099"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
DURATION = os.environ.get("BENCH_DURATION", "15s")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
ORIGIN = f"http://127.0.0.1:{PORT}"

# (label, path, target ratio to the trivial view or None, signed in as a member?)
# Visitors share cached pages (allin_portal/caching.py); signed-in members never do,
# so their rows show what a page costs when it is really rendered.
PAGES = [
    ("trivial view (/robots.txt)", "/robots.txt", None, False),
    ("home", "/", None, False),
    ("member directory", "/members/", 0.40, False),
    ("member search", "/members/?q=mensah&country=GH", None, False),
    (
        "resource search with facets",
        "/resources/?q=leadership&type=report&pathway=research",
        0.25,
        False,
    ),
    ("event page", "/events/paris-2019/", None, False),
    ("member directory, signed in", "/members/", None, True),
    ("member search, signed in", "/members/?q=mensah&country=GH", None, True),
    (
        "resource search with facets, signed in",
        "/resources/?q=leadership&type=report&pathway=research",
        None,
        True,
    ),
    ("event page, signed in", "/events/paris-2019/", None, True),
]
# A session of an approved demo member, made with Django's own session store.
MEMBER_SESSION = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from members.models import Member
user = Member.objects.approved().filter(slug__startswith="demo-").first().user
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "members.backends.PermissionsInOneQueryBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""
STRESS = [("/members/", "member directory"), ("/resources/?q=leadership", "resource search")]


def manage(*args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, check=True)


def member_cookie():
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", MEMBER_SESSION],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return f"sessionid={result.stdout.split()[-1]}"  # after the shell's own chatter


def wrk(path, connections, duration, cookie=None):
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}", "--latency", *headers, ORIGIN + path],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout

    def latency(percent):
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "none",
    }


def wait_until_up():
    for _ in range(60):
        try:
            with urllib.request.urlopen(ORIGIN + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def machine():
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
    cpu = models[0] if models else platform.processor()
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} cores ({cpu}), {system}, Python {platform.python_version()}"


def main():
    os.environ.setdefault("HTTPS", "false")
    os.environ.setdefault("DEBUG", "false")
    manage("migrate", "--noinput", "--verbosity", "0")
    manage("load_network_history")
    manage("seed_demo", "--members", "10000", "--resources", "50000", "--events", "200")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    cookie = member_cookie()
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "allin_portal.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
    )
    try:
        wait_until_up()
        for _label, path, _target, signed_in in PAGES:  # warm caches and connections
            wrk(path, CONNECTIONS, "2s", cookie if signed_in else None)
        rows = [
            (label, path, target, wrk(path, CONNECTIONS, DURATION, cookie if signed_in else None))
            for label, path, target, signed_in in PAGES
        ]
        stress = [(label, path, wrk(path, 64, "30s")) for path, label in STRESS]
    finally:
        server.terminate()
        server.wait()

    trivial = rows[0][3]["rps"]
    lines = [
        "# Benchmarks",
        "",
        f"Run by `make bench` on {datetime.date.today().isoformat()}: {machine()}.",
        f"gunicorn {WORKERS} sync workers, WhiteNoise, PostgreSQL; data from `seed_demo "
        "--members 10000 --resources 50000 --events 200` plus the network history.",
        f"wrk, 2 threads, {CONNECTIONS} connections, {DURATION} per page after a 2 s warm-up, "
        "on the same machine. Ratio = the page's requests per second / the trivial view's, "
        "same run. Visitors' pages come from each worker's page cache (up to 60 s old); "
        "signed-in members always get a freshly rendered page.",
        "",
        "| page | path | req/s | p50 ms | p99 ms | non-2xx | ratio | target |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, path, target, r in rows:
        ratio = r["rps"] / trivial
        verdict = "" if target is None else f"{target:.2f} {'met' if ratio >= target else 'MISSED'}"
        lines.append(
            f"| {label} | `{path}` | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{r['non_2xx']} | {ratio:.2f} | {verdict} |"
        )
    lines += [
        "",
        "## 64 connections for 30 s",
        "",
        "| page | path | req/s | p99 ms | non-2xx | socket errors |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for label, path, r in stress:
        lines.append(
            f"| {label} | `{path}` | {r['rps']:.0f} | {r['p99']:.1f} | {r['non_2xx']} | "
            f"{r['socket_errors']} |"
        )
    report = "\n".join(lines) + "\n"
    (BASE_DIR / "docs" / "benchmarks.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
