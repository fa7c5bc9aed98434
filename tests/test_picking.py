"""The ranking every picker shares (workbench.picking)."""

from hypothesis import given, strategies as st

from workbench.picking import DEFINITION, EXACT, FUZZY, PATH, PREFIX, SUBSTRING, WORDS, rank, rank_one, same_name

BOOK = [
    ("barriers", ""),
    ("barriers/hostility from staff", "Hostile attitudes or acts of staff"),
    ("barriers/hostility from staff/dismissive remarks", "a remark that belittles (see stigma)"),
    ("barriers/hostility from staff/stigma", "being treated as a patient"),
    ("barriers/unclear role", ""),
    ("barriers/unclear role/extra pair of hands", "used as cover for missing staff"),
    ("facilitators/defined role/clear tasks", ""),
    ("facilitators/dropping in", ""),
]


def order(query):
    return [BOOK[r.index][0] for r in rank(query, BOOK)]


def test_a_phrase_no_code_is_close_to_matches_nothing_rather_than_the_nearest_fuzzy_hit():
    assert "barriers/unclear role/extra pair of hands" not in order("dropping out of study")
    assert [r.tier for r in rank("dropping out of study", BOOK)] == [FUZZY]  # "dropping in": never exact


def test_exact_prefix_substring_then_fuzzy_then_parents_path_then_definition():
    assert rank_one("stigma", "barriers/hostility from staff/stigma")[0] == EXACT
    assert rank_one("hostil", "barriers/hostility from staff")[0] == PREFIX
    assert rank_one("from staff", "barriers/hostility from staff")[0] == SUBSTRING
    assert rank_one("hostility stigma", "barriers/hostility from staff/stigma")[0] == WORDS
    assert rank_one("hostilty frm staff", "barriers/hostility from staff")[0] == FUZZY
    assert rank_one("hostility", "barriers/hostility from staff/stigma")[0] == PATH
    assert rank_one("patient", "barriers/hostility from staff/stigma", "being treated as a patient")[0] == DEFINITION


def test_typing_parent_and_leaf_words_puts_the_leaf_above_its_parent():
    found = order("hostility stigma")
    assert found.index("barriers/hostility from staff/stigma") < found.index("barriers/hostility from staff")


def test_a_leaf_name_match_beats_a_match_on_the_parents_path():
    found = order("role")
    assert found[0] == "barriers/unclear role"
    assert found.index("barriers/unclear role") < found.index("barriers/unclear role/extra pair of hands")


def test_a_code_whose_name_is_in_another_codes_definition_still_comes_first():
    assert order("stigma")[0] == "barriers/hostility from staff/stigma"


def test_exact_ignores_case_and_spacing_and_accepts_the_whole_path():
    assert same_name("  Unclear   ROLE ", "barriers/unclear role")
    assert same_name("barriers / unclear role", "barriers/unclear role")
    assert same_name("barriers unclear role", "barriers/unclear role")
    assert not same_name("unclear", "barriers/unclear role")
    assert not same_name("", "barriers")


def test_an_empty_query_keeps_the_given_order():
    assert order("") == [p for p, _ in BOOK]


@given(st.text(min_size=1, max_size=12), st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=6))
def test_an_exact_name_is_always_ranked_first(name, others):
    entries = [(f"parent/{o}", "") for o in others] + [(f"somewhere/{name}", "")]
    if not name.split() or "/" in name:
        return
    found = rank(name, entries)
    assert found and found[0].tier == EXACT
    assert entries[found[0].index][0].rsplit("/", 1)[-1].casefold().split() == name.casefold().split()


@given(st.text(max_size=10), st.lists(st.tuples(st.text(max_size=15), st.text(max_size=15)), max_size=8))
def test_tiers_never_go_backwards(query, entries):
    found = rank(query, entries)
    assert [r.tier for r in found] == sorted(r.tier for r in found)
    assert len({r.index for r in found}) == len(found)
