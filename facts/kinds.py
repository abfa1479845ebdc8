"""The kinds of fact, their YAML sections and fields. One table drives loading and checking."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

# Field types.
TEXT = "text"            # a string
TEXTS = "texts"          # a list of strings
REF = "ref"              # the id of another fact
REFS = "refs"            # a list of ids
CHOICE = "choice"        # one of `choices`
DATE = "date"            # a PartialDate: 2023, 2023-11, 2023-11-08, 2023-H2
NUMBER = "number"        # an int or float
VALUE = "value"          # a number or a string ("about 10,000")
BOOL = "bool"

# Fields that link a fact to other facts about the same thing (not to what it is about).
LINK_FIELDS = ("supersedes", "conflicts_with", "related")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a kind: its type, whether it is required, what it may refer to."""

    name: str
    type: str
    required: bool = False
    refs: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    min_items: int = 0
    doc: str = ""


@dataclass(frozen=True)
class KindSpec:
    """A kind of fact: its YAML section, label and fields."""

    kind: str
    section: str
    label: str
    entity: bool
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec | None:
        for spec in self.fields:
            if spec.name == name:
                return spec
        return None

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields)

    @cached_property
    def ref_fields(self) -> tuple[tuple[str, bool], ...]:
        """(name, holds a list) of each field that refers to other facts, in field order."""
        return tuple((spec.name, spec.type == REFS) for spec in self.fields if spec.type in (REF, REFS))


ENTITY_KINDS = ("company", "person", "vehicle", "platform", "technology")
NAMED_KINDS = (*ENTITY_KINDS, "partnership")  # looked up by name in `show` and the palette
ANY = ("company", "person", "role", "vehicle", "platform", "technology", "partnership",
       "stake", "figure", "goal", "plan", "event", "statement")

COMPANY_TYPES = (
    "automaker", "brand", "business-unit", "technology", "supplier", "energy", "logistics",
    "industry-body", "government", "media", "investor",
)
VEHICLE_STATUSES = ("on-sale", "announced", "planned", "rumoured", "concept", "discontinued")
PARTNERSHIP_TYPES = ("alliance", "partnership", "joint-venture", "talks", "investment", "collaboration")
PARTNERSHIP_STATUSES = ("active", "announced", "in-talks", "planned", "ended")
SEGMENTS = ("A", "B", "C", "D", "E", "F", "LCV")
CERTAINTIES = ("confirmed", "expected", "reported", "opinion")
# Kinds whose facts state something that can change (a status, stake, role, membership,
# plan or level): they are shown "as of" a date and may be superseded.
TIME_KINDS = ("company", "role", "vehicle", "platform", "partnership", "stake", "figure", "plan")

_COMMON = (
    FieldSpec("id", TEXT, required=True, doc="stable id: lower-case letters, digits and '-'"),
    FieldSpec("sources", "sources", required=True, doc="list of {article, quote[, note]}"),
    FieldSpec("note", TEXT, doc="a caveat, e.g. where the article itself is wrong"),
    FieldSpec("certainty", CHOICE, choices=CERTAINTIES,
              doc="how the article puts it: confirmed (the default), expected ('we expect', 'should'), "
                  "reported (from unnamed sources or the reporter's summary of them), opinion"),
    FieldSpec("hedged", TEXTS, doc="fields the article only expects or has from unnamed sources (shown '(unconfirmed)')"),
    FieldSpec("mentions", REFS, refs=(*ENTITY_KINDS, "partnership"), doc="other entities this fact is about"),
    FieldSpec("supersedes", REFS, refs=ANY, doc="earlier reports this one updates (both stay)"),
    FieldSpec("conflicts_with", REFS, refs=ANY, doc="reports this one disagrees with (both stay)"),
    FieldSpec("related", REFS, refs=ANY, doc="other facts worth reading with this one"),
)
_NAMED = (
    FieldSpec("name", TEXT, required=True),
    FieldSpec("aliases", TEXTS, doc="other names and spellings found in the articles"),
)


def _kind(kind: str, section: str, label: str, *fields: FieldSpec, entity: bool = False) -> KindSpec:
    named = _NAMED if (entity or kind == "partnership") else ()
    return KindSpec(kind, section, label, entity, (*_COMMON[:1], *named, *fields, *_COMMON[1:]))


