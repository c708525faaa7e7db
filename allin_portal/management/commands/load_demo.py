"""`make demo`: a small, clearly fake set on top of the network's real history, so that a
newcomer can try every role at once. `make run` itself loads real data only.

About 150 members with their organizations and programs (the `seed_demo` builders), a
member, a researcher, event staff and a network admin to sign in as, an upcoming working
session with registrations, a case study in review and one published, and members-only
resources with PDFs. Everything is marked as demo data (example.org addresses, "Demo"
names). Safe to run twice: what exists is kept, and the role accounts get a new password,
printed at the end.
"""

import datetime
import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from fpdf import FPDF

from events import services as event_services
from events.models import Event
from members import roles
from members.demo import create_members
from members.models import Member, User
from members.services import sync_member_groups
from resources import services as resource_services
from resources.demo import create_resources
from resources.models import CaseStudy, Resource

# (address, group, name, staff): one account per role (README, "Roles and the back office").
ROLES = [
    ("member.demo@example.org", None, "Demo Member", False),
    ("researcher.demo@example.org", roles.RESEARCHERS, "Demo Researcher", False),
    ("staff.demo@example.org", roles.EVENT_STAFF, "Demo Event Staff", False),
    ("admin.demo@example.org", roles.NETWORK_ADMINS, "Demo Network Admin", True),
]
EVENT_SLUG = "demo-working-session"


def pdf_upload(title, name):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.multi_cell(0, 10, f"{title}\n\nDemo document of the ALL-IN portal: not a real study.")
    return SimpleUploadedFile(name, bytes(pdf.output()), content_type="application/pdf")


class Command(BaseCommand):
    help = "Load a small, clearly fake demo set on top of the history (see `make demo`)."

    def handle(self, *args, **options):
        with transaction.atomic():
            create_members(150, organizations=12)
            create_resources(40)
            accounts = {email: self.role_account(email, *rest) for email, *rest in ROLES}
            sync_member_groups(list(accounts.values()))
            self.members_only_resources()
            self.working_session(staff=accounts["staff.demo@example.org"])
            self.case_studies(
                researcher=accounts["researcher.demo@example.org"],
                reviewer=accounts["admin.demo@example.org"],
            )
            passwords = {}
            for email, user in accounts.items():
                passwords[email] = secrets.token_urlsafe(9)
                user.set_password(passwords[email])
                user.save(update_fields=["password"])
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in as:"))
        for email, group, _name, _staff in ROLES:
            self.stdout.write(f"  {group or 'Member':<15} {email:<30} {passwords[email]}")

    def role_account(self, email, group, name, staff):
        user, _ = User.objects.get_or_create(email=email, defaults={"first_name": name})
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
        member, _ = Member.objects.get_or_create(
            user=user,
            defaults={
                "name": name,
                "slug": email.split("@")[0].replace(".", "-"),
                "country": "GH",
                "status": Member.Status.APPROVED,
                "visibility": Member.Visibility.MEMBERS,
                "member_since": timezone.localdate(),
            },
        )
        member.refresh_search_text()  # found by the directory and staff's member search
        return user

    def members_only_resources(self):
        for n, title in enumerate(
            [
                "Demo toolkit: coaching new principals",
                "Demo report: leadership in crisis contexts",
                "Demo guide: peer networks for head teachers",
            ],
            start=1,
        ):
            slug = f"demo-members-only-{n}"
            if Resource.objects.filter(slug=slug).exists():
                continue
            resource = Resource(
                title=title,
                slug=slug,
                type=Resource.Type.TOOLKIT,
                access=Resource.Access.MEMBERS,
                abstract="A fictitious members-only resource of the demo data.",
                authors="Demo Author",
                publication_year=timezone.localdate().year,
            )
            resource_services.save_resource(
                resource=resource, topics=["demo"], upload=pdf_upload(title, f"{slug}.pdf")
            )

    def working_session(self, *, staff):
        starts_at = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
        starts_at += datetime.timedelta(days=21)
        event, created = Event.objects.get_or_create(
            slug=EVENT_SLUG,
            defaults={
                "title": "Demo working session: leading learning recovery",
                "series": Event.Series.WORKING_SESSION,
                "format": Event.Format.HYBRID,
                "city": "Accra",
                "country": "GH",
                "venue": "Demo venue",
                "starts_at": starts_at,
                "ends_at": starts_at + datetime.timedelta(hours=8),
                "timezone": "Africa/Accra",
                "summary": "A fictitious upcoming gathering of the demo data.",
                "capacity": 30,
                "guests_allowed": True,
            },
        )
        if not created:
            return
        attendees = Member.objects.filter(
            slug__startswith="demo-member-", status=Member.Status.APPROVED
        ).select_related("user")[:24]
        for member in attendees:
            event_services.register(event=event, user=member.user, by=staff)

    def case_studies(self, *, researcher, reviewer):
        for title, publish in [
            ("Demo case study in review: a principals' fellowship", False),
            ("Demo case study, published: district coaching circles", True),
        ]:
            slug = "demo-case-study-" + ("published" if publish else "in-review")
            if Resource.objects.filter(slug=slug).exists():
                continue
            case_study = resource_services.create_case_study(
                resource=Resource(title=title, slug=slug, abstract="A fictitious case study."),
                case_study=CaseStudy(
                    key_findings="Demo findings.", research_questions="Demo questions?"
                ),
                by=researcher,
                topics=["demo"],
                upload=pdf_upload(title, f"{slug}.pdf"),
            )
            resource_services.transition(case_study=case_study, action="submit", by=researcher)
            if publish:
                resource_services.transition(case_study=case_study, action="publish", by=reviewer)
