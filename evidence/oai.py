"""OAI-PMH 2.0 (https://www.openarchives.org/OAI/openarchivesprotocol.html) for the public
library: published public resources, case studies included, as Dublin Core (oai_dc).

Sets: `type:<type>` and `pathway:<pathway>`. Lists come in pages of PAGE_SIZE records
with a signed resumption token that carries the last (datestamp, id) seen, so page 100
costs what page 1 does (keyset pagination, no OFFSET).
"""

import datetime
import re
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_countries import countries as country_names

from core.params import parse_id
from resources.citations import split_authors
from resources.models import Pathway, Resource
from resources.search import TOPICS

PAGE_SIZE = 500
TOKEN_SALT = "evidence.oai"  # noqa: S105 - a signing namespace, not a secret
TOKEN_MAX_AGE = 24 * 3600
DC_TYPES = {
    Resource.Type.RECORDING: "MovingImage",
    Resource.Type.DATASET: "Dataset",
}
VERBS = {
    # verb: (required, optional) arguments besides the exclusive resumptionToken
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}),
}
LISTS = {"ListIdentifiers", "ListRecords", "ListSets"}
# Characters XML 1.0 refuses, even escaped.
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class OAIError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def text(value):
    return escape(INVALID_XML.sub("", str(value)))


def repository_id():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def identifier_for(resource):
    return f"oai:{repository_id()}:resource/{resource.pk}"


