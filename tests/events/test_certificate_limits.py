"""A certificate's logo and hours are checked where staff set them: no camera-sized logo
(each certificate drew it: 1.6 s instead of 0.09 s) and no negative hours on a certificate."""

import io
import os
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from events.models import Event
from tests.helpers import image_file


def png(size, name="logo.png"):
    out = io.BytesIO()
    Image.new("1", size).save(out, "PNG")  # one bit per pixel: a tiny file, many pixels
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def settings_data(**extra):
    return {"registration_policy": "anyone", "languages": ["en"], **extra}


@pytest.fixture
def settings_url(event):
    return reverse("events:staff_settings", kwargs={"slug": event.slug})


@pytest.mark.parametrize("size", [(6000, 4000), (9000, 9000), (2001, 2000)])
def test_a_logo_over_four_megapixels_is_refused_on_its_field(
    staff_client, event, settings_url, size, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    logo = png(size)
    assert logo.size < 2 * 1024 * 1024  # refused for its pixels, not its bytes
    response = staff_client.post(settings_url, settings_data(certificate_logo=logo))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["certificate_logo"] and "4 megapixels" in errors["certificate_logo"][0]
    event.refresh_from_db()
    assert not event.certificate_logo


def test_a_logo_over_two_megabytes_is_refused(staff_client, event, settings_url):
    noise = Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000))  # 1 megapixel
    out = io.BytesIO()
    noise.save(out, "PNG")
    big = SimpleUploadedFile("logo.png", out.getvalue(), "image/png")
    assert big.size > 2 * 1024 * 1024
    response = staff_client.post(settings_url, settings_data(certificate_logo=big))
    assert response.status_code == 400
    assert "larger than 2 MB" in response.context["form"].errors["certificate_logo"][0]


def test_a_logo_of_sensible_size_is_kept(staff_client, event, settings_url, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    response = staff_client.post(
        settings_url, settings_data(certificate_logo=image_file("PNG", (2000, 2000), "logo.png"))
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.certificate_logo.width == 2000


@pytest.mark.parametrize("hours", ["-1", "-0.1", "-9999.9"])
def test_negative_hours_are_refused_on_their_field(staff_client, event, settings_url, hours):
    response = staff_client.post(settings_url, settings_data(hours=hours))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["hours"]
    event.refresh_from_db()
    assert event.hours is None
    assert staff_client.post(settings_url, settings_data(hours="0")).status_code == 302
    assert staff_client.post(settings_url, settings_data(hours="7.5")).status_code == 302
    event.refresh_from_db()
    assert event.hours == Decimal("7.5")


def test_the_database_refuses_negative_hours_too(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(hours=Decimal("-2"))
