"""Text people typed stays readable inside right-to-left pages: a Latin name or an email is
isolated from the Arabic around it (`<bdi>`, `dir="auto"`, `dir="ltr"`)."""

import re

from django.urls import reverse

from tests.helpers import make_member, make_resource


def test_latin_name_on_a_directory_card_and_an_email_on_a_profile_are_isolated_in_arabic(
    member_client,
):
    make_member(
        "efua.asante@example.org", "Efua Asante", position="Head of school", show_email=True
    )

    html = member_client.get(reverse("members:list"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    card = re.search(r'<li class="member-item">.*?Efua Asante.*?</li>', html, re.S).group()
    assert re.search(r"<a href=\"/members/efua-asante/\"><bdi>Efua Asante</bdi></a>", card)
    assert '<span class="meta" dir="auto">Head of school</span>' in card

    url = reverse("members:detail", kwargs={"slug": "efua-asante"})
    html = member_client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert '<h1 dir="auto">Efua Asante</h1>' in html
    assert '<a href="mailto:efua.asante@example.org" dir="ltr">efua.asante@example.org</a>' in html
    # Never bare: every place the address is shown is inside a left-to-right element.
    assert html.count("efua.asante@example.org<") == html.count(
        'dir="ltr">efua.asante@example.org<'
    )


def test_a_search_term_echoed_back_is_isolated(client, db):
    make_resource("Coaching in Ghana", abstract="Coaching principals in Ghana.")
    url = reverse("resources:list") + "?q=coaching+Ghana"
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    heading = re.search(r'<h2 id="results-heading".*?</h2>', html, re.S).group()
    assert "<bdi>coaching Ghana</bdi>" in heading
