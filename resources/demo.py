"""Fake resources for benchmarks (`seed_demo --resources N`): every facet field filled,
search vectors computed by one SQL UPDATE after the bulk insert."""

import datetime

from django.contrib.contenttypes.models import ContentType
from taggit.models import Tag, TaggedItem

from core.countries import is_oecd, region_for
from core.demo import TOPICS, rng
from resources.models import Pathway, Resource

WORDS = (
    "leadership school principal learning equity evaluation program teachers policy "
    "evidence impact scale community practice system coaching reform ecosystem "
    "instructional improvement context rural urban network data evaluación liderazgo "
    "éducation apprentissage mentoring trust curriculum assessment inclusion wellbeing"
).split()
COUNTRIES = "GH KE NG ZA QA AE EG IN PK BD GB FR ES US CA MX BR CO CL AU NZ FI SG VN ID".split()
LANGUAGES = ["en"] * 6 + ["fr", "es", "ar"]


def create_resources(count):
    from resources.services import update_search_vectors

    random_ = rng()
    resources = []
    for n in range(1, count + 1):
        words = random_.sample(WORDS, 5)
        codes = sorted(set(random_.sample(COUNTRIES, random_.choice((0, 1, 1, 2, 3)))))
        oecd = {is_oecd(c) for c in codes}
        year = random_.randrange(2000, 2027)
        resources.append(
            Resource(
                title=f"Demo {' '.join(words[:3])} study {n}".capitalize(),
                slug=f"demo-resource-{n:05d}",
                type=random_.choice(Resource.Type.values),
                authors=f"Demo Author {n % 997}; Demo Writer {n % 313}",
                publisher=f"Demo Press {n % 41}",
                publication_year=year,
                publication_date=datetime.date(
                    year, random_.randint(1, 12), random_.randint(1, 28)
                ),
                abstract=" ".join(random_.choices(WORDS, k=60)).capitalize() + ".",
                language=random_.choice(LANGUAGES),
                pathway=random_.choice(Pathway.Key.values),
                access=random_.choice(Resource.Access.values),
                countries=codes,
                country_codes=codes,
                regions=sorted({region_for(c) for c in codes} - {""}),
                oecd_coverage=(
                    ""
                    if not oecd
                    else "both"
                    if len(oecd) == 2
                    else "oecd"
                    if True in oecd
                    else "non_oecd"
                ),
            )
        )
    Resource.objects.bulk_create(resources, ignore_conflicts=True, batch_size=5000)

    Tag.objects.bulk_create(
        [Tag(name=t, slug=t.replace(" ", "-")) for t in TOPICS], ignore_conflicts=True
    )
    tags = list(Tag.objects.filter(name__in=TOPICS))
    content_type = ContentType.objects.get_for_model(Resource)
    # Only the records this run added (no vector yet): a second run keeps the others as
    # they are, and recomputing 50,000 vectors took minutes on a busy machine.
    ids = list(
        Resource.objects.filter(
            slug__startswith="demo-resource-", search_vector__isnull=True
        ).values_list("pk", flat=True)
    )
    tagged = [
        TaggedItem(content_type=content_type, object_id=pk, tag=tag)
        for pk in ids
        for tag in random_.sample(tags, random_.randint(1, 3))
    ]
    TaggedItem.objects.bulk_create(tagged, ignore_conflicts=True, batch_size=10000)
    if ids:
        update_search_vectors(ids=ids)
    return len(resources)
