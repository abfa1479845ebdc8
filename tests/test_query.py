"""The query parser: operators, filters, and malformed input repaired with a message."""

import random

import pytest

from search.query import And, Filter, Not, Or, Phrase, Word, parse, render


def test_plain_words_and_phrases():
    parsed = parse('AmpR Small "software defined"')
    assert parsed.plain and parsed.messages == []
    assert isinstance(parsed.tree, And) and parsed.tree.implicit
    assert [type(n) for n in parsed.tree.nodes] == [Word, Word, Phrase]


def test_operators_precedence_and_grouping():
    tree = parse("renault OR nissan AND NOT (geely OR volvo)").tree
    assert isinstance(tree, Or)
    left, right = tree.nodes
    assert left == Word("renault")
    assert isinstance(right, And) and not right.implicit
    assert isinstance(right.nodes[1], Not) and isinstance(right.nodes[1].node, Or)
    assert render(tree) == "renault OR (nissan AND NOT (geely OR volvo))"


def test_minus_is_not_and_lowercase_operators_are_words():
    assert isinstance(parse("renault -nissan").tree.nodes[1], Not)
    assert parse("renault and nissan").plain


def test_prefix_fuzzy_and_too_short_prefix():
    assert parse("ampr*").tree == Word("ampr*", prefix=True)
    assert parse("renualt~2").tree == Word("renualt", edits=2)
    parsed = parse("a*")
    assert parsed.tree is None or parsed.tree == Word("a")
    assert "too short a prefix" in parsed.messages[0]


def test_filters_resolve_through_the_resolver():
    def resolve(name, kinds):
        if name.lower() in ("nissan", "nissan motor"):
            return "nissan", ("Nissan",), ""
        return None, (), " (did you mean 'Nissan'?)"

    parsed = parse('company:"Nissan Motor" kind:partnerships status:in-talks', resolve)
    filters = parsed.filters
    assert [(f.field, f.value) for f in filters] == [("company", "nissan"), ("kind", "partnership"), ("status", "in-talks")]
    parsed = parse("company:nisan ceo", resolve)
    assert parsed.tree == Word("ceo")
    assert parsed.messages == ["No company is called 'nisan' (did you mean 'Nissan'?); the filter company:nisan was ignored."]


def test_bad_kind_and_unknown_field_and_empty_value():
    parsed = parse("kind:partnrship")
    assert parsed.tree is None
    assert "There is no kind 'partnrship' (did you mean 'partnership'?)" in parsed.messages[0]
    parsed = parse("compny:nissan")
    assert parsed.tree == And([Word("compny"), Word("nissan")])
    assert "'compny:' is not a field (did you mean 'company'?)" in parsed.messages[0]
    parsed = parse("company: nissan")
    assert parsed.tree == Word("nissan") and "needs a value" in parsed.messages[0]
    assert parse("https://example.com").messages == []


@pytest.mark.parametrize(("text", "tree", "message"), [
    ('"unbalanced', Word("unbalanced"), "quote mark was not closed"),
    ('renault "ampere', And([Word("renault"), Word("ampere")]), "quote mark was not closed"),
    ("(renault OR nissan", Or([Word("renault"), Word("nissan")]), "'(' was not closed"),
    ("renault)", Word("renault"), "')' without a matching '('"),
    ("AND", None, "'AND' needs something on both sides"),
    ("nissan AND", Word("nissan"), "'AND' needs something on both sides"),
    ("OR renault", Word("renault"), "'OR' needs something on both sides"),
    ("renault OR OR nissan", Or([Word("renault"), Word("nissan")]), "'OR' needs something on both sides"),
    ("NOT", None, "'NOT' needs something after it"),
    ("()", None, "Empty brackets"),
    ("the of and", None, "common words"),
])
def test_malformed_queries_are_repaired_with_a_message(text, tree, message):
    parsed = parse(text)
    assert parsed.tree == tree
    assert any(message in m for m in parsed.messages), parsed.messages


def test_random_junk_never_raises():
    rng = random.Random(7)
    alphabet = [*list('abc XYZ"()*?~:-+!&|\\/“”\x00\x1b'), "AND", "OR", "NOT", "kind:", "company:"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        parsed = parse(text)
        render(parsed.tree)


def test_control_characters_are_dropped_from_queries():
    assert parse("ren\x1b[31mault").text == "ren[31mault"


def test_filter_node_records_names():
    f = parse("company:x", lambda n, k: ("x-id", ("X Co", "Xco"), "")).tree
    assert f == Filter("company", "company", "x-id", "company:x", ("X Co", "Xco"))


@pytest.mark.parametrize("text", ["((", "( ) ( )", "a OR OR OR b", "x* y* ((("])
def test_each_note_is_said_once(text):
    messages = parse(text).messages
    assert messages and len(messages) == len(set(messages)), messages
