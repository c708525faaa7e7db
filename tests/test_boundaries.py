"""The floors (docs/architecture.md): the ground floor serves, the upper floors use.

- Every module of a ground-floor package (core, imports, mail: found by walking their
  folders, migrations and template tags included) imports nothing of the project above it.
- No two apps import each other, directly or around a loop (the import graph of the
  project's packages, built from the source, has no cycle).
- members imports no events code; the groups' data migration runs its own frozen code.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Each ground-floor package and what of the project it may import: itself and what is below.
GROUND = {"core": {"core"}, "imports": {"core", "imports"}, "mail": {"core", "mail"}}


def project_packages():
    """Every top-level package of the project (a folder with __init__.py), tests aside."""
    return sorted(
        p.name
        for p in ROOT.iterdir()
        if (p / "__init__.py").is_file() and p.name not in ("tests", "node_modules")
    )


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


def modules_of(package):
    return sorted((ROOT / package).rglob("*.py"))


def import_graph():
    """{package: {packages of the project it imports}}, from every module's source."""
    packages = set(project_packages())
    graph = {}
    for package in packages:
        graph[package] = {
            module.split(".")[0]
            for path in modules_of(package)
            for module in imported_modules(path)
            if module.split(".")[0] in packages and module.split(".")[0] != package
        }
    return graph


def cycles(graph):
    """The strongly connected components of more than one package (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_ground_floor_packages_exist_and_have_modules():
    for package in GROUND:
        assert len(modules_of(package)) > 1, package


@pytest.mark.parametrize("package", sorted(GROUND))
def test_ground_floor_modules_import_nothing_above_them(package):
    above = set(project_packages()) - GROUND[package]
    assert above, "the walk found no upper app"
    assert offending(modules_of(package), above) == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "helper.py"
    module.write_text("def f():\n    from events.models import Event\n    return Event\n")
    assert list(imported_modules(module)) == ["events.models"]


def test_no_import_cycle_between_apps():
    assert cycles(import_graph()) == []


def test_the_cycle_check_finds_a_loop():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_members_does_not_import_events():
    assert offending((ROOT / "members").rglob("*.py"), {"events"}) == []


def test_group_migration_runs_its_own_frozen_copy():
    migration = ROOT / "members" / "migrations" / "0002_groups.py"
    assert offending([migration], {"members", "events", "resources"}) == []
