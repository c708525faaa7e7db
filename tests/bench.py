"""Load benchmark (`make bench`; not part of the test suite). Writes docs/benchmarks.md.

Seeds the big demo data into its own database, starts gunicorn as in production (with
Redis as the shared cache when one answers at BENCH_REDIS_URL) and measures every page
type with wrk next to a trivial view in the same run. Each wrk run cycles through a
Lua list of paths (thousands of search terms and filter combinations, pages 1 to 50,
200 profiles, events and resources), so cache hits cannot carry the figures; the data
cache's hit rate is reported. Then, in-process: the server time per page type for a
signed-in member (median of 200 requests), the top costs of the slowest page, and the
back office's member list at 10,000 rows.

Expects DATABASE_URL (the bench database) and SECRET_KEY in the environment.
Environment: BENCH_PORT, BENCH_WORKERS, BENCH_DURATION (per page, 8 connections),
BENCH_STRESS_DURATION (64 connections), BENCH_REDIS_URL ("" for the database cache).
"""

import cProfile
import datetime
import importlib
import io
import os
import platform
import pstats
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote_plus

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))
PYTHON = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8650"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
DURATION = os.environ.get("BENCH_DURATION", "15s")
STRESS_DURATION = os.environ.get("BENCH_STRESS_DURATION", "30s")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
ORIGIN = f"http://127.0.0.1:{PORT}"
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "200"))

# Page type -> (target ratio to the trivial view, for signed-in members and visitors).
TARGETS = {
    "home": 0.15,
    "member directory": 0.15,
    "member search with filters": 0.15,
    "resource search with facets": 0.15,
    "event page": 0.25,
    "member profile": 0.25,
    "resource page": 0.25,
}
WORDS = (
    "leadership school principal learning equity evaluation program teachers policy "
    "evidence impact scale community practice system coaching reform ecosystem "
    "instructional improvement context rural urban network data evaluación liderazgo "
    "éducation apprentissage mentoring trust curriculum assessment inclusion wellbeing"
).split()
NAMES = "amina kwame lucia mensah okafor garcia silva nguyen haddad patel smith kofi".split()
COUNTRIES = "GH KE NG ZA QA AE EG IN PK BD GB FR ES US CA MX BR CO CL AU NZ FI SG VN ID".split()
TYPES = ["report", "journal_article", "case_study", "toolkit", "article", "recording"]
ROLES = ["academic", "program_provider", "practitioner", "policymaker", "other"]

SETUP = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from events.models import Event
from members.models import Member
from resources.models import Resource
user = Member.objects.approved().filter(slug__startswith="demo-").first().user
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "members.backends.PermissionsInOneQueryBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(json.dumps({
    "cookie": "sessionid=" + session.session_key,
    "profiles": list(Member.objects.listed_for(user).filter(visibility="public")
        .order_by("?").values_list("slug", flat=True)[:200]),
    "events": list(Event.objects.order_by("?").values_list("slug", flat=True)[:200]),
    "resources": list(Resource.objects.filter(access="public", is_published=True)
        .order_by("?").values_list("slug", flat=True)[:200]),
}))
"""


def paths_by_type(slugs):
    """Path lists per page type: thousands of distinct searches, filters and pages."""
    r = random.Random(9)  # noqa: S311 - repeatable test data
    resource_searches = set()
    while len(resource_searches) < 1500:
        words = r.choice(WORDS) + (f" {r.choice(WORDS)}" if r.random() < 0.4 else "")
        params = [f"q={quote_plus(words)}"]  # percent-encoded: wrk refuses raw UTF-8 in a URL
        if r.random() < 0.6:
            params.append(f"type={r.choice(TYPES)}")
        if r.random() < 0.4:
            params.append(f"country={r.choice(COUNTRIES)}")
        if r.random() < 0.3:
            params.append(f"page={r.randint(2, 50)}")
        resource_searches.add("/resources/?" + "&".join(params))
    member_searches = set()
    while len(member_searches) < 1200:
        params = [f"q={quote_plus(r.choice(NAMES + WORDS))}"]
        if r.random() < 0.7:
            params.append(f"country={r.choice(COUNTRIES)}")
        if r.random() < 0.4:
            params.append(f"role={r.choice(ROLES)}")
        if r.random() < 0.3:
            params.append(f"oecd={r.choice(['yes', 'no'])}")
        member_searches.add("/members/?" + "&".join(params))
    directory = [f"/members/?page={n}" for n in range(1, 51)] + [
        f"/members/?country={c}&page={n}" for c in COUNTRIES for n in range(1, 4)
    ]
    return {
        "home": ["/"],
        "member directory": directory,
        "member search with filters": sorted(member_searches),
        "resource search with facets": sorted(resource_searches),
        "event page": [f"/events/{s}/" for s in slugs["events"]],
        "member profile": [f"/members/{s}/" for s in slugs["profiles"]],
        "resource page": [f"/resources/{s}/" for s in slugs["resources"]],
    }


LUA = """
local paths = {%s}
local i = 0
init = function(args) i = math.random(#paths) end
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def lua_script(paths):
    quoted = ", ".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8")
    handle.write(LUA % quoted)
    handle.close()
    return handle.name


def manage(*args, env=None, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        check=True,
        env=env,
        capture_output=capture,
        text=True,
    )
    return result.stdout


def wrk(paths, connections, duration, cookie=None):
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    script = lua_script(paths)
    try:
        result = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{duration}", "--latency", "-s", script]
            + headers
            + [ORIGIN + "/"],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script)
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
        except urllib.error.HTTPError:
            return  # it answers (503: no task worker or scheduler beside this gunicorn)
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def machine():
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
    cpu = models[0] if models else platform.processor()
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} cores ({cpu}), {system}, Python {platform.python_version()}"


