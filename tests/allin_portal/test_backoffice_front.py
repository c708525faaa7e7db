"""The back office's front page shows what waits, counted, with links to the filtered lists."""

from django.urls import reverse

from mail.models import Message
from members.models import Member
from resources.models import CaseStudy
from tests.helpers import make_case_study, make_member, make_user


def test_front_page_counts_what_waits(network_admin_client, network_admin):
    for n in range(3):
        make_member(f"applicant{n}@example.org", f"Applicant {n}", status=Member.Status.APPLIED)
    make_member("ok@example.org", "Already Approved")
    researcher = make_user("r@example.org", "Members", "Researchers")
    for status in (CaseStudy.Status.SUBMITTED, CaseStudy.Status.IN_REVIEW, "draft"):
        study = make_case_study(researcher, title=f"Study {status}")
        CaseStudy.objects.filter(pk=study.pk).update(status=status)
    for state in (Message.State.FAILED, Message.State.FAILED, Message.State.SENT):
        Message.objects.create(
            kind="account",
            to="x@example.org",
            template="t",
            language="en",
            subject="S",
            body="B",
            state=state,
        )
    response = network_admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    html = response.text
    applications = reverse("admin:members_member_changelist") + "?status__exact=applied"
    studies = reverse("admin:resources_casestudy_changelist") + "?status__in=submitted%2Cin_review"
    failed = reverse("admin:mail_message_changelist") + "?state__exact=failed"
    for url, count, label in [
        (applications, 3, "membership applications wait"),
        (studies, 2, "case studies to review"),
        (failed, 2, "emails failed to send"),
    ]:
        assert f'href="{url.replace("&", "&amp;")}"' in html
        assert f'<strong class="waiting-count">{count}</strong> {label}' in html
    # The links open the filtered lists with exactly those rows.
    assert network_admin_client.get(applications).context["cl"].result_count == 3
    assert network_admin_client.get(studies).context["cl"].result_count == 2
    assert network_admin_client.get(failed).context["cl"].result_count == 2
    assert reverse("resources:review_queue") in html


def test_front_page_says_when_nothing_waits(network_admin_client):
    html = network_admin_client.get(reverse("admin:index")).text
    assert "No membership application waits." in html
    assert "No case study waits for review." in html
    assert "No email failed." in html
    assert "waiting-count" not in html


def test_front_page_wears_the_portals_name(network_admin_client):
    response = network_admin_client.get(reverse("admin:index"))
    html = response.text
    assert "<title>Site administration · ALL-IN back office</title>" in html
    assert "css/admin.css" in html
    assert "ALL-IN back office" in html


def test_front_page_counts_only_what_the_user_may_open(client, db):
    # Event staff in the back office (staff, no member or case-study permission).
    client.force_login(make_user("staff@example.org", "Event staff", is_staff=True))
    make_member("applicant@example.org", "Applicant", status=Member.Status.APPLIED)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "membership application" not in response.text


def test_member_is_sent_to_sign_in(member_client):
    response = member_client.get(reverse("admin:index"))
    assert response.status_code == 302
