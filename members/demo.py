"""Fake organizations and members for benchmarks (`seed_demo --members N`)."""

import datetime

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from django_countries import countries
from taggit.models import Tag, TaggedItem

from core.countries import is_oecd, region_for
from core.demo import COUNTRIES, TOPICS, person_name, rng
from members.models import Member, Organization, Program, User
from members.services import sync_member_groups

LANGUAGES = ["English", "French", "Spanish", "Arabic", "Portuguese", "Swahili", "Hindi"]


def create_members(count, organizations=None):
    """`count` members spread over `organizations` organizations (default: one per 20)."""
    random_ = rng()
    organizations = [
        Organization(
            name=f"Demo Leadership Institute {n}",
            slug=f"demo-org-{n:05d}",
            type=random_.choice(Organization.Type.values),
            country=random_.choice(COUNTRIES),
            description="A fictitious organization of the demo data.",
        )
        for n in range(1, (organizations or max(count // 20, 1)) + 1)
    ]
    Organization.objects.bulk_create(organizations, ignore_conflicts=True)
    organizations = list(Organization.objects.filter(slug__startswith="demo-org-"))
    Program.objects.bulk_create(
        [
            Program(
                organization=org,
                name=f"Demo School Leaders Program {org.slug[-5:]}",
                slug=f"demo-program-{org.slug[-5:]}",
                countries=[org.country.code] if org.country else [],
                audience="Principals and deputy principals",
                format=Program.Format.BLENDED,
                leaders_per_year=100,
                description="A fictitious program of the demo data.",
            )
            for org in organizations
        ],
        ignore_conflicts=True,
    )

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
    country_names = {code: str(name).lower() for code, name in countries}
    members, expertise = [], {}
    now = timezone.now()
    for user in users.order_by("email").only("pk", "email"):
        n = int(user.email[5:10])
        organization = random_.choice(organizations)
        country = random_.choice(COUNTRIES)
        status = random_.choice(statuses)
        name = person_name(random_, n)
        position = random_.choice(["Principal", "Researcher", "Program director", "Advisor"])
        topics = random_.sample(TOPICS, 3)
        expertise[f"demo-member-{n:05d}"] = topics
        members.append(
            Member(
                user=user,
                name=name,
                slug=f"demo-member-{n:05d}",
                position=position,
                organization=organization,
                country=country,
                region=region_for(country),
                oecd=is_oecd(country),
                status=status,
                visibility=random_.choice(visibilities),
                role_category=random_.choice(Member.RoleCategory.values),
                languages=", ".join(random_.sample(LANGUAGES, 2)),
                bio="A fictitious member of the demo data.",
                show_email=random_.random() < 0.3,
                applied_at=now,
                member_since=datetime.date(2018, 1, 1) + datetime.timedelta(days=n % 2500),
                search_text=" ".join(
                    [name, position, organization.name, country_names[country], *topics]
                ).lower(),
            )
        )
    Member.objects.bulk_create(members, ignore_conflicts=True, batch_size=2000)
    _tag_members(expertise)
    Member.objects.filter(slug__startswith="demo-member-").unaccent_search_text()
    # The one membership rule: approved demo members are in the Members group, others not.
    sync_member_groups(users)
    with connection.cursor() as cursor:
        # Fresh statistics, so the planner uses the directory's indexes at once.
        cursor.execute("ANALYZE members_member, taggit_taggeditem, members_organization")
    return len(members)


def _tag_members(expertise):
    """Expertise tags as bulk-created TaggedItems (taggit's manager is one query per add)."""
    names = sorted({name for topics in expertise.values() for name in topics})
    Tag.objects.bulk_create(
        [Tag(name=name, slug=name.replace(" ", "-")) for name in names], ignore_conflicts=True
    )
    tag_ids = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    content_type = ContentType.objects.get_for_model(Member)
    member_ids = dict(Member.objects.filter(slug__in=expertise.keys()).values_list("slug", "pk"))
    tagged = set(
        TaggedItem.objects.filter(
            content_type=content_type, object_id__in=member_ids.values()
        ).values_list("object_id", flat=True)
    )
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(content_type=content_type, object_id=pk, tag_id=tag_ids[name])
            for slug, pk in member_ids.items()
            if pk not in tagged
            for name in expertise[slug]
        ],
        batch_size=5000,
    )
