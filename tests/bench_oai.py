"""A real OAI-PMH client harvests the whole public library over HTTP (`report()`, for
`make bench`): on the benchmark database's 50,000 resources, page after page of resumption
tokens, every public record exactly once. (The test suite harvests a few pages,
tests/evidence/test_oai.py.)

Runs against the database DATABASE_URL names, through gunicorn on a free port:

    DATABASE_URL=... SECRET_KEY=... .venv/bin/python tests/bench_oai.py
"""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]


def _setup():
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allin_portal.settings")
    os.environ.setdefault("HTTPS", "false")
    import django

    django.setup()


def _serve(port):
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "allin_portal.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env={**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "HTTPS": "false"},
    )
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):  # noqa: S310
                return server
        except OSError:
            time.sleep(0.25)
    server.terminate()
    raise RuntimeError(f"gunicorn on port {port} did not start")


def harvest(base_url):
    """Identifiers of every record a ListRecords harvest returns, and the seconds it took."""
    from oaipmh_scythe import Scythe

    started = time.perf_counter()
    with Scythe(base_url) as scythe:
        seen = [r.header.identifier for r in scythe.list_records(metadata_prefix="oai_dc")]
    return seen, time.perf_counter() - started


def report():
    """Markdown lines: how long a full harvest of the public library takes."""
    _setup()
    from django.contrib.auth.models import AnonymousUser
    from django.urls import reverse

    from evidence import oai
    from resources.models import Resource
    from tests.helpers import free_port

    public = Resource.objects.visible_to(AnonymousUser()).count()
    port = free_port()
    server = _serve(port)
    try:
        seen, seconds = harvest(f"http://127.0.0.1:{port}{reverse('evidence:oai')}")
    finally:
        server.terminate()
        server.wait()
    complete = len(seen) == len(set(seen)) == public
    return [
        "## OAI-PMH harvest",
        "",
        "A real client (oaipmh-scythe) harvests every public record over HTTP, "
        f"{oai.PAGE_SIZE} per page, following the resumption tokens (gunicorn, 2 workers).",
        "",
        "| public records | harvested | pages | seconds | records/s | complete |",
        "| ---: | ---: | ---: | ---: | ---: | --- |",
        f"| {public:,} | {len(seen):,} | {-(-len(seen) // oai.PAGE_SIZE)} | {seconds:.1f} | "
        f"{len(seen) / seconds:,.0f} | {'yes' if complete else 'NO: records missing or twice'} |",
    ]


if __name__ == "__main__":
    print("\n".join(report()))
