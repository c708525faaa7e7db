"""The shipped deploy/ files stay true of the code: the environment template names every
variable the settings module reads, and the service units run commands that exist."""

import getpass
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

BASE_DIR = Path(__file__).resolve().parents[2]
DEPLOY = BASE_DIR / "deploy"
# os.environ.get("X"...), os.environ["X"], env_bool("X"...), env_int(...), env_list(...)
READ = re.compile(
    r"""(?:os\.environ(?:\.get)?\s*[\(\[]|env_(?:bool|int|list)\()\s*["']([A-Z0-9_]+)["']"""
)


def variables_read_by_settings():
    return set(READ.findall((BASE_DIR / "allin_portal" / "settings.py").read_text()))


def variables_in_template():
    lines = (DEPLOY / "allin.env.example").read_text().splitlines()
    return {m.group(1) for line in lines if (m := re.match(r"#?([A-Z0-9_]+)=", line))}


def test_the_environment_template_names_every_setting():
    read = variables_read_by_settings()
    assert {"SECRET_KEY", "DATABASE_URL", "S3_BUCKET", "S3_ENDPOINT_URL", "MEDIA_URL"} <= read
    assert read - variables_in_template() == set()


def test_the_pattern_finds_each_way_of_reading(tmp_path):
    source = 'A = os.environ.get("ONE")\nB = env_int("TWO", 3)\nC = os.environ["THREE"]\n'
    assert set(READ.findall(source)) == {"ONE", "TWO", "THREE"}


@pytest.mark.parametrize("unit", sorted(p.name for p in (DEPLOY / "systemd").glob("*.service")))
def test_each_service_unit_reads_the_environment_file_and_runs_a_portal_command(unit):
    text = (DEPLOY / "systemd" / unit).read_text()
    assert "EnvironmentFile=/etc/allin/allin.env" in text
    (command,) = re.findall(r"^ExecStart=(.+)$", text, re.M)
    program, *args = command.split()
    assert program.startswith("/srv/allin/.venv/bin/")
    if Path(program).name == "python":
        assert args[0] == "manage.py" and args[1] in get_commands()
    if shutil.which("systemd-analyze"):
        result = subprocess.run(
            ["systemd-analyze", "verify", str(DEPLOY / "systemd" / unit)],
            capture_output=True, text=True,
        )  # fmt: skip
        # The only complaint allowed here: /srv/allin does not exist on this machine.
        problems = [
            line for line in result.stderr.splitlines()
            if line.strip() and "/srv/allin/.venv/bin/" not in line
        ]  # fmt: skip
        assert problems == []


def test_allin_manage_runs_a_command_with_the_template_as_its_environment():
    """deploy/allin-manage sources the environment file as sh does (quoted values with
    spaces and <>) and runs manage.py as the portal's user."""
    env = {
        **os.environ,
        "ALLIN_HOME": str(BASE_DIR),
        "ALLIN_ENV": str(DEPLOY / "allin.env.example"),
        "ALLIN_USER": getpass.getuser(),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    code = "from django.conf import settings; print(settings.DEFAULT_FROM_EMAIL, settings.HTTPS)"
    result = subprocess.run(
        [str(DEPLOY / "allin-manage"), "shell", "-c", code],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout.splitlines()[-1] == "ALL-IN <noreply@portal.example.org> True"
