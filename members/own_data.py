"""A person's own data: the parts of their export, and what is knowingly left out of it.

Each app that holds something about a person adds a part of the export with `@part(key,
covers=[...])`, naming the relations it exports ("app_label.Model.field", a field that
points to the account, the member record or an event registration). `LEFT_OUT` names every
other such relation and why it is not exported. tests/members/test_own_data.py walks the
app registry: a relation to a person that is in neither fails, so a model added later is
exported, or knowingly left out, before it lands.

members imports no app that adds a part (events, resources, communications import this).
"""

from dataclasses import dataclass

# The models whose rows are a person: their account, their profile, their place at an event
# (a guest's registration is a person too; answers, surveys and certificates hang off it).
PERSON_MODELS = ["members.User", "members.Member", "events.Registration"]

# Relations to a person that are deliberately not in the person's export.
LEFT_OUT = {
    "members.AccountDeletion.requested_by": (
        "the back office's record of an account an admin deleted on someone's request: it is "
        "about the deleted person, kept as proof of their request"
    ),
    "events.Registration.registered_by": (
        "who registered someone else (event staff): the registration is that person's data "
        "and in their export; one's own registrations are exported by `user`"
    ),
    "events.Invitation.created_by": (
        "invitations event staff sent to others: each is the invited person's, who has no "
        "account to export it to"
    ),
    "events.Certificate.revoked_by": (
        "event staff revoking someone else's certificate: the certificate is its holder's "
        "and in their export"
    ),
}


@dataclass(frozen=True)
class Part:
    key: str
    covers: frozenset
    export: object


PARTS = {}


def part(key, *, covers):
    """Register `export(user) -> plain data` as the part `key` of the export; `covers` are
    the relations to a person it exports."""

    def register(export):
        PARTS[key] = Part(key, frozenset(covers), export)
        return export

    return register


def covered():
    """{relation: part key} of every relation some part exports."""
    return {relation: p.key for p in PARTS.values() for relation in p.covers}


def collect(user):
    """{part key: data} of every part, in a stable order."""
    return {key: PARTS[key].export(user) for key in sorted(PARTS)}
