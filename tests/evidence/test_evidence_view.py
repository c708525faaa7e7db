"""/evidence/: the map, charts and tables equal counts computed here from the database."""

import csv
import io
import re
from collections import Counter

import pytest
from django.urls import reverse

from core.countries import OECD_MEMBERS
from members.models import Member, Program
from resources.models import CaseStudy, Resource

URL = reverse("evidence:evidence")


def expected_country_counts(*, members_level):
    """Counted the slow, obvious way: Python over every row."""
    resources = Counter()
    case_studies = Counter()
    for r in Resource.objects.filter(is_published=True):
        if r.access == Resource.Access.MEMBERS and not members_level:
            continue
        for code in r.countries:
            resources[code.code] += 1
            if r.type == Resource.Type.CASE_STUDY:
                case_studies[code.code] += 1
    programs = Counter(c.code for p in Program.objects.all() for c in p.countries)
    visible = {"public", "members"} if members_level else {"public"}
    members = Counter(
        m.country.code
        for m in Member.objects.filter(status=Member.Status.APPROVED)
        if m.visibility in visible and m.country
    )
    return {
        "resources": resources,
        "case_studies": case_studies,
        "programs": programs,
        "members": members,
    }


def table_rows(html):
    """{country name: [resources, case studies, programs, members]} from the country table."""
    body = html.split('class="figures-table"')[1].split("</table>")[0]
    rows = {}
    for name, cells in re.findall(
        r'<th scope="row">([^<]+)</th><td>[^<]*</td>((?:<td class="num">\d+</td>)+)', body
    ):
        rows[name] = [int(n) for n in re.findall(r"\d+", cells)]
    return rows


def map_titles(html):
    svg = html.split('<svg class="world-map"')[1].split("</svg>")[0]
    return dict(
        (name, int(n)) for name, n in re.findall(r"<path [^>]*><title>([^<]+): (\d+)</title>", svg)
    )


@pytest.mark.parametrize("as_member", [False, True])
def test_country_figures_equal_the_database(client, spread, member_user, as_member):
    if as_member:
        client.force_login(member_user)
    html = client.get(URL).content.decode()
    expected = expected_country_counts(members_level=as_member)
    rows = table_rows(html)
    # member_user's own approved profile (Ghana, members-only) counts for members too.
    from django_countries import countries

    for code in set().union(*expected.values()):
        name = countries.name(code)
        assert rows[name] == [
            expected[m][code] for m in ("resources", "case_studies", "programs", "members")
        ], name
    assert len(rows) == len(set().union(*expected.values()))
    # The map (resources) shows the same figures in each country's <title>.
    titles = map_titles(html)
    assert titles["Ghana"] == expected["resources"]["GH"]
    assert titles["Kenya"] == expected["resources"]["KE"]
    assert titles["Brazil"] == 0


def test_members_only_records_counted_only_for_members(client, spread, member_user):
    visitor = table_rows(client.get(URL).content.decode())
    client.force_login(member_user)
    member = table_rows(client.get(URL).content.decode())
    # Ghana: 2 public records (report, case study) for visitors; + the members-only toolkit.
    assert visitor["Ghana"][0] == 2
    assert member["Ghana"][0] == 3
    assert "Peru" not in visitor
    assert member["Peru"][:2] == [1, 1]
    # Members: the public Ghana profile for visitors; + the members-only one and member_user.
    assert visitor["Ghana"][3] == 1
    assert member["Ghana"][3] == 3
    assert "Kenya" in visitor and visitor["Kenya"][3] == 0  # the hidden profile never counts


def test_topic_filter_offers_only_topics_of_records_the_user_may_count(client, spread, member_user):
    Resource.objects.get(title="Draft Kenya case study").topics.add("secret pilot")
    Resource.objects.get(title="Members-only Ghana toolkit").topics.add("curriculum")
    visitor = client.get(URL).text
    assert 'value="equity"' in visitor
    assert "secret pilot" not in visitor and 'value="curriculum"' not in visitor
    client.force_login(member_user)
    member = client.get(URL).text
    assert 'value="equity"' in member and 'value="curriculum"' in member
    assert "secret pilot" not in member  # a draft is counted in no filter


