"""docs/architecture.md stays true: every path and dotted name it quotes exists, and its
tables of floors say what the source imports."""

import importlib
import re
from pathlib import Path

from tests.test_boundaries import GROUND, import_graph, project_packages

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "architecture.md").read_text()
SPANS = re.findall(r"`([^`]+)`", DOC)


def test_every_path_it_names_exists():
    paths = [s for s in SPANS if "/" in s]
    assert len(paths) > 20
    assert [p for p in paths if not (ROOT / p).exists()] == []


def test_every_dotted_name_it_names_exists():
    packages = set(project_packages())
    missing = []
    for span in SPANS:
        name = span.removesuffix("()")
        if "/" in name or "." not in name or name.split(".")[0] not in packages:
            continue
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                target = importlib.import_module(".".join(parts[:cut]))
                break
            except ImportError:
                continue
        for attribute in parts[cut:]:
            target = getattr(target, attribute, None)
        if target is None:
            missing.append(span)
    assert missing == []


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