def redis_answers(url):
    if not url:
        return False
    try:
        import redis

        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - no Redis: the database cache is measured
        return False


def cache_stats():
    from django.core.cache import cache

    from core import datacache

    cache.close()
    return datacache.stats()


def load_test(cookie, paths):
    """wrk rows: (label, signed in, result); the 64-connection rows; the hit rate."""
    rows, stress = [], []
    for label, signed_in in [("trivial view (/robots.txt)", False)]:
        rows.append((label, signed_in, wrk(["/robots.txt"], CONNECTIONS, DURATION)))
    for page_paths in paths.values():  # warm connections, templates, first entries
        wrk(page_paths, CONNECTIONS, "2s", cookie)
    hits_before, misses_before = cache_stats()
    for signed_in in (True, False):
        for label, page_paths in paths.items():
            result = wrk(page_paths, CONNECTIONS, DURATION, cookie if signed_in else None)
            rows.append((label, signed_in, result))
    hits, misses = cache_stats()
    hits, misses = hits - hits_before, misses - misses_before
    rows.append(("trivial view, again", False, wrk(["/robots.txt"], CONNECTIONS, DURATION)))
    for signed_in in (True, False):
        for label, page_paths in paths.items():
            result = wrk(page_paths, 64, STRESS_DURATION, cookie if signed_in else None)
            stress.append((label, signed_in, result))
    return rows, stress, (hits, misses)


# Where a page's server time goes: each function's own time, by the part of the stack it
# belongs to (the first matching pattern wins). Built-ins (getattr, isinstance, str.join...)
# count for the part that called them.
COST_PARTS = [
    ("SQL round trips", ("'execute' of 'psycopg", "'fetchall' of 'psycopg", "'fetchmany' of")),
    ("query building (ORM)", ("/django/db/",)),
    ("templates", ("/django/template/", "/django/templatetags/", "/templatetags/")),
    ("URL reversing", ("/django/urls/",)),
    ("translation lookups", ("/django/utils/translation/",)),
    ("the rest (middleware, views, Python)", ("",)),
]
REST = COST_PARTS[-1][0]


def part_of(function):
    filename, _line, name = function
    where = f"{filename}:{name}"
    for part, patterns in COST_PARTS[:-1]:
        if any(pattern in where for pattern in patterns):
            return part
    return None if filename == "~" else REST  # a built-in: its caller's part


