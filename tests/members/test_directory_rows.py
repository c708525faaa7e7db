"""The directory's rows, built from plain values (members.directory.rows): what each row
shows, in the page's language, escaped."""

import pytest
from django.urls import reverse

from members.models import Member
from tests.helpers import make_member

pytestmark = pytest.mark.django_db
LIST = reverse("members:list")


def test_a_row_shows_link_initials_line_and_expertise(client, organization):
    member = make_member(
        "z@example.org",
        "Zoë <b>Ng</b>-Amadi",
        country="GH",
        position="Head teacher",
        organization=organization,
    )
    member.expertise.add("coaching", "equity")
    html = client.get(LIST).text
    row = html.split('<li class="member-item">', 1)[1].split("</li>", 1)[0]
    assert f'href="{member.get_absolute_url()}"' in row
    assert "Zoë &lt;b&gt;Ng&lt;/b&gt;-Amadi" in row
    assert '<span class="avatar avatar-initials" aria-hidden="true">ZA</span>' in row
    assert f"Head teacher · {organization.name} · Ghana" in row
    assert '<span class="tag">coaching</span><span class="tag">equity</span>' in row


def test_a_row_names_the_country_in_the_pages_language(client):
    make_member("z@example.org", "Zoe Ng", country="DE")
    html = client.get(LIST, HTTP_ACCEPT_LANGUAGE="fr").text
    assert "Allemagne" in html.split('class="member-list"', 1)[1]


def test_a_row_without_position_or_organization_leaves_no_stray_dot(client):
    make_member("z@example.org", "Zoe Ng", country="", visibility=Member.Visibility.PUBLIC)
    row = client.get(LIST).text.split('<li class="member-item">', 1)[1].split("</li>", 1)[0]
    assert "·" not in row
    assert 'class="meta"' not in row