def test_draft_case_studies_only_in_the_review_chart(client, spread):
    html = client.get(URL).content.decode()
    assert table_rows(html)["Kenya"][1] == 0  # the draft is not a published case study
    status_table = html.split('id="status-heading"')[1].split("</table>")[0]
    statuses = [label for _k, label in CaseStudy.Status.choices]
    header = re.findall(r'<th scope="col" class="num">([^<]+)</th>', status_table)
    assert header == [str(s) for s in statuses]
    africa = re.search(
        r'<th scope="row">Sub-Saharan Africa</th>((?:<td class="num">\d+</td>)+)', status_table
    )
    cells = [int(n) for n in re.findall(r"\d+", africa.group(1))]
    assert cells[0] == 1  # the Kenya draft
    assert cells[4] == 1  # the published Ghana case study
    assert "Latin America" not in status_table  # the members-only Peru study: not for visitors


def test_non_oecd_share_by_year(client, spread):
    html = client.get(URL).content.decode()
    years_table = html.split('id="years-heading"')[1].split("</table>")[0]
    rows = {
        int(year): [int(n) for n in re.findall(r"\d+", cells)]
        for year, cells in re.findall(
            r'<th scope="row">(\d{4})</th>((?:<td class="num">\d+</td>)+)', years_table
        )
    }
    for year, cells in rows.items():
        public = Resource.objects.filter(is_published=True, access="public", publication_year=year)
        with_country = [r for r in public if r.countries]
        non_oecd = [r for r in with_country if any(c.code not in OECD_MEMBERS for c in r.countries)]
        assert cells[:3] == [public.count(), len(with_country), len(non_oecd)]
    assert rows[2020][:3] == [3, 3, 2]  # Kenya+US, France, the Ghana case study
    assert "Resources 2020: 67%" in html  # the chart's point says the same


def test_programs_by_region_and_format(client, spread):
    html = client.get(URL).content.decode()
    table = html.split('id="programs-heading"')[1].split("</table>")[0]
    africa = re.search(
        r'<th scope="row">Sub-Saharan Africa</th>((?:<td class="num">\d+</td>)+)', table
    )
    # in person, online, blended, not given: the blended program serves GH and NG (one
    # region); the online one has no countries, so its organization's country counts.
    assert [int(n) for n in re.findall(r"\d+", africa.group(1))] == [0, 1, 1, 0]


def test_filters_apply_to_resources_and_links_keep_them(client, spread):
    html = client.get(URL, {"pathway": "research", "show": "resources"}).content.decode()
    rows = table_rows(html)
    assert rows["Ghana"][0] == 1 and rows["France"][0] == 1
    assert rows.get("Kenya", [0])[0] == 0
    assert 'href="/resources/?country=GH&amp;pathway=research"' in html
    html = client.get(URL, {"topic": "equity"}).content.decode()
    assert table_rows(html)["Ghana"][0] == 1


def test_metric_links_work_without_javascript(client, spread):
    html = client.get(URL, {"show": "members"}).content.decode()
    assert '<a href="?show=members" aria-current="true">' in html
    assert map_titles(html)["Ghana"] == 1
    assert 'href="/members/?country=GH"' in html
    html = client.get(URL, {"show": "case_studies"}).content.decode()
    assert 'href="/resources/?country=GH&amp;type=case_study"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"show": "<script>alert(1)</script>"},
        {"pathway": "'; DROP TABLE x;--", "topic": "x" * 5000, "type": "\u212a"},
        {"topic": "<b>", "page": "-1"},
    ],
)
def test_worst_form_parameters_are_ignored(client, spread, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert b"<script>alert" not in response.content
    assert table_rows(response.content.decode())["Ghana"][0] == 2


def test_every_svg_has_a_title(client, spread):
    html = client.get(URL).content.decode()
    svgs = re.findall(r"<svg[^>]*>(.*?)</svg>", html, re.S)
    assert len(svgs) >= 4
    for svg in svgs:
        assert svg.startswith("<title"), svg[:80]


def test_only_get(client, db):
    assert client.post(URL).status_code == 405
    assert client.post(reverse("evidence:figures_csv")).status_code == 405


def test_csv_has_every_figure_and_is_formula_safe(client, spread):
    Program.objects.update(format="")
    from members.models import Organization

    Organization.objects.update(country="")
    response = client.get(reverse("evidence:figures_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["figure", "key", "label", "series", "value"]
    assert ["country", "GH", "Ghana", "Resources", "2"] in rows
    for row in rows[1:]:
        assert not any(cell[:1] in "=+-@" for cell in row), row


def test_figures_come_from_the_shared_data_cache(client, spread, django_assert_max_num_queries):
    client.get(URL)
    with django_assert_max_num_queries(4):  # session-less visitor: the tag list and blocks
        response = client.get(URL)
    assert response.status_code == 200
