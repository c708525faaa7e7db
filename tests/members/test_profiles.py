"""Profiles, organizations and programs: rendering, escaping, editing, uploads."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from members.models import Member, Organization, Program
from tests.helpers import image_file, make_member

EDIT = reverse("members:edit_profile")
XSS = '<script>alert("x")</script>'


def profile_data(member, **extra):
    data = {
        "name": member.name,
        "position": member.position,
        "country": str(member.country.code or ""),
        "role_category": member.role_category,
        "expertise": "",
        "visibility": member.visibility,
    }
    data.update(extra)
    return data


def test_profile_page_shows_the_profile(client, public_member):
    public_member.expertise.add("coaching")
    public_member.bio = "Leads **principal** coaching."
    public_member.orcid = "0000-0002-1825-0097"
    public_member.save()
    text = client.get(public_member.get_absolute_url()).text
    assert "<strong>principal</strong>" in text
    assert "coaching" in text and "Brazil" in text and "Non-OECD country" in text
    assert "https://orcid.org/0000-0002-1825-0097" in text
    assert "joao@example.org" not in text


def test_every_profile_text_field_is_escaped(client, organization):
    member = make_member(
        "x@example.org",
        XSS,
        position=XSS,
        languages=XSS,
        organization=organization,
    )
    member.slug = "xss"
    member.save()
    member.expertise.add(XSS)
    organization.name = XSS
    organization.description = XSS
    organization.save()
    for url in [
        member.get_absolute_url(),
        reverse("members:list"),
        organization.get_absolute_url(),
        reverse("members:organizations"),
    ]:
        text = client.get(url).text
        assert "<script>alert" not in text, url
    assert "&lt;script&gt;" in client.get(member.get_absolute_url()).text


def test_markdown_bio_is_cleaned(client, public_member):
    public_member.bio = (
        '<script>alert(1)</script> [click](javascript:alert(1)) <img src=x onerror="alert(1)">'
        " [ok](https://example.org)"
    )
    public_member.save()
    text = client.get(public_member.get_absolute_url()).text
    assert "<script>alert(1)" not in text
    assert "javascript:" not in text
    assert "onerror" not in text
    assert 'href="https://example.org"' in text


def test_email_shown_to_members_only_when_chosen(client, member_client, public_member):
    url = public_member.get_absolute_url()
    assert "joao@example.org" not in member_client.get(url).text
    public_member.show_email = True
    public_member.save()
    assert "joao@example.org" in member_client.get(url).text
    member_client.logout()
    assert "joao@example.org" not in member_client.get(url).text


def test_member_edits_own_profile(client, public_member):
    client.force_login(public_member.user)
    assert client.get(EDIT).status_code == 200
    response = client.post(
        EDIT, profile_data(public_member, position="Director", expertise="equity, coaching")
    )
    assert response.status_code == 302
    public_member.refresh_from_db()
    assert public_member.position == "Director"
    assert "equity" in public_member.search_text


def test_edit_needs_sign_in_and_a_profile(client, outsider_client):
    assert outsider_client.get(EDIT)["Location"] == reverse("members:join")
    outsider_client.logout()
    assert outsider_client.get(EDIT)["Location"].startswith(reverse("account_login"))


def test_edit_wrong_method(client, public_member):
    client.force_login(public_member.user)
    assert client.delete(EDIT).status_code == 405


def test_photo_is_reencoded_small_without_exif(client, public_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (1.0, 2.0, 3.0)}  # GPS
    exif[0x010F] = "Camera maker"
    upload = image_file(size=(2000, 1000), exif=exif)
    client.force_login(public_member.user)
    response = client.post(EDIT, {**profile_data(public_member), "photo": upload})
    assert response.status_code == 302
    public_member.refresh_from_db()
    with Image.open(public_member.photo.path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 512
        assert not stored.getexif()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (io.BytesIO(b"<?php echo 1; ?>"), "not a JPEG, PNG or WebP image"),
        (image_file("GIF", name="photo.gif"), "Only JPEG, PNG or WebP"),
        (image_file("PNG", size=(5000, 4100), name="big.png"), "more than 20 megapixels"),
        (io.BytesIO(b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024 + 10)), "larger than 5 MB"),
    ],
    ids=["not-an-image", "gif", "too-many-pixels", "too-large"],
)
def test_bad_uploads_are_refused_and_the_form_kept(
    client, public_member, upload, message, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    if not getattr(upload, "name", None):
        upload.name = "photo.jpg"
    client.force_login(public_member.user)
    response = client.post(
        EDIT, {**profile_data(public_member, position="Kept position"), "photo": upload}
    )
    assert response.status_code == 400
    assert message in response.text
    assert 'value="Kept position"' in response.text
    public_member.refresh_from_db()
    assert public_member.position == ""
    assert not public_member.photo


def test_organization_page_lists_programs_and_listed_members(
    client, organization, public_member, django_assert_max_num_queries
):
    make_member("m@example.org", "Members Only", organization=organization, visibility="members")
    Program.objects.create(
        organization=organization,
        name="Líderes 360",
        slug="lideres-360",
        leaders_per_year=120,
        evidence="https://example.org/evaluation",
    )
    with django_assert_max_num_queries(10):
        text = client.get(organization.get_absolute_url()).text
    assert "Líderes 360" in text and "120" in text and "https://example.org/evaluation" in text
    assert "João Silva" in text and "Members Only" not in text
    assert client.get(reverse("members:organization", kwargs={"slug": "nope"})).status_code == 404


def test_organization_contact_edits_programs(client, organization, public_member):
    organization.contact = public_member
    organization.save()
    client.force_login(public_member.user)
    create = reverse("members:program_create", kwargs={"slug": organization.slug})
    response = client.post(
        create, {"name": "Líderes 360", "format": "blended", "evidence": "not a link"}
    )
    assert response.status_code == 400 and "is not a web address" in response.text
    response = client.post(
        create, {"name": "Líderes 360", "format": "blended", "leaders_per_year": "40"}
    )
    assert response.status_code == 302
    program = organization.programs.get()
    edit = reverse(
        "members:program_edit", kwargs={"slug": organization.slug, "program_slug": program.slug}
    )
    assert client.post(edit, {"name": "Líderes 361", "countries": ["BR", "AR"]}).status_code == 302
    program.refresh_from_db()
    assert program.name == "Líderes 361" and len(program.countries) == 2
    assert "Edit <bdi>Líderes 361</bdi>" in client.get(organization.get_absolute_url()).text


def test_others_cannot_edit_programs(client, organization, public_member, member_user):
    program = Program.objects.create(organization=organization, name="P", slug="p")
    edit = reverse("members:program_edit", kwargs={"slug": organization.slug, "program_slug": "p"})
    create = reverse("members:program_create", kwargs={"slug": organization.slug})
    delete = reverse(
        "members:program_delete", kwargs={"slug": organization.slug, "program_slug": "p"}
    )
    assert client.get(edit).status_code == 302  # visitor: sign in first
    client.force_login(member_user)
    assert client.get(edit).status_code == 403  # not its contact
    assert client.post(create, {"name": "X"}).status_code == 403
    assert client.post(delete).status_code == 403
    assert Program.objects.filter(pk=program.pk).exists()
    organization.contact = Member.objects.get(user=member_user)
    organization.save()
    assert client.get(delete).status_code == 405
    assert client.post(delete).status_code == 302
    assert not Program.objects.filter(pk=program.pk).exists()


def test_organization_list(client, organization, django_assert_max_num_queries):
    Organization.objects.create(name="Other", slug="other")
    with django_assert_max_num_queries(5):
        text = client.get(reverse("members:organizations")).text
    assert "Escola de Líderes São Paulo" in text and "Other" in text


def test_contact_edits_the_organization_and_its_logo(
    client, organization, public_member, member_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("members:organization_edit", kwargs={"slug": organization.slug})
    client.force_login(member_user)
    assert client.get(url).status_code == 403  # not its contact
    organization.contact = public_member
    organization.save()
    client.force_login(public_member.user)
    response = client.post(
        url, {"description": "Kept text", "logo": image_file("GIF", name="logo.gif")}
    )
    assert response.status_code == 400 and "Only JPEG, PNG or WebP" in response.text
    assert "Kept text" in response.text
    logo = image_file("PNG", size=(1000, 1000), name="logo.png")
    response = client.post(url, {"description": "New text", "logo": logo})
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.description == "New text"
    with Image.open(organization.logo.path) as stored:
        assert stored.format == "PNG" and stored.size == (512, 512)
    assert client.put(url).status_code == 405
