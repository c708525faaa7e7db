"""Fake resources for benchmarks (`seed_demo --resources N`)."""

from django.contrib.contenttypes.models import ContentType
from taggit.models import Tag, TaggedItem

from allin_portal.demo import TOPICS, rng
from allin_portal.models import Pathway
from resources.models import Resource

WORDS = (
    "leadership school principal learning equity evaluation program teachers policy "
    "evidence impact scale community practice system coaching reform ecosystem "
    "instructional improvement context rural urban network data"
).split()


def create_resources(count):
    random_ = rng()
    resources = []
    for n in range(1, count + 1):
        words = random_.sample(WORDS, 5)
        resources.append(
            Resource(
                title=f"Demo {' '.join(words[:3])} study {n}".capitalize(),
                slug=f"demo-resource-{n:05d}",
                type=random_.choice(Resource.Type.values),
                authors=f"Demo Author {n % 997}",
                publisher=f"Demo Press {n % 41}",
                publication_year=random_.randrange(2000, 2027),
                abstract=" ".join(random_.choices(WORDS, k=60)).capitalize() + ".",
                pathway=random_.choice(Pathway.Key.values),
                access=random_.choice(Resource.Access.values),
            )
        )
    Resource.objects.bulk_create(resources, ignore_conflicts=True, batch_size=5000)

    Tag.objects.bulk_create(
        [Tag(name=t, slug=t.replace(" ", "-")) for t in TOPICS], ignore_conflicts=True
    )
    tags = list(Tag.objects.filter(name__in=TOPICS))
    content_type = ContentType.objects.get_for_model(Resource)
    ids = Resource.objects.filter(slug__startswith="demo-resource-").values_list("pk", flat=True)
    tagged = [
        TaggedItem(content_type=content_type, object_id=pk, tag=tag)
        for pk in ids.iterator()
        for tag in random_.sample(tags, random_.randint(1, 3))
    ]
    TaggedItem.objects.bulk_create(tagged, ignore_conflicts=True, batch_size=10000)
    return len(resources)
