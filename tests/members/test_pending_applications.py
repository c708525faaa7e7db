"""The back office lists pending applications oldest first, with the date applied."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from members.models import Member
from tests.helpers import make_member

LIST = reverse("admin:members_member_changelist")


def test_pending_applications_oldest_first_with_their_date(network_admin_client, db):
    now = timezone.now()
    for name, days in [("Zara Newest", 1), ("Abel Oldest", 40), ("Mona Middle", 10)]:
        member = make_member(f"{days}@example.org", name, status=Member.Status.APPLIED)
        Member.objects.filter(pk=member.pk).update(applied_at=now - datetime.timedelta(days=days))
    make_member("ok@example.org", "Aaron Approved")  # not pending

    response = network_admin_client.get(LIST, {"status__exact": "applied"})
    assert response.status_code == 200
    page = response.text
    rows = re.findall(r'<th class="field-name"><a href="[^"]+">([^<]+)</a>', page)
    assert rows == ["Abel Oldest", "Mona Middle", "Zara Newest"]
    assert "Date applied" in page or "Applied at" in page
    oldest = (now - datetime.timedelta(days=40)).date()
    # In English as the network writes dates (allin_portal/formats/en): day first.
    assert oldest.strftime("%-d %B %Y") in page

    # Other lists keep their order by name.
    response = network_admin_client.get(LIST)
    names = re.findall(r'<th class="field-name"><a href="[^"]+">([^<]+)</a>', response.text)
    assert names == sorted(names)
