"""/media/: uploaded photos and logos are served, cached long, never sniffed; nothing else
is (private resource files, other types, paths out of MEDIA_ROOT)."""

import pytest
from django.urls import reverse
from django.utils.http import http_date

from tests.helpers import image_file
from tests.members.test_profiles import EDIT, profile_data


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT.mkdir()
    settings.PRIVATE_MEDIA_ROOT.mkdir()
    return settings


def test_an_uploaded_photo_is_served_with_long_cache_and_nosniff(client, public_member, media):
    client.force_login(public_member.user)
    response = client.post(
        EDIT, {**profile_data(public_member), "photo": image_file(name="me.jpg")}
    )
    assert response.status_code == 302
    public_member.refresh_from_db()
    url = public_member.photo.url
    assert url.startswith("/media/members/me-") and url.endswith(".jpg")

    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response.content[:3] == b"\xff\xd8\xff"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    # Unchanged since: 304 and no body.
    again = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304 and again.content == b""
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def test_a_new_upload_gets_a_new_address(client, public_member, media):
    """Browsers keep a file for a year, so a name is never reused."""
    client.force_login(public_member.user)
    urls = set()
    for _ in range(2):
        client.post(EDIT, {**profile_data(public_member), "photo": image_file(name="me.jpg")})
        public_member.refresh_from_db()
        urls.add(public_member.photo.url)
    assert len(urls) == 2


@pytest.mark.parametrize(
    "path",
    [
        "notes.html",
        "members/script.svg",
        "members/page.pdf",
        "members/photo.jpg.exe",
        "members/missing.jpg",
        "../private/secret.jpg",
        "..%2fprivate%2fsecret.jpg",
        "%2e%2e/private/secret.jpg",
        "/etc/passwd.jpg",
        "members/photo.jpg%00.html",
        "members",
        "",
    ],
)
def test_nothing_but_existing_public_images_is_served(client, media, path):
    (media.MEDIA_ROOT / "members").mkdir()
    (media.MEDIA_ROOT / "members" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    for name in ["notes.html", "members/script.svg", "members/page.pdf"]:
        (media.MEDIA_ROOT / name).write_text("<script>alert(1)</script>")
    (media.PRIVATE_MEDIA_ROOT / "secret.jpg").write_bytes(b"\xff\xd8\xff")
    assert client.get("/media/members/photo.jpg").status_code == 200
    # 400 for the NUL byte (allin_portal.middleware.RejectNulMiddleware), else 404.
    assert client.get(f"/media/{path}").status_code == (400 if "%00" in path else 404)


def test_private_resource_files_stay_private(client, media, db):
    from resources.models import Resource
    from tests.helpers import make_resource, pdf_upload

    resource = make_resource("Members report", access=Resource.Access.MEMBERS, upload=pdf_upload())
    assert (media.PRIVATE_MEDIA_ROOT / resource.file.name).is_file()
    for url in [f"/media/{resource.file.name}", f"/media/../private/{resource.file.name}"]:
        assert client.get(url).status_code == 404
    # Only the access-checked download answers, and not to a visitor.
    response = client.get(reverse("resources:download", kwargs={"slug": resource.slug}))
    assert response.status_code != 200


def test_even_a_private_folder_inside_media_root_is_not_served(client, media):
    media.PRIVATE_MEDIA_ROOT = media.MEDIA_ROOT / "private"
    media.PRIVATE_MEDIA_ROOT.mkdir()
    (media.PRIVATE_MEDIA_ROOT / "secret.png").write_bytes(b"\x89PNG")
    assert client.get("/media/private/secret.png").status_code == 404


def test_stale_if_modified_since_gets_the_file(client, media):
    (media.MEDIA_ROOT / "logo.png").write_bytes(b"\x89PNG")
    response = client.get("/media/logo.png", HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert response.status_code == 200 and response.content == b"\x89PNG"