def datestamp(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def records():
    """Everything the repository exposes: what a visitor may see in full."""
    return Resource.objects.visible_to(AnonymousUser())


def sets():
    yield from ((f"type:{k}", label) for k, label in Resource.Type.choices)
    yield from ((f"pathway:{k}", label) for k, label in Pathway.Key.choices)


def parse_date(value, name, *, end):
    for fmt, granularity in (("%Y-%m-%dT%H:%M:%SZ", "seconds"), ("%Y-%m-%d", "day")):
        try:
            moment = datetime.datetime.strptime(value, fmt).replace(tzinfo=datetime.UTC)
        except ValueError:
            continue
        if granularity == "day" and end:
            moment += datetime.timedelta(days=1) - datetime.timedelta(microseconds=1)
        elif granularity == "seconds" and end:
            moment += datetime.timedelta(seconds=1) - datetime.timedelta(microseconds=1)
        return moment, granularity
    raise OAIError("badArgument", f"{name} is not a UTC date or date-time: {value}")


def read_arguments(params):
    for key in params:
        if len(params.getlist(key)) > 1:
            raise OAIError("badArgument", f"The argument {key} is repeated.")
    verb = params.get("verb", "")
    if verb not in VERBS:
        raise OAIError("badVerb", "Missing or unknown verb.")
    args = {k: v for k, v in params.items() if k != "verb"}
    required, optional = VERBS[verb]
    if "resumptionToken" in args:
        if verb not in LISTS:
            raise OAIError("badArgument", "resumptionToken is not an argument of this verb.")
        if len(args) > 1:
            raise OAIError("badArgument", "resumptionToken is an exclusive argument.")
        return verb, args
    unknown = set(args) - required - optional
    if unknown:
        raise OAIError("badArgument", f"Unknown arguments: {', '.join(sorted(unknown))}.")
    missing = required - set(args)
    if missing:
        raise OAIError("badArgument", f"Missing arguments: {', '.join(sorted(missing))}.")
    return verb, args


def check_prefix(prefix):
    if prefix != "oai_dc":
        raise OAIError("cannotDisseminateFormat", f"The metadata format {prefix} is not offered.")


def get_record(identifier):
    prefix = f"oai:{repository_id()}:resource/"
    pk = identifier[len(prefix) :] if identifier.startswith(prefix) else ""
    pk = parse_id(pk)
    resource = records().filter(pk=pk).prefetch_related(TOPICS).first() if pk is not None else None
    if resource is None:
        raise OAIError("idDoesNotExist", f"No record {identifier}.")
    return resource


def header(resource):
    specs = [f"type:{resource.type}"]
    if resource.pathway:
        specs.append(f"pathway:{resource.pathway}")
    return (
        f"<header><identifier>{text(identifier_for(resource))}</identifier>"
        f"<datestamp>{datestamp(resource.updated_at)}</datestamp>"
        + "".join(f"<setSpec>{text(s)}</setSpec>" for s in specs)
        + "</header>"
    )


def dublin_core(resource, base_url):
    fields = [("title", resource.title)]
    fields += [("creator", author) for author in split_authors(resource)]
    fields += [("subject", topic.name) for topic in getattr(resource, "topic_list", [])]
    if resource.abstract:
        fields.append(("description", resource.abstract))
    if resource.publisher:
        fields.append(("publisher", resource.publisher))
    if resource.publication_date:
        fields.append(("date", resource.publication_date.isoformat()))
    elif resource.publication_year:
        fields.append(("date", resource.publication_year))
    fields.append(("type", DC_TYPES.get(resource.type, "Text")))
    fields.append(("type", resource.get_type_display()))
    fields.append(("identifier", base_url + resource.get_absolute_url()))
    if resource.doi:
        fields.append(("identifier", f"https://doi.org/{resource.doi}"))
    if resource.url:
        fields.append(("relation", resource.url))
    if resource.language:
        fields.append(("language", resource.language))
    fields += [("coverage", country_names.name(code) or code) for code in resource.country_codes]
    body = "".join(f"<dc:{name}>{text(value)}</dc:{name}>" for name, value in fields)
    return (
        '<metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ '
        'http://www.openarchives.org/OAI/2.0/oai_dc.xsd">' + body + "</oai_dc:dc></metadata>"
    )


def list_state(verb, args):
    """The list's parameters and position: from the token, or fresh from the arguments."""
    if "resumptionToken" in args:
        try:
            state = signing.loads(args["resumptionToken"], salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        except signing.BadSignature:
            raise OAIError(
                "badResumptionToken", "The resumption token is invalid or expired."
            ) from None
        if state.get("verb") != verb:
            raise OAIError("badResumptionToken", "The resumption token is for another verb.")
        return state
    check_prefix(args["metadataPrefix"])
    state = {"verb": verb, "set": args.get("set", ""), "cursor": 0, "after": None}
    granularities = set()
    for name, end in (("from", False), ("until", True)):
        if name in args:
            moment, granularity = parse_date(args[name], name, end=end)
            granularities.add(granularity)
            state[name] = moment.isoformat()
    if len(granularities) > 1:
        raise OAIError("badArgument", "from and until must have the same granularity.")
    if "from" in state and "until" in state and state["from"] > state["until"]:
        raise OAIError("badArgument", "from is later than until.")
    if state["set"] and state["set"] not in dict(sets()):
        raise OAIError("badArgument", f"No set {state['set']}.")
    return state


def filtered(state):
    queryset = records()
    spec = state.get("set", "")
    if spec.startswith("type:"):
        queryset = queryset.filter(type=spec[5:])
    elif spec.startswith("pathway:"):
        queryset = queryset.filter(pathway=spec[8:])
    if state.get("from"):
        queryset = queryset.filter(updated_at__gte=datetime.datetime.fromisoformat(state["from"]))
    if state.get("until"):
        queryset = queryset.filter(updated_at__lte=datetime.datetime.fromisoformat(state["until"]))
    return queryset


def list_records(verb, args, base_url):
    state = list_state(verb, args)
    queryset = filtered(state)
    page = queryset
    if state["after"]:
        moment, pk = datetime.datetime.fromisoformat(state["after"][0]), state["after"][1]
        page = page.filter(updated_at__gt=moment) | page.filter(updated_at=moment, pk__gt=pk)
    page = page.order_by("updated_at", "pk")
    if verb == "ListRecords":
        page = page.defer("file_text", "search_vector").prefetch_related(TOPICS)
    else:
        page = page.only("pk", "type", "pathway", "updated_at")
    rows = list(page[: PAGE_SIZE + 1])
    if not rows and state["cursor"] == 0:
        raise OAIError("noRecordsMatch", "No records match these arguments.")
    more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    parts = []
    for resource in rows:
        if verb == "ListRecords":
            parts.append(f"<record>{header(resource)}{dublin_core(resource, base_url)}</record>")
        else:
            parts.append(header(resource))
    if more or state["cursor"]:
        size = queryset.count()
        token = ""
        if more:
            last = rows[-1]
            token = signing.dumps(
                {
                    **state,
                    "cursor": state["cursor"] + len(rows),
                    "after": [last.updated_at.isoformat(), last.pk],
                },
                salt=TOKEN_SALT,
                compress=True,
            )
        parts.append(
            f'<resumptionToken completeListSize="{size}" cursor="{state["cursor"]}">'
            f"{text(token)}</resumptionToken>"
        )
    return "".join(parts)


def identify(base_url):
    earliest = records().order_by("updated_at").values_list("updated_at", flat=True).first()
    return (
        "<repositoryName>ALL-IN resource library</repositoryName>"
        f"<baseURL>{text(base_url)}/oai</baseURL>"
        "<protocolVersion>2.0</protocolVersion>"
        f"<adminEmail>{text(settings.OAI_ADMIN_EMAIL)}</adminEmail>"
        f"<earliestDatestamp>{datestamp(earliest or timezone.now())}</earliestDatestamp>"
        "<deletedRecord>no</deletedRecord>"
        "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>"
        "<description><oai-identifier "
        'xmlns="http://www.openarchives.org/OAI/2.0/oai-identifier" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai-identifier '
        'http://www.openarchives.org/OAI/2.0/oai-identifier.xsd">'
        "<scheme>oai</scheme>"
        f"<repositoryIdentifier>{text(repository_id())}</repositoryIdentifier>"
        "<delimiter>:</delimiter>"
        f"<sampleIdentifier>oai:{text(repository_id())}:resource/1</sampleIdentifier>"
        "</oai-identifier></description>"
    )


def metadata_formats(args):
    if "identifier" in args:
        get_record(args["identifier"])
    return (
        "<metadataFormat><metadataPrefix>oai_dc</metadataPrefix>"
        "<schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</schema>"
        "<metadataNamespace>http://www.openarchives.org/OAI/2.0/oai_dc/</metadataNamespace>"
        "</metadataFormat>"
    )


def respond(verb, args, base_url):
    if verb == "Identify":
        return identify(base_url)
    if verb == "ListMetadataFormats":
        return metadata_formats(args)
    if verb == "ListSets":
        if "resumptionToken" in args:
            raise OAIError("badResumptionToken", "ListSets has a single page.")
        return "".join(
            f"<set><setSpec>{text(spec)}</setSpec><setName>{text(name)}</setName></set>"
            for spec, name in sets()
        )
    if verb == "GetRecord":
        check_prefix(args["metadataPrefix"])
        resource = get_record(args["identifier"])
        return f"<record>{header(resource)}{dublin_core(resource, base_url)}</record>"
    return list_records(verb, args, base_url)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request):
    """The protocol's one URL; arguments by GET query or POST form."""
    params = request.POST if request.method == "POST" else request.GET
    base_url = settings.SITE_URL
    verb, args, body, error = "", {}, "", None
    try:
        verb, args = read_arguments(params)
        body = f"<{verb}>{respond(verb, args, base_url)}</{verb}>"
    except OAIError as exc:
        error = exc
    # The request element echoes the arguments, except after badVerb / badArgument.
    attributes = ""
    if error is None or error.code not in ("badVerb", "badArgument"):
        pairs = {"verb": verb, **args}
        attributes = "".join(f" {k}={quoteattr(INVALID_XML.sub('', v))}" for k, v in pairs.items())
    if error is not None:
        body = f'<error code="{error.code}">{text(error.message)}</error>'
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ '
        'http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">'
        f"<responseDate>{datestamp(timezone.now())}</responseDate>"
        f"<request{attributes}>{text(base_url)}/oai</request>{body}</OAI-PMH>"
    )
    return HttpResponse(xml, content_type="text/xml; charset=utf-8")
