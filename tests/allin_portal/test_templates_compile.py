"""Every template of the portal compiles (a syntax error, or a merge's conflict markers,
in a page no test renders would otherwise only show in production)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template

TEMPLATES = Path(settings.BASE_DIR) / "templates"
NAMES = sorted(
    str(path.relative_to(TEMPLATES))
    for path in TEMPLATES.rglob("*")
    if path.suffix in (".html", ".txt", ".xml", ".ics") and path.is_file()
)


def test_the_portal_has_its_templates():
    assert len(NAMES) > 100
    assert "events/guest_manage.html" in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_template_compiles(name):
    source = (TEMPLATES / name).read_text()
    assert "<<<<<<<" not in source and ">>>>>>>" not in source
    get_template(name)
