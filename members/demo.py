"""Fake organizations and members for benchmarks (`seed_demo --members N`)."""

import datetime

from django.contrib.auth.hashers import make_password

from allin_portal.demo import COUNTRIES, person_name, rng
from members.models import Member, Organization, User


def create_members(count):
    random_ = rng()
    organizations = [
        Organization(
            name=f"Demo Leadership Institute {n}",
            slug=f"demo-org-{n:05d}",
            type=random_.choice(Organization.Type.values),
            country=random_.choice(COUNTRIES),
            description="A fictitious organization of the demo data.",
        )
        for n in range(1, max(count // 20, 1) + 1)
    ]
    Organization.objects.bulk_create(organizations, ignore_conflicts=True)
    organizations = list(Organization.objects.filter(slug__startswith="demo-org-"))

    unusable = make_password(None)
    users = [
        User(email=f"demo-{n:05d}@example.org", password=unusable) for n in range(1, count + 1)
    ]
    User.objects.bulk_create(users, ignore_conflicts=True, batch_size=2000)
    users = User.objects.filter(email__startswith="demo-", email__endswith="@example.org")
    statuses = [Member.Status.APPROVED] * 8 + [Member.Status.APPLIED, Member.Status.LAPSED]
    visibilities = (
        [Member.Visibility.PUBLIC] * 5
        + [Member.Visibility.MEMBERS] * 4
        + [Member.Visibility.HIDDEN]
    )
    members = []
    for user in users.order_by("email").only("pk", "email"):
        n = int(user.email[5:10])
        members.append(
            Member(
                user=user,
                name=person_name(random_, n),
                slug=f"demo-member-{n:05d}",
                position=random_.choice(["Principal", "Researcher", "Program director", "Advisor"]),
                organization=random_.choice(organizations),
                country=random_.choice(COUNTRIES),
                status=random_.choice(statuses),
                visibility=random_.choice(visibilities),
                member_since=datetime.date(2018, 1, 1) + datetime.timedelta(days=n % 2500),
            )
        )
    Member.objects.bulk_create(members, ignore_conflicts=True, batch_size=2000)
    return len(members)
