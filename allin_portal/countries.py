"""Country data shared by the apps: OECD membership and world regions, as plain data.

`is_oecd("FR")` and `region("GH")` answer from ISO 3166-1 alpha-2 codes.
"""

from django.utils.translation import gettext_lazy as _

# The 38 OECD member countries (2026).
OECD_MEMBERS = frozenset(
    "AU AT BE CA CL CO CR CZ DK EE FI FR DE GR HU IS IE IL IT JP KR LV LT LU MX "
    "NL NZ NO PL PT SK SI ES SE CH TR GB US".split()
)

REGIONS = {
    "africa": _("Sub-Saharan Africa"),
    "mena": _("Middle East and North Africa"),
    "europe": _("Europe and Central Asia"),
    "south_asia": _("South Asia"),
    "east_asia": _("East Asia and Pacific"),
    "latin_america": _("Latin America and the Caribbean"),
    "north_america": _("North America"),
}

_REGION_CODES = {
    "africa": "AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW KE KM LR LS MG ML MR "
    "MU MW MZ NA NE NG RW SC SD SL SN SO SS ST SZ TD TG TZ UG ZA ZM ZW",
    "mena": "AE BH DZ EG IL IQ IR JO KW LB LY MA OM PS QA SA SY TN YE",
    "europe": "AD AL AM AT AZ BA BE BG BY CH CY CZ DE DK EE ES FI FR GB GE GR HR HU IE IS IT KG "
    "KZ LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SK SM TJ TM TR UA UZ XK",
    "south_asia": "AF BD BT IN LK MV NP PK",
    "east_asia": "AU BN CN FJ HK ID JP KH KI KP KR LA MH MM MN MO MY NR NZ PG PH PW SB SG TH TL "
    "TO TV TW VN VU WS",
    "latin_america": "AG AR BB BO BR BS BZ CL CO CR CU DM DO EC GD GT GY HN HT JM KN LC MX NI PA "
    "PE PR PY SR SV TT UY VC VE",
    "north_america": "BM CA US",
}
REGION_OF = {code: key for key, codes in _REGION_CODES.items() for code in codes.split()}


def is_oecd(code):
    return str(code).upper() in OECD_MEMBERS


def region(code):
    """The region key of a country code, or "" when unknown."""
    return REGION_OF.get(str(code).upper(), "")
