"""One way of doing each thing (issue 20, item 5), checked from the source of every app:

- a CSV download is built by `core.spreadsheets.csv_download` (streamed, formula-safe);
- a wrong method is answered by Django's `require_http_methods` family, never by hand;
- a group is named through `members.roles` (its constants), never by a string literal;
- an account is found by its address through `User.objects.with_email(s)`.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP = {"tests", "node_modules", ".venv", "migrations"}
GROUP_NAMES = {"Members", "Researchers", "Event staff", "Network admins"}


def sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts)
        if not parts & SKIP:
            yield path


def strings(path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def offenders(check, allowed=()):
    return sorted(
        str(path.relative_to(ROOT))
        for path in sources()
        if str(path.relative_to(ROOT)) not in allowed and any(check(s) for s in strings(path))
    )


def test_one_csv_response_builder():
    assert not offenders(lambda s: s.startswith("text/csv"), allowed={"core/spreadsheets.py"})


def test_no_405_answered_by_hand():
    bad = []
    for path in sources():
        text = path.read_text()
        if "status=405" in text or "HttpResponseNotAllowed" in text:
            bad.append(str(path.relative_to(ROOT)))
    assert not bad


def test_group_names_only_in_roles():
    # A group named in code (a dict key, a filter, a demo account) comes from members.roles;
    # translated labels such as _("Members") are words on a page, not group names.
    bad = []
    for path in sources():
        if path.relative_to(ROOT).as_posix() == "members/roles.py":
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        translated = {
            id(arg)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) in ("_", "gettext_lazy")
            for arg in node.args
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in GROUP_NAMES:
                if id(node) not in translated:
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bad


@pytest.mark.parametrize("pattern", ['annotate(email_lower=Lower("email"))'])
def test_accounts_are_found_by_address_one_way(pattern):
    """User rows by address go through with_email / with_emails (members/models.py)."""
    bad = [
        str(path.relative_to(ROOT))
        for path in sources()
        if path.relative_to(ROOT).as_posix() != "members/models.py"
        and f"User.objects.{pattern}" in path.read_text()
    ]
    assert not bad
