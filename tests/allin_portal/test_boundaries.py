"""Dependencies run one way: events may import members; members imports no events code;
shared helpers import no app; the groups' data migration runs its own frozen code."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def offending(paths, forbidden):
    return sorted(
        f"{path.relative_to(ROOT)}: {module}"
        for path in paths
        for module in imported_modules(path)
        if module.split(".")[0] in forbidden or module in forbidden
    )


def test_members_does_not_import_events():
    assert offending((ROOT / "members").rglob("*.py"), {"events"}) == []


@pytest.mark.parametrize("name", ["access", "datacache", "emails", "slugs"])
def test_shared_helpers_import_no_app(name):
    helper = ROOT / "allin_portal" / f"{name}.py"
    assert offending([helper], {"members", "events", "resources"}) == []


def test_group_migration_runs_its_own_frozen_copy():
    migration = ROOT / "members" / "migrations" / "0002_groups.py"
    assert offending([migration], {"members", "events", "resources"}) == []
