"""Countries as the network looks at them: OECD membership and world region (shared by all apps).

Both are data kept in the repository (`OECD_MEMBERS`, `REGION_COUNTRIES`):
the network's strategy centres non-OECD contexts, so every country-based
view can say OECD or non-OECD. Regions follow the World Bank's seven.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The 38 member countries of the OECD (as of 2026), ISO 3166-1 alpha-2.
OECD_MEMBERS = frozenset(
    "AU AT BE CA CL CO CR CZ DK EE FI FR DE GR HU IS IE IL IT JP KR LV LT LU "
    "MX NL NZ NO PL PT SK SI ES SE CH TR GB US".split()
)
assert len(OECD_MEMBERS) == 38  # noqa: S101 - a data check at import


class Region(models.TextChoices):
    EAST_ASIA_PACIFIC = "east_asia_pacific", _("East Asia and Pacific")
    EUROPE_CENTRAL_ASIA = "europe_central_asia", _("Europe and Central Asia")
    LATIN_AMERICA = "latin_america", _("Latin America and the Caribbean")
    MIDDLE_EAST_NORTH_AFRICA = "middle_east_north_africa", _("Middle East and North Africa")
    NORTH_AMERICA = "north_america", _("North America")
    SOUTH_ASIA = "south_asia", _("South Asia")
    SUB_SAHARAN_AFRICA = "sub_saharan_africa", _("Sub-Saharan Africa")


REGION_COUNTRIES = {
    Region.EAST_ASIA_PACIFIC: (
        "AS AU BN KH CN CK FJ PF GU HK ID JP KI KP KR LA MO MY MH FM MN MM NR NC NZ NU MP "
        "PW PG PH PN WS SG SB TW TH TL TK TO TV VU VN WF CX CC NF UM"
    ),
    Region.EUROPE_CENTRAL_ASIA: (
        "AL AD AM AT AZ BY BE BA BG HR CY CZ DK EE FO FI FR GE DE GI GR GL GG HU IS IE IM IT "
        "JE KZ XK KG LV LI LT LU MT MD MC ME NL MK NO PL PT RO RU SM RS SK SI ES SJ SE CH TJ "
        "TR TM UA GB UZ AX VA"
    ),
    Region.LATIN_AMERICA: (
        "AI AG AR AW BS BB BZ BO BQ BR VG KY CL CO CR CU CW DM DO EC SV FK GF GD GP GT GY HT "
        "HN JM MQ MX MS NI PA PY PE PR BL KN LC MF PM VC SX SR TT TC UY VE VI GS BV"
    ),
    Region.MIDDLE_EAST_NORTH_AFRICA: (
        "DZ BH DJ EG IR IQ IL JO KW LB LY MA OM PS QA SA SY TN AE YE EH"
    ),
    Region.NORTH_AMERICA: "BM CA US",
    Region.SOUTH_ASIA: "AF BD BT IN MV NP PK LK IO",
    Region.SUB_SAHARAN_AFRICA: (
        "AO BJ BW BF BI CV CM CF TD KM CD CG CI GQ ER SZ ET GA GM GH GN GW KE LS LR MG MW ML "
        "MR MU YT MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG UG ZM ZW"
    ),
}

COUNTRY_REGION = {}
for _region, _codes in REGION_COUNTRIES.items():
    for _code in _codes.split():
        COUNTRY_REGION.setdefault(_code, _region)


def region_for(country_code):
    """The region of an ISO 3166 alpha-2 code, or "" when unknown or empty."""
    return COUNTRY_REGION.get(str(country_code or "").upper(), "")


def is_oecd(country_code):
    return str(country_code or "").upper() in OECD_MEMBERS
