"""Production logs: one JSON line per request, no link token or email body in any line."""

import json
import logging

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from allin_portal.logs import JsonFormatter, redact, redact_path
from core.access import server_error
from mail import outbox
from tests.helpers import make_event, make_user

TOKEN = "AbCdEf123:zz-Secret_Token"


class Lines(logging.Handler):
    """Every record as the production handler writes it."""

    def __init__(self):
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines():
    handler = Lines()
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield handler.lines
    root.removeHandler(handler)
    root.setLevel(level)


def request_lines(lines):
    return [json.loads(line) for line in lines if '"logger": "allin.request"' in line]


@pytest.mark.parametrize(
    "path",
    [
        f"/unsubscribe/{TOKEN}/",
        f"/events/summit-2030/registration/{TOKEN}/",
        f"/events/summit-2030/registration/{TOKEN}/cancel/",
        f"/accounts/confirm-email/{TOKEN}/",
        f"/accounts/password/reset/key/1a-{TOKEN}/",
        f"/certificates/{TOKEN}/",
    ],
)
def test_tokens_are_masked_in_paths(path):
    assert TOKEN not in redact_path(path)
    assert "[token]" in redact_path(path)
    assert TOKEN not in redact(f"Not Found: {path} and more")


def test_ordinary_paths_are_kept():
    assert redact_path("/events/summit-2030/") == "/events/summit-2030/"
    assert redact_path("/no/such/page/") == "/no/such/page/"


def test_one_json_line_per_request(client, db, log_lines):
    user = make_user("zara@example.org")
    client.force_login(user)
    client.get(reverse("home"), HTTP_X_REQUEST_ID="req-42")
    (line,) = request_lines(log_lines)
    assert line["request_id"] == "req-42"
    assert line["user_id"] == user.pk
    assert line["path"] == "/" and line["status"] == 200 and line["method"] == "GET"
    assert isinstance(line["duration_ms"], float)


def test_a_bad_request_id_is_replaced(client, db, log_lines):
    response = client.get(reverse("home"), HTTP_X_REQUEST_ID="x" * 100 + "\n")
    (line,) = request_lines(log_lines)
    assert line["request_id"] == response["X-Request-ID"] and len(line["request_id"]) == 32
    assert line["user_id"] is None


def test_a_refused_guest_link_is_one_line_without_its_token(client, db, log_lines):
    event = make_event()
    for path in (
        f"/events/{event.slug}/registration/{TOKEN}/",
        f"/unsubscribe/{TOKEN}/?x={TOKEN}",
        f"/events/{event.slug}/registration/{TOKEN}/cancel/",
    ):
        client.get(path)
        client.post(path)
    assert log_lines, "the requests were logged"
    assert all(TOKEN not in line for line in log_lines)
    assert all("Traceback" not in line for line in log_lines)
    assert len(request_lines(log_lines)) == len(log_lines) == 6


def test_a_forbidden_page_is_one_line_not_a_traceback(client, db, log_lines):
    client.force_login(make_user("nobody@example.org"))
    response = client.get(reverse("admin:index"))
    assert response.status_code in (302, 403)
    response = client.get(reverse("events:attendees", kwargs={"slug": make_event().slug}))
    assert response.status_code in (403, 404)
    assert len(log_lines) == 2 and all("Traceback" not in line for line in log_lines)


def test_without_a_mail_server_an_email_is_one_line_without_its_body(db, log_lines, settings):
    settings.EMAIL_BACKEND = "core.emails.LogOnlyEmailBackend"
    secret_link = f"https://all-in.example.org/unsubscribe/{TOKEN}/"
    sent = mail.EmailMessage("Your link", f"Click {secret_link}", to=["zara@example.org"]).send()
    assert sent == 1
    (line,) = [json.loads(x) for x in log_lines if '"allin.mail"' in x]
    assert "zara@example.org" in line["message"] and "Your link" in line["message"]
    assert TOKEN not in "".join(log_lines) and "Click" not in "".join(log_lines)


def test_the_outbox_without_a_mail_server_logs_no_body(
    db, log_lines, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "core.emails.LogOnlyEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        outbox.send("membership_applied", to=make_user("zara@example.org"), context={})
    assert any("zara@example.org" in line for line in log_lines)
    assert all("Thank you for applying" not in line for line in log_lines)


@pytest.mark.parametrize("configured", [False, True])
def test_the_500_page_says_reported_only_when_it_is(db, settings, configured):
    settings.ERRORS_REPORTED = configured
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    text = response.content.decode()
    assert ("has been reported" in text) is configured
    assert "try again" in text


def test_a_server_error_is_logged_with_its_traceback_and_no_token(log_lines):
    try:
        raise RuntimeError(f"failed on /unsubscribe/{TOKEN}/")
    except RuntimeError:
        logging.getLogger("django.request").exception(
            "Internal Server Error: %s", f"/unsubscribe/{TOKEN}/"
        )
    (line,) = [json.loads(x) for x in log_lines]
    assert line["level"] == "ERROR" and "Traceback" in line["exception"]
    assert TOKEN not in json.dumps(line)


def test_errors_are_mailed_to_admins_only_when_mail_is_configured():
    from tests.allin_portal.test_health_and_settings import run_manage

    script = (
        "from django.conf import settings as s; "
        "print(s.ERRORS_REPORTED, s.LOGGING['loggers']['django.request']['handlers'])"
    )
    env = {"SECRET_KEY": "x", "ADMINS": "ops@example.org"}
    with_mail = run_manage("shell", "-c", script, EMAIL_HOST="smtp.example.org", **env)
    without = run_manage("shell", "-c", script, EMAIL_HOST="", **env)
    assert with_mail.stdout.split()[-2:] == ["True", "['mail_admins']"]
    assert without.stdout.split()[-2:] == ["False", "[]"]
