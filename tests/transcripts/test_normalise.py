import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.transcripts.normalise import NotText, decode, normalise


def test_bom_crlf_and_cr_become_plain_lf():
    assert normalise("\ufeffa\r\nb\rc\n") == "a\nb\nc\n"


def test_nfc_composes_accents():
    assert normalise("Zoe\u0308") == "Zoë"


def test_cp1252_is_decoded_and_said():
    text, note = decode("“café”".encode("cp1252"))
    assert text == "“café”"
    assert "Windows-1252" in note


def test_utf16_with_bom_is_read():
    text, note = decode("\ufeffInterviewer: hello".encode("utf-16"))
    assert text.endswith("Interviewer: hello")
    assert "UTF-16" in note


@pytest.mark.parametrize("raw", [b"\x00\x01\x02binary\x00", bytes(range(1, 32)) * 10])
def test_binary_is_refused(raw):
    with pytest.raises(NotText, match="binary"):
        decode(raw)


@given(st.text())
def test_normalise_is_idempotent_and_leaves_no_cr_or_bom(text):
    once = normalise(text)
    assert normalise(once) == once
    assert "\r" not in once
    assert not once.startswith("\ufeff")
    assert unicodedata.is_normalized("NFC", once)


def test_latin1_with_bytes_cp1252_leaves_undefined():
    text, note = decode("Interviewer: caf\xe9 \x81?".encode("latin-1"))
    assert text.startswith("Interviewer: café")
    assert "ISO-8859-1" in note


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(encoding):
    text, note = decode("Interviewer: How was the week? Participant: Long.".encode(encoding))
    assert text == "Interviewer: How was the week? Participant: Long."
    assert encoding.upper() in note
