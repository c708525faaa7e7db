"""Uploaded photos and logos: decoded by Pillow, limited, re-encoded without metadata."""

import io
import secrets
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 20_000_000
MAX_SIDE = 512
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def clean_image(upload):
    """Return the upload as a re-encoded image file (at most 512 px, no EXIF), or raise
    ValidationError with a message for the form. The format is decided by decoding."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than 5 MB. Please upload a smaller image."), code="too_large"
        )
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise ValidationError(
            _("This file is not a JPEG, PNG or WebP image."), code="not_an_image"
        ) from None
    if kind not in FORMATS:
        raise ValidationError(_("Only JPEG, PNG or WebP images are accepted."), code="format")
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("The image has more than 20 megapixels. Please upload a smaller image."),
            code="too_many_pixels",
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the orientation, then drop EXIF
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if kind == "JPEG":
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            elif kind == "PNG":
                clean = image.convert("RGBA" if "A" in image.getbands() else "RGB")
                clean.save(out, "PNG", optimize=True)
            else:
                image.save(out, "WEBP", quality=85)
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        raise ValidationError(
            _("This image could not be read. It may be damaged."), code="broken"
        ) from None
    stem = Path(upload.name or "image").stem[:40] or "image"
    # A name never used before: browsers keep /media/ files for a year (core/media.py).
    return ContentFile(out.getvalue(), name=f"{stem}-{secrets.token_hex(4)}.{FORMATS[kind]}")