def cost_shares(stats):
    """{part: share of the total own time} for a pstats.Stats."""
    shares = dict.fromkeys((name for name, _ in COST_PARTS), 0.0)
    for function, (_cc, _nc, tottime, _ct, callers) in stats.stats.items():
        part = part_of(function)
        if part is not None:
            shares[part] += tottime
            continue
        for caller, (_ccc, _cnc, caller_tt, _cct) in callers.items():
            shares[part_of(caller) or REST] += caller_tt
    total = sum(shares.values()) or 1
    return {name: value / total for name, value in shares.items()}


def in_process(paths):
    """Median server time per page type for a signed-in member with where it goes, and the
    back office's member list."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allin_portal.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from members.models import Member, User

    member = Member.objects.approved().filter(slug__startswith="demo-").first().user
    client = Client()
    client.force_login(member)
    timings, queries, costs = {}, {}, {}
    for label, page_paths in paths.items():
        spread = [page_paths[n % len(page_paths)] for n in range(SAMPLES)]
        random.Random(3).shuffle(spread)  # noqa: S311
        times = []
        for path in spread:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            queries[label] = max(queries.get(label, 0), len(captured))
        timings[label] = statistics.median(times)
        profiler = cProfile.Profile()
        profiler.enable()
        for path in spread[: max(SAMPLES // 4, 10)]:
            client.get(path)
        profiler.disable()
        costs[label] = cost_shares(pstats.Stats(profiler, stream=io.StringIO()))
    slowest = max(timings, key=timings.get)

    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        email="bench-admin@example.org", password=None
    )
    client.force_login(admin)
    url = "/admin/members/member/?q=demo&status__exact=approved&oecd__exact=0"
    admin_times, admin_queries = [], 0
    for _ in range(30):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            admin_times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        admin_queries = max(admin_queries, len(captured))
    rows = Member.objects.count()
    return (
        timings,
        queries,
        slowest,
        costs,
        (url, rows, statistics.median(admin_times), admin_queries),
    )


def other_reports():
    """Lines from other parts' benchmarks (imports, mail, OAI harvest), when their modules exist."""
    lines = []
    for name in ("tests.bench_imports", "tests.bench_mail", "tests.bench_oai"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        lines += ["", *module.report()]
    return lines


def stress_verdict(result):
    """Met only with every request answered in time: wrk leaves timed-out requests out of its
    latency figures (a run of timeouts showed p99 0 ms)."""
    clean = result["non_2xx"] == 0 and result["socket_errors"] == "none"
    return "met" if clean and 0 < result["p99"] <= 150 else "MISSED"


def verdict(ratio, target):
    return f"{target:.2f} {'met' if ratio >= target else 'MISSED'}"


def main():
    os.environ.setdefault("HTTPS", "false")
    # Before Django reads its settings (main sets them up for the load test already): the
    # in-process part's test client calls itself "testserver".
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ.setdefault("DEBUG", "false")
    load_before = os.getloadavg()
    use_redis = redis_answers(REDIS_URL)
    if use_redis:  # entries of another database using the same Redis must not count
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
    os.environ["REDIS_URL"] = REDIS_URL if use_redis else ""
    manage("migrate", "--noinput", "--verbosity", "0")
    manage("load_network_history")
    manage("seed_demo", "--members", "10000", "--resources", "50000", "--events", "200")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    import json

    slugs = json.loads(manage("shell", "-c", SETUP, capture=True).strip().splitlines()[-1])
    cookie = slugs["cookie"]
    paths = paths_by_type(slugs)
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
        env={**os.environ, "DATACACHE_STATS": "true"},
    )
    try:
        wait_until_up()
        os.environ["DJANGO_SETTINGS_MODULE"] = "allin_portal.settings"
        import django

        django.setup()
        rows, stress, (hits, misses) = load_test(cookie, paths)
    finally:
        server.terminate()
        server.wait()
    timings, queries, slowest, costs, admin = in_process(paths)

    load_after = os.getloadavg()
    trivial = statistics.mean([rows[0][2]["rps"], rows[-1][2]["rps"]])
    cache_name = "Redis" if use_redis else "the database cache"
    distinct = sum(len(p) for p in paths.values())
    lines = [
        "# Benchmarks",
        "",
        f"Run by `make bench` on {datetime.date.today().isoformat()}: {machine()}.",
        f"gunicorn {WORKERS} sync workers, WhiteNoise, PostgreSQL, {cache_name} as the shared "
        "data cache; data from `seed_demo --members 10000 --resources 50000 --events 200` plus "
        "the network history. No page is cached: every request renders the page; only counts, "
        "facets and totals come from the shared data cache (versioned, bumped on commit).",
        f"wrk, 2 threads, {CONNECTIONS} connections, {DURATION} per page type after a 2 s warm-up, "
        f"on the same machine. Each run cycles through a list of paths ({distinct} distinct in "
        "all: 1,500 library searches and 1,200 member searches with filters, directory pages "
        "1 to 50, 200 profiles, events and resources). Ratio = req/s / the trivial view's "
        "(mean of a run before and after), same run.",
        "",
        f"Load average (1, 5, 15 min) at the start {load_before[0]:.1f}, {load_before[1]:.1f}, "
        f"{load_before[2]:.1f} and at the end {load_after[0]:.1f}, {load_after[1]:.1f}, "
        f"{load_after[2]:.1f}, on {os.cpu_count()} cores: above about 1 the machine was shared "
        "with other work during the run and every figure is low and noisy.",
        "",
        f"Data cache during the 8-connection runs: {hits} hits, {misses} misses, hit rate "
        f"{100 * hits / max(hits + misses, 1):.0f} %.",
        "",
        "| page type | who | paths | req/s | p50 ms | p99 ms | non-2xx | ratio | target |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, signed_in, r in rows:
        who = "member" if signed_in else "visitor"
        target = TARGETS.get(label)
        ratio = r["rps"] / trivial
        count = len(paths.get(label, [1]))
        lines.append(
            f"| {label} | {who} | {count} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{r['non_2xx']} | {ratio:.2f} | {verdict(ratio, target) if target else ''} |"
        )
    lines += [
        "",
        f"## 64 connections for {STRESS_DURATION}",
        "",
        "| page type | who | req/s | p99 ms | non-2xx | socket errors | p99 ≤ 150 ms |",
        "| --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    for label, signed_in, r in stress:
        who = "member" if signed_in else "visitor"
        lines.append(
            f"| {label} | {who} | {r['rps']:.0f} | {r['p99']:.1f} | {r['non_2xx']} | "
            f"{r['socket_errors']} | {stress_verdict(r)} |"
        )
    lines += [
        "",
        f"## Server time per page, signed-in member, in-process (median of {SAMPLES})",
        "",
        "Where the time goes (cProfile, each function's own time by part of the stack, over "
        "a quarter of the same requests; the profiler slows Python more than SQL, so read the "
        "shares, not the milliseconds):",
        "",
        "| page type | median ms | most SQL queries | "
        + " | ".join(name for name, _ in COST_PARTS)
        + " |",
        "| --- | ---: | ---: | " + " | ".join("---:" for _ in COST_PARTS) + " |",
    ]
    for label, ms in timings.items():
        shares = " | ".join(f"{costs[label][name]:.0%}" for name, _ in COST_PARTS)
        lines.append(f"| {label} | {ms:.1f} | {queries[label]} | {shares} |")
    top = sorted(costs[slowest].items(), key=lambda item: item[1], reverse=True)[:3]
    lines += [
        "",
        f"Slowest: {slowest}. Its top three costs: "
        + "; ".join(f"{name} {share:.0%}" for name, share in top)
        + ".",
    ]
    url, count, median, admin_queries = admin
    lines += [
        "",
        "## Back office",
        "",
        f"Member list at {count:,} members, search and two filters (`{url}`): median "
        f"{median:.0f} ms of 30 ({'met' if median <= 150 else 'MISSED'}: ≤ 150 ms), "
        f"{admin_queries} SQL queries ({'met' if admin_queries <= 15 else 'MISSED'}: ≤ 15).",
    ]
    lines += other_reports()
    notes = BASE_DIR / "docs" / "benchmark-notes.md"  # the analysis, kept across runs
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    report = "\n".join(lines) + "\n"
    (BASE_DIR / "docs" / "benchmarks.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
