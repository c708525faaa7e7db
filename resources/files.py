"""Checking uploaded PDFs and extracting their text for the search vector."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
# Text beyond this many characters adds little to ranking and bloats the vector (limit 1 MB).
MAX_TEXT_CHARS = 200_000


def validate_pdf(upload):
    """Refuse anything that is not a PDF by its content, or that is too large."""
    limit = settings.RESOURCE_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if PDF_MAGIC not in head:
        raise ValidationError(_("This file is not a PDF."), code="not_pdf")
    try:
        reader = _reader(upload)
        len(reader.pages)
    except Exception as error:  # pypdf raises many kinds of errors on broken files
        raise ValidationError(
            _("This PDF cannot be opened: it may be damaged."), code="bad_pdf"
        ) from error
    finally:
        upload.seek(0)


def _reader(upload):
    from pypdf import PdfReader

    upload.seek(0)
    return PdfReader(upload)


def extract_text(upload):
    """The PDF's text (best effort: an unreadable page adds nothing)."""
    try:
        reader = _reader(upload)
        parts, total = [], 0
        for page in reader.pages:
            text = page.extract_text() or ""
            parts.append(text)
            total += len(text)
            if total > MAX_TEXT_CHARS:
                break
        return "\n".join(parts)[:MAX_TEXT_CHARS].replace("\x00", "")
    except Exception:
        log.warning("Text extraction failed", exc_info=True)
        return ""
    finally:
        upload.seek(0)