KINDS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        _kind(
            "company", "companies", "Company",
            FieldSpec("type", CHOICE, required=True, choices=COMPANY_TYPES),
            FieldSpec("country", TEXT),
            FieldSpec("parent", REF, refs=("company", "partnership"), doc="owner or controlling group"),
            FieldSpec("description", TEXT),
            entity=True,
        ),
        _kind(
            "person", "people", "Person",
            FieldSpec("description", TEXT),
            entity=True,
        ),
        _kind(
            "role", "roles", "Role",
            FieldSpec("person", REF, required=True, refs=("person",)),
            FieldSpec("title", TEXT, required=True),
            FieldSpec("org", REF, required=True, refs=("company", "partnership")),
            FieldSpec("since", DATE),
            FieldSpec("until", DATE),
        ),
        _kind(
            "vehicle", "vehicles", "Vehicle",
            FieldSpec("maker", REF, required=True, refs=("company",)),
            FieldSpec("brand", REF, refs=("company",)),
            FieldSpec("segment", CHOICE, choices=SEGMENTS),
            FieldSpec("body", TEXT, doc="city car, supermini, van ..."),
            FieldSpec("platform", REF, refs=("platform",)),
            FieldSpec("powertrain", CHOICE, choices=("electric", "hybrid", "plug-in-hybrid", "combustion")),
            FieldSpec("launch", DATE),
            FieldSpec("price", TEXT),
            FieldSpec("status", CHOICE, required=True, choices=VEHICLE_STATUSES),
            FieldSpec("as_of", DATE, doc="when the article says this held, if not its own date"),
            FieldSpec("description", TEXT),
            entity=True,
        ),
        _kind(
            "platform", "platforms", "Platform",
            FieldSpec("owner", REF, required=True, refs=("company", "partnership")),
            FieldSpec("type", TEXT, doc="EV platform, architecture ..."),
            FieldSpec("launch", DATE),
            FieldSpec("status", CHOICE, choices=("in-use", "announced", "planned")),
            FieldSpec("as_of", DATE, doc="when the article says this held, if not its own date"),
            FieldSpec("description", TEXT),
            entity=True,
        ),
        _kind(
            "technology", "technologies", "Technology",
            FieldSpec("category", TEXT),
            FieldSpec("owner", REF, refs=("company", "partnership")),
            FieldSpec("description", TEXT, required=True),
            entity=True,
        ),
        _kind(
            "partnership", "partnerships", "Partnership",
            FieldSpec("type", CHOICE, required=True, choices=PARTNERSHIP_TYPES),
            FieldSpec("parties", REFS, required=True, refs=("company",), min_items=2),
            FieldSpec("covers", TEXT, required=True),
            FieldSpec("status", CHOICE, required=True, choices=PARTNERSHIP_STATUSES),
            FieldSpec("date", DATE, doc="when it began or was reported to begin"),
            FieldSpec("until", DATE, doc="when it ended"),
            FieldSpec("as_of", DATE, doc="when the article says this held, if not its own date"),
        ),
        _kind(
            "stake", "stakes", "Stake",
            FieldSpec("holder", REF, required=True, refs=("company",)),
            FieldSpec("target", REF, required=True, refs=("company",)),
            FieldSpec("percent", NUMBER),
            FieldSpec("size", TEXT, doc="when no percentage is stated: 'majority'"),
            FieldSpec("status", CHOICE, required=True, choices=("current", "planned", "proposed", "ended")),
            FieldSpec("date", DATE, doc="when it was taken, or is to be"),
            FieldSpec("until", DATE, doc="when it ended"),
            FieldSpec("as_of", DATE, doc="when the article says this held, if not its own date"),
            FieldSpec("description", TEXT),
        ),
        _kind(
            "figure", "figures", "Figure",
            FieldSpec("subject", REF, required=True, refs=NAMED_KINDS),
            FieldSpec("metric", TEXT, required=True),
            FieldSpec("value", VALUE, required=True),
            FieldSpec("unit", TEXT),
            FieldSpec("approximate", BOOL),
            FieldSpec("as_of", DATE, doc="when the figure held"),
        ),
        _kind(
            "goal", "goals", "Goal",
            FieldSpec("subject", REF, required=True, refs=NAMED_KINDS),
            FieldSpec("summary", TEXT, required=True),
            FieldSpec("value", VALUE),
            FieldSpec("unit", TEXT),
            FieldSpec("by", DATE, doc="the deadline"),
            FieldSpec("from", DATE, doc="when it starts to apply"),
        ),
        _kind(
            "plan", "plans", "Plan",
            FieldSpec("subject", REF, required=True, refs=NAMED_KINDS),
            FieldSpec("summary", TEXT, required=True),
            FieldSpec("status", CHOICE, choices=("planned", "considered", "under-way", "ruled-out", "done")),
            FieldSpec("date", DATE, doc="when it is to happen (a target) or happened"),
            FieldSpec("as_of", DATE, doc="when the article says this held, if not its own date"),
        ),
        _kind(
            "event", "events", "Event",
            FieldSpec("subject", REF, required=True, refs=NAMED_KINDS),
            FieldSpec("summary", TEXT, required=True),
            FieldSpec("date", DATE),
        ),
        _kind(
            "statement", "statements", "Statement",
            FieldSpec("speaker", REFS, required=True, refs=("person", "company", "partnership"), min_items=1,
                      doc="who said it: one id, or a list for a joint statement ([nissan, renault-group])"),
            FieldSpec("summary", TEXT, required=True),
            FieldSpec("date", DATE),
        ),
    )
}
SECTIONS: dict[str, KindSpec] = {spec.section: spec for spec in KINDS.values()}
SOURCE_FIELDS = ("article", "quote", "note")
