"""Journey: a member uploads a photo and sees it on their profile and in the directory
(served from /media/ by the portal itself)."""

from django.test.testcases import _MediaFilesHandler
from django.urls import reverse
from playwright.sync_api import expect

from members.models import Member
from tests.browser.helpers import ARTIFACTS, sign_in
from tests.helpers import image_file, make_member


def loaded(image):
    """The image was fetched and decoded (a broken image has naturalWidth 0)."""
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


def test_member_uploads_a_photo_and_sees_it_everywhere(
    page, live_server, transactional_db, settings, tmp_path, screenshot, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Django's live server answers /media/ itself; let the portal's own route do it, as in
    # `make run`.
    monkeypatch.setattr(_MediaFilesHandler, "_should_handle", lambda self, path: False)
    make_member("efua@example.org", "Efua Owusu", country="GH")
    sign_in(page, live_server, "efua@example.org")

    page.goto(live_server.url + reverse("members:edit_profile"))
    upload = image_file(size=(900, 700), name="efua.jpg")
    page.get_by_label("Photo").set_input_files(
        {"name": "efua.jpg", "mimeType": "image/jpeg", "buffer": upload.getvalue()}
    )
    page.get_by_role("button", name="Save").click()
    member = Member.objects.get(name="Efua Owusu")
    assert member.photo

    page.goto(live_server.url + member.get_absolute_url())
    photo = page.get_by_role("img", name="Photo of Efua Owusu")
    expect(photo).to_be_visible()
    assert loaded(photo)
    screenshot("profile")
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=ARTIFACTS / "photo-profile-360.png", full_page=True)

    # The directory, as a visitor too: public photos are public.
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("members:list"))
    avatar = page.locator(".member-item img.avatar").first
    expect(avatar).to_be_visible()
    assert loaded(avatar)
    response = page.request.get(live_server.url + member.photo.url)
    assert response.status == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["x-content-type-options"] == "nosniff"
    screenshot("directory")
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=ARTIFACTS / "photo-directory-360.png", full_page=True)
