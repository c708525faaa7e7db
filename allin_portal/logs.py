"""Production logs: one JSON line per request, and no secret link in any line.

`RequestLogMiddleware` writes one line per request (request id, user id, method, path,
status, duration) through the `allin.request` logger; `JsonFormatter` writes every record as
one JSON object. Paths are written with their link tokens replaced by `[token]`: the
tokens of guest, invitation, unsubscribe and check-in links and allauth's keys are whatever
URL argument is named like a token, key or code (found by resolving the path), and query
strings are never written. Refused requests (403, 404) are the request line only: Django's
own warnings for them (with a traceback for a 403) are not logged (settings.LOGGING).
"""

import json
import logging
import re
import time
import uuid

from django.conf import settings
from django.urls import Resolver404, resolve

logger = logging.getLogger("allin.request")

SECRET_ARGUMENT = re.compile(r"token|key|code|signed|uid", re.IGNORECASE)
PATH = re.compile(r"/[^\s\"'<>?#]*")
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
MASK = "[token]"


def redact_path(path):
    """The path with the values of its token-like URL arguments replaced by [token]."""
    try:
        match = resolve(path, urlconf=settings.ROOT_URLCONF)
    except (Resolver404, ValueError):
        return path
    for name, value in match.kwargs.items():
        if SECRET_ARGUMENT.search(name) and isinstance(value, str) and value:
            path = path.replace(value, MASK)
    return path


def redact(text):
    """Every path in a free text (a log message) redacted."""
    return PATH.sub(lambda m: redact_path(m.group(0)), text)


class JsonFormatter(logging.Formatter):
    FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms")

    def format(self, record):
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for field in self.FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info and record.levelno >= logging.ERROR:
            line["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        response = self.get_response(request)
        user = getattr(request, "user", None)
        path = redact_path(request.path)
        duration = round((time.perf_counter() - started) * 1000, 1)
        logger.info(
            "%s %s %s",
            request.method,
            path,
            response.status_code,
            extra={
                "request_id": request.request_id,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration,
            },
        )
        response["X-Request-ID"] = request.request_id
        return response
