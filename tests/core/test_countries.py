from core.countries import OECD_MEMBERS, Region, is_oecd, region_for
from members.models import Member
from tests.helpers import make_member


def test_the_38_oecd_members_are_data():
    assert len(OECD_MEMBERS) == 38
    assert {"US", "MX", "CO", "CR", "CL", "TR", "KR"} <= OECD_MEMBERS
    assert not {"BR", "IN", "GH", "NG", "ZA", "CN"} & OECD_MEMBERS
    assert is_oecd("fr") and not is_oecd("") and not is_oecd("KE")


def test_region_of_a_country():
    assert region_for("GH") == Region.SUB_SAHARAN_AFRICA
    assert region_for("BR") == Region.LATIN_AMERICA
    assert region_for("JO") == Region.MIDDLE_EAST_NORTH_AFRICA
    assert region_for("IN") == Region.SOUTH_ASIA
    assert region_for("") == ""


def test_region_and_oecd_are_derived_from_the_country_on_save(db):
    member = make_member("a@example.org", "Ana Costa", country="PT")
    assert (member.region, member.oecd) == (Region.EUROPE_CENTRAL_ASIA, True)
    member.country = "KE"
    member.save()
    member = Member.objects.get(pk=member.pk)
    assert (member.region, member.oecd) == (Region.SUB_SAHARAN_AFRICA, False)
