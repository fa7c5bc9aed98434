"""The assistant: more like this, suggested codes kept apart until accepted, codes that look
like one; deterministic, and never a network connection (issue 17)."""

import json
import socket

import pytest
from click.testing import CliRunner

from workbench.assistant.duplicates import similar_codes
from workbench.assistant.similar import SimilarFinder
from workbench.assistant.store import assistant_name, open_suggestions, settle
from workbench.assistant.suggest import suggest
from workbench.cli.main import cli


@pytest.fixture
def no_network(monkeypatch):
    """Any socket opened while the assistant runs fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("the assistant tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def run(demo, *args, coder="alex"):
    return CliRunner().invoke(cli, ["-p", str(demo.root), "--coder", coder, *args])


def test_more_like_this_ranks_passages_not_yet_coded_with_the_code(demo, no_network):
    finder = SimilarFinder(demo)
    with demo.open_coder("alex", readonly=True) as coder:
        stigma = coder.code("stigma")
        found = finder.like(coder, code_ref="stigma", limit=10)
        coded = [(c.transcript, c.start, c.end) for c in coder.codings(codes={stigma.id})]
    assert found and len(found) <= 10
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    for s in found:  # none of them overlaps a coding of the code
        p = s.passage
        assert not any(t == p.transcript and a < p.end and p.start < b for t, a, b in coded)
        assert demo.text(p.transcript)[p.start:p.end] == p.text
    again = SimilarFinder(demo).like(demo.open_coder("alex", readonly=True), code_ref="stigma", limit=10)
    assert [s.as_dict() for s in again] == [s.as_dict() for s in found]


def test_more_like_this_from_text_finds_the_passage_it_paraphrases(demo):
    finder = SimilarFinder(demo)
    target = next(p for p in finder.passages if len(p.text.split()) > 8)
    words = target.text.split()
    found = finder.rank([" ".join(words[1:-1])], limit=5)
    assert target in [s.passage for s in found]


def test_suggestions_are_kept_apart_until_accepted_and_rejections_are_remembered(demo, no_network):
    with demo.open_coder("sam", readonly=True) as coder:
        before = sorted((c.transcript, c.start, c.end, c.code) for c in coder.codings())
    found, fingerprint = suggest(demo, "sam")
    assert len(found) >= 2, "the demo's coding should give a few suggestions"
    assert all(len(s.text.split()) >= 4 for s in found)  # no fragment is proposed
    again, fingerprint_again = suggest(demo, "sam")
    assert [s.as_dict() for s in again] == [s.as_dict() for s in found] and fingerprint_again == fingerprint
    with demo.open_coder("sam", readonly=True) as coder:  # nothing landed in the coder's own file
        assert sorted((c.transcript, c.start, c.end, c.code) for c in coder.codings()) == before
    assert assistant_name("sam") in demo.coders()
    listed = open_suggestions(demo, "sam")
    assert len(listed) == len(found)
    first, second = listed[0], listed[1] if len(listed) > 1 else None
    with demo.open_coder("sam") as coder:
        made = settle(demo, coder, first["id"][:8], "accept")
        assert (made.transcript, made.start, made.end) == (first["transcript"], first["start"], first["end"])
        assert coder.history()[-1].action == "assistant.accept" and "suggestion" in coder.history()[-1].summary
        if second:
            assert settle(demo, coder, second["id"], "reject") is None
    with demo.open_coder("sam", readonly=True) as coder:
        assert len(coder.codings()) == len(before) + 1
    assert first["id"] not in {s["id"] for s in open_suggestions(demo, "sam")}
    if second:
        proposed = {(s.transcript, s.start, s.end, s.code) for s in suggest(demo, "sam")[0]}
        assert (second["transcript"], second["start"], second["end"], second["code"]) not in proposed
    # agreement between the two people is untouched by the assistant's file
    result = run(demo, "agreement", "alex", "sam", "--format", "json")
    assert result.exit_code == 0, result.output


def test_suggest_and_suggestions_from_the_shell(demo):
    result = run(demo, "suggest", "--format", "json", coder="sam")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert all(set(r) == {"transcript", "start", "end", "code", "score", "because"} for r in rows)
    listed = json.loads(run(demo, "suggestions", "--format", "json", coder="sam").stdout)
    assert len(listed) == len(rows) >= 1
    done = run(demo, "suggestions", "reject", listed[0]["id"][:8], coder="sam")
    assert done.exit_code == 0, done.output
    assert len(json.loads(run(demo, "suggestions", "--format", "json", coder="sam").stdout)) == len(rows) - 1
    one = run(demo, "suggest", "--transcript", listed[-1]["transcript"], "--format", "json", coder="sam")
    assert {r["transcript"] for r in json.loads(one.stdout)} <= {listed[-1]["transcript"]}


def test_codes_that_look_like_one(demo):
    with demo.open_coder("alex") as coder:
        coder.add_code("peer supports", parent="facilitators")
        coder.add_code("peer support", parent="facilitators")
        coder.set_code("peer support", description="Being backed by other peer workers on the ward")
        coder.set_code("peer supports", description="Other peer workers backing you up on the ward")
    with demo.open_coder("alex", readonly=True) as coder:
        pairs = similar_codes(demo, coder)
    pair = next(p for p in pairs if {p.a, p.b} == {"facilitators/peer support", "facilitators/peer supports"})
    assert any("names alike" in r for r in pair.reasons)
    shown = run(demo, "codes", "similar", "--format", "json")
    assert shown.exit_code == 0 and any({r["a"], r["b"]} == {pair.a, pair.b} for r in json.loads(shown.stdout))
