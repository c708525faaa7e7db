"""docs/architecture.md's tables of floors say what the source imports (that every path,
module and URL it quotes exists is checked for every page by tests/test_docs.py)."""

import re
from pathlib import Path

from tests.test_boundaries import GROUND, import_graph, project_packages

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "architecture.md").read_text()


def floor_rows():
    """{package: set of names in the row's last column} of the floors' tables."""
    rows = {}
    for line in DOC.splitlines():
        match = re.match(r"\| `(\w+)/` \|.*\| ([^|]+) \|$", line)
        if match:
            last = match.group(2).strip()
            rows[match.group(1)] = (
                set() if last.startswith("nothing") else {n.strip(" `") for n in last.split(",")}
            )
    return rows


def test_every_package_is_on_a_floor():
    assert set(floor_rows()) | {"allin_portal"} == set(project_packages())


def test_the_tables_say_what_each_app_imports():
    graph = import_graph()
    for package, names in floor_rows().items():
        if package == "allin_portal":
            continue
        if package in GROUND:
            assert graph[package] <= names, package  # what it may import
        else:
            assert graph[package] == names, package
