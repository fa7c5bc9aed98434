"""The table index: a file read through it gives exactly the tables written, lazy ones as
their bytes; an index that does not describe the file (shifted spans, other names, another
order) is never trusted, whichever tables it gets wrong."""

from __future__ import annotations

import os

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.storage.table_index import LazyTable, index_path, read_with_index, write_with_index

NAMES = st.sampled_from(["meta", "codes", "codings:R1.q7", "codings:R2.q7", "codings:FG1", "history:000000",
                         "history:000001", "memos", 'codings:a"b', "codings:\u00e9t\u00e9"])
DOCS = st.dictionaries(st.sampled_from(["1", "2", "17"]),
                       st.dictionaries(st.sampled_from(["id", "text", "start"]),
                                       st.one_of(st.integers(-10**6, 10**6), st.text(max_size=8), st.none()), max_size=3),
                       max_size=3)
TABLES = st.dictionaries(NAMES, DOCS, max_size=8)
LAZY = ("history:",)


def plain(data: dict) -> dict:
    return {name: dict(table.docs) if isinstance(table, LazyTable) else table for name, table in data.items()}


def written(tmp_path, data: dict):
    path = tmp_path / "coder.json"
    write_with_index(path, data)
    return path, path.read_bytes()


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TABLES)
def test_what_is_read_through_the_index_is_what_was_written(tmp_path, data):
    path, raw = written(tmp_path, data)
    read = read_with_index(path, raw, LAZY)
    assert read is not None and list(read) == list(data) and plain(read) == data
    assert all(isinstance(t, LazyTable) == n.startswith(LAZY) for n, t in read.items())


def rewrite_index(path, change) -> None:
    index = orjson.loads(index_path(path).read_bytes())
    index["tables"] = change(index["tables"])
    index_path(path).write_bytes(orjson.dumps(index))


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TABLES.filter(lambda d: len(d) >= 2), st.data())
def test_an_index_that_misplaces_any_table_is_not_trusted(tmp_path, data, draw):
    path, raw = written(tmp_path, data)
    spans = orjson.loads(index_path(path).read_bytes())["tables"]
    i = draw.draw(st.integers(0, len(spans) - 2))
    how = draw.draw(st.sampled_from(["shift", "rename", "swap", "drop"]))
    if how == "shift":  # the boundary between two tables moved by a few bytes
        by = draw.draw(st.integers(-3, 3).filter(bool))
        spans[i][2] += by
        spans[i + 1][1] += by
    elif how == "rename":
        spans[i][0] = "codings:other" if spans[i][0] != "codings:other" else "codes2"
    elif how == "swap":
        spans[i][0], spans[i + 1][0] = spans[i + 1][0], spans[i][0]
    else:
        del spans[i]
    rewrite_index(path, lambda _: spans)
    read = read_with_index(path, raw, LAZY)
    assert read is None or plain(read) == data


def test_a_file_edited_behind_its_index_is_read_whole(tmp_path):
    path, raw = written(tmp_path, {"meta": {"1": {"v": 1}}, "codings:A": {"1": {"id": "x"}}})
    edited = raw.replace(b'"x"', b'"y"')
    path.write_bytes(edited)
    os.utime(path, ns=(0, orjson.loads(index_path(path).read_bytes())["mtime_ns"]))  # same size and mtime
    read = read_with_index(path, edited, LAZY)
    assert read is None or read["codings:A"]["1"]["id"] == "y"
