"""Records spread over OECD and non-OECD countries, public and members-only."""

import pytest

from members.models import Member, Organization, Program
from resources.models import CaseStudy, Resource
from tests.evidence.helpers import case_study
from tests.helpers import make_resource, make_user


@pytest.fixture
def spread(db):
    """Resources in Ghana, Kenya, France and the US (years 2019-2021), a members-only one in
    Ghana, a draft case study, programs and members."""
    make_resource(
        "Ghana report",
        countries=["GH"],
        publication_year=2019,
        pathway="research",
        topics=["equity"],
    )
    make_resource(
        "Kenya and US report", countries=["KE", "US"], publication_year=2020, pathway="programs"
    )
    make_resource("France report", countries=["FR"], publication_year=2020, pathway="research")
    make_resource("Undated global toolkit", type=Resource.Type.TOOLKIT)
    make_resource(
        "Members-only Ghana toolkit",
        countries=["GH"],
        publication_year=2021,
        access=Resource.Access.MEMBERS,
        type=Resource.Type.TOOLKIT,
    )
    case_study("Published Ghana case study", status=CaseStudy.Status.PUBLISHED, countries=["GH"])
    case_study("Draft Kenya case study", status=CaseStudy.Status.DRAFT, countries=["KE"])
    case_study(
        "Members-only Peru case study",
        status=CaseStudy.Status.PUBLISHED,
        countries=["PE"],
        access=Resource.Access.MEMBERS,
        year=2021,
    )
    org = Organization.objects.create(
        name="Accra Leaders",
        slug="accra-leaders",
        country="GH",
        type=Organization.Type.PROGRAM_PROVIDER,
    )
    Program.objects.create(
        organization=org,
        name="Heads up",
        slug="heads-up",
        countries=["GH", "NG"],
        format=Program.Format.BLENDED,
    )
    Program.objects.create(
        organization=org, name="Online heads", slug="online-heads", format=Program.Format.ONLINE
    )
    for n, (country, visibility) in enumerate(
        [("GH", "public"), ("GH", "members"), ("FR", "public"), ("KE", "hidden")]
    ):
        user = make_user(f"person{n}@example.org")
        Member.objects.create(
            user=user,
            name=f"Person {n}",
            slug=f"person-{n}",
            country=country,
            status=Member.Status.APPROVED,
            visibility=visibility,
        )
    applicant = make_user("applicant@example.org")
    Member.objects.create(
        user=applicant,
        name="Applicant",
        slug="applicant",
        country="GH",
        status=Member.Status.APPLIED,
        visibility="public",
    )
