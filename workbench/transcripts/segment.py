"""Speaker turns and sentences of a normalised transcript, as code-point spans.

A turn starts at a line that opens with a speaker label: `Interviewer:`, `P1:`, `Dan:`,
`Max Bigman:`, `**Interviewer:**`, `[id1]`, optionally with a timestamp before or after the
name (`[00:01:23] Dan:`, `Dan (00:01:23):`), which stays out of the speaker's name; or a
line holding only a capitalised name and a timestamp (`Jane Doe  0:03`, as Otter and Zoom
write them), the turn's text following on the next lines. Any
other line (a hard-wrapped one) continues the current turn. A label that is not a known
role (`Interviewer`, `P3`) and that neither recurs nor opens a paragraph opens a turn when
it has the shape of the transcript's recurring labels (Chitra, who speaks once among
`Moderator:`, `Anna:` and `Ben:`: form, bold, timestamps, indentation, gap, the case of each
word), unless it is a common sentence opener ("Anyway: ...") or the line before it ends
mid-sentence where the text's hard wrapping would have broken it ("...we always met on a" /
"Tuesday: it rained"). Every step is linear in the text's length.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

TIMESTAMP = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
STAMP = re.compile(TIMESTAMP)
LABEL = re.compile(
    rf"""^[ \t]*
    (?:[\[(]?{TIMESTAMP}[\])]?[ \t]*(?:-[ \t]*)?)?           # a timestamp before the name
    (?:
        \[(?P<tag>[^\]\n:]{{1,30}})\](?:[ \t]+{TIMESTAMP}(?=[ \t]*$))?  # [id1], or Zoom's [Jane Doe] 10:03:15
      |
        (?:\*\*|__)?(?P<name>[^\W_][\w.'’\- ]{{0,38}}?)(?:\*\*|__)?  # Name, maybe in bold
        [ \t]*(?:[\[(]{TIMESTAMP}[\])]|{TIMESTAMP})?[ \t]*      # a timestamp after the name
        (?:\*\*|__)?(?:(?P<wide>：)|:)(?:\*\*|__)?   # or the full-width colon of CJK text
      |
        (?P<stamped>[^\W_][\w.'’\- ]{{0,38}}?)[ \t]+[\[(]?{TIMESTAMP}[\])]?[ \t]*$  # Otter, Zoom: `Jane Doe  0:03`
    )
    (?(wide)|(?=[ \t]|$))""",  # after `：` the words may follow at once, as CJK text writes them
    re.VERBOSE | re.MULTILINE,
)
NOT_SPEAKERS = {
    "inaudible", "unintelligible", "crosstalk", "laughs", "laughter", "laughing", "pause", "silence",
    "music", "applause", "sighs", "coughs", "break", "end", "note", "notes", "transcript", "interview",
    "date", "time", "location", "duration", "re", "subject", "http", "https", "e.g", "i.e",
}
# `host`, `co-host`: Zoom's meeting roles, the interviewer's (moderator's) in a recorded interview
INTERVIEWER_LABELS = re.compile(r"^(interviewer|int|iv|i|q|moderator|facilitator|researcher|interviewer ?\d+"
                                r"|host|co-?host|co host"
                                r"|主持人|访谈者|采访者|访问者|研究者|司会|司会者|聞き手|インタビュアー|사회자|진행자|면담자)$")
PARTICIPANT_LABELS = re.compile(
    r"^(participant|respondent|interviewee|r|a|p|client|patient|participant ?\d+|respondent ?\d+|p ?\d+|id ?\d+|r ?\d+)$"
)
# Words that open an ordinary sentence with a colon ("Anyway: ..."): a speaker only if they recur.
NOT_ONE_OFF_SPEAKERS = {
    "anyway", "example", "examples", "question", "questions", "answer", "so", "well", "and", "but", "or",
    "yes", "yeah", "no", "ok", "okay", "update", "summary", "edit", "warning", "tip", "important", "remember",
    "reason", "problem", "result", "results", "conclusion", "quote", "definition", "step", "source", "ps",
    "nb", "fyi", "also", "plus", "first", "second", "third", "finally", "then", "now", "basically",
    "honestly", "again", "like", "right", "because", "meaning", "point", "rule", "thing", "story", "lesson",
}
ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "prof", "st", "vs", "etc", "e.g", "i.e", "approx", "no", "jr", "sr", "mt"}
TURN_END = re.compile(r"""[.!?…:;\-—–)\]"'”’。！？]$""")  # what a line ending a turn ends with
# Western full stops end a sentence before white space; CJK ones (。！？) need none after them.
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|[。！？]+[」』”’）)]*|\n[ \t]*\n")


class Turn(NamedTuple):  # tuples: a large project loads hundreds of thousands of these
    index: int
    speaker: str | None
    role: str  # "interviewer" | "participant"
    start: int  # the spoken text, after the label
    end: int
    label_start: int


class Sentence(NamedTuple):
    turn: int
    start: int
    end: int


@dataclass(slots=True)
class Segmentation:
    turns: list[Turn]
    sentences: list[Sentence]

    def to_dict(self) -> dict:
        return {
            "turns": [[t.index, t.speaker, t.role, t.start, t.end, t.label_start] for t in self.turns],
            "sentences": [[s.turn, s.start, s.end] for s in self.sentences],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Segmentation":
        return cls(list(map(Turn._make, data["turns"])), list(map(Sentence._make, data["sentences"])))

    def turn_at(self, offset: int) -> Turn | None:
        return _span_at(self.turns, offset)

    def sentence_at(self, offset: int) -> Sentence | None:
        return _span_at(self.sentences, offset)


def _span_at(spans, offset: int):
    """The span holding `offset`, or the nearest one before it (spans are sorted)."""
    lo, hi = 0, len(spans)
    while lo < hi:
        mid = (lo + hi) // 2
        if spans[mid].start <= offset:
            lo = mid + 1
        else:
            hi = mid
    if lo == 0:
        return spans[0] if spans else None
    return spans[lo - 1]


def speaker_name(match: re.Match) -> str:
    return (match["tag"] or match["name"] or match["stamped"]).strip()


def is_plausible_name(name: str) -> bool:
    words = name.split()
    return (
        0 < len(words) <= 4
        and name.casefold().rstrip(".") not in NOT_SPEAKERS
        and not name.endswith((".", "-"))
        and not re.fullmatch(r"[\d.:\s]+", name)
    )


def label_shape(match: re.Match) -> tuple:
    """What a label looks like, apart from the name it gives: its form (`Name:`, `[tag]`, a
    name alone with a timestamp), bold, timestamps before and after the name, indentation,
    a wide gap after it, and the case of each word of the name (`Ben` and `Chitra` share a
    shape; `The thing is` does not)."""
    group = "tag" if match["tag"] else "name" if match["name"] else "stamped"
    label, text = match.group(), match.string
    head, tail = label[:match.start(group) - match.start()], label[match.end(group) - match.start():]
    after = text[match.end():match.end() + 2]
    return (
        group,
        "**" in label or "__" in label,
        bool(STAMP.search(head)),
        bool(STAMP.search(tail)),
        label[:1] in (" ", "\t"),
        None if after[:1] in ("\n", "") else after[:1] == "\t" or after == "  ",  # None: nothing follows
        tuple(_word_shape(w) for w in speaker_name(match).split()),
    )


def _word_shape(word: str) -> str:
    """`U` Capitalised, `C` CAPITALS, `l` lower, `o` other, `#` with digits (`P1`); `d` a number.
    A word of a script without case (李华, محمد) is written as a name is: `U`."""
    first, letters = word[0], [c for c in word if c.isalpha()]
    if first.isdigit():
        return "d"
    if first.isupper():
        case = "C" if len(letters) > 1 and all(c.isupper() for c in letters) else "U"
    elif first.islower():
        case = "l"
    else:
        case = "U" if first.isalpha() else "o"
    return case + ("#" if any(c.isdigit() for c in word) else "")


def find_labels(text: str) -> list[re.Match]:
    """Line-start labels that name a speaker: a name that recurs, a known role (`Interviewer`,
    `P3`), a label that opens a paragraph, or one of the same shape as the recurring ones
    (Chitra, who speaks once among Anna and Ben). Linear in the text's length."""
    candidates = [m for m in LABEL.finditer(text) if is_plausible_name(speaker_name(m))
                  and (not m["stamped"] or all(w[0].isupper() or w[0].isdigit() for w in m["stamped"].split()))]
    names = [speaker_name(m).casefold() for m in candidates]
    first_text = len(text) - len(text.lstrip())  # labels before it open the text
    opens = [m.start() <= first_text or text.endswith("\n\n", max(0, m.start() - 2), m.start()) for m in candidates]
    seen: dict[tuple[str, str], tuple] = {}  # labels repeat word for word: one shape each

    def shape(m: re.Match) -> tuple:
        key = (m.group(), text[m.end():m.end() + 2])
        if key not in seen:
            seen[key] = label_shape(m)
        return seen[key]

    # a name recurs when it does so as a label of one look (not `**Priya:**`, then `asked\nPriya:`)
    keys = [(name, shape(m)[:5]) for m, name in zip(candidates, names)]
    counts = Counter(keys)
    # lower-case words ("is:", "thing is:") recurring only inside paragraphs are wrapped text
    named = {name for m, name, o in zip(candidates, names, opens)
             if o or not speaker_name(m)[:1].islower() or any(c.isdigit() for c in name)}
    known = [bool(INTERVIEWER_LABELS.match(name) or PARTICIPANT_LABELS.match(name))
             or counts[key] >= 2 and name in named for name, key in zip(names, keys)]
    shapes = {shape(m) for m, k in zip(candidates, known) if k}
    gapless = {s[:5] + s[6:] for s in shapes}  # a label with nothing after it has any gap
    loose = {s[:5] + s[6:] for s in shapes if s[5] is None}
    width: list[int] = []  # the text's wrapping width, measured once if a one-off needs it
    first_known = next((m.start() for m, k, o in zip(candidates, known, opens) if k or o), len(text))

    def one_off_speaker(m: re.Match, name: str) -> bool:
        if name in NOT_ONE_OFF_SPEAKERS or not _no_sentence_end(name):
            return False
        own = shape(m)
        if not (own in shapes or own[:5] + own[6:] in (gapless if own[5] is None else loose)):
            return False
        if not m["name"] or m.start() < first_known:
            return True  # `[tag]`, a name alone with its timestamp, a label after the heading: no wrapped turn
        if not width:
            width.append(wrap_width(text, {c.start(): c for c in candidates}))
        return not _wrapped_onto(text, m.start(), width[0])

    return [m for m, name, is_known, opening in zip(candidates, names, known, opens)
            if is_known or opening or one_off_speaker(m, name)]


def _no_sentence_end(name: str) -> bool:
    """`Mr. Tyeri`, `J. Smith`, but not `Okay. Tuesday` (a sentence, then a colon phrase)."""
    return all(w.rstrip(".") in ABBREVIATIONS or len(w) == 2 for w in name.split()[:-1] if w.endswith("."))


def wrap_width(text: str, labels: dict[int, re.Match]) -> int:
    """The width a hard-wrapped text was wrapped to: the length (95th percentile) of the lines
    that the next line continues (one that could not be a label); 0 when no line is
    continued (each line a whole turn) or too few are to tell."""
    lengths, pos = [], 0
    lines = text.split("\n")
    for line, following in zip(lines, lines[1:]):
        after = pos + len(line) + 1
        label = labels.get(pos)
        if line.strip() and following.strip() and after not in labels and not (label and not line[label.end() - pos:].strip()):
            lengths.append(len(line.rstrip()))
        pos = after
    lengths.sort()
    return lengths[int(len(lengths) * 0.95)] if len(lengths) >= 3 else 0


def _wrapped_onto(text: str, line_start: int, width: int) -> bool:
    """Whether the line at `line_start` reads as the wrapped rest of the line before: that
    line ends mid-sentence, and this line's first word would not have fitted on it."""
    before = text[text.rfind("\n", 0, line_start - 1) + 1:line_start - 1].rstrip()
    if not before or TURN_END.search(before):
        return False
    words = text[line_start:line_start + 60].split(None, 1)
    return 0 < width < len(before) + 1 + (len(words[0]) if words else 0)


def segment(text: str, participant: str | None = None, interviewer: str | None = None) -> Segmentation:
    labels = find_labels(text)
    raw_turns: list[tuple[str | None, int, int, int]] = []  # speaker, label_start, text_start, text_end
    if labels:
        if text[: labels[0].start()].strip():
            raw_turns.append((None, 0, 0, labels[0].start()))
        for i, m in enumerate(labels):
            end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
            raw_turns.append((speaker_name(m), m.start(), m.end(), end))
    else:
        for para in re.finditer(r"\S(?:.|\n(?![ \t]*\n))*", text):
            raw_turns.append((None, para.start(), para.start(), para.end()))
    roles = assign_roles(text, raw_turns, participant, interviewer)
    turns: list[Turn] = []
    for speaker, label_start, start, end in raw_turns:
        start, end = _strip(text, start, end)
        if start >= end and speaker is None:
            continue
        turns.append(Turn(len(turns), speaker, roles.get(speaker, "participant"), start, max(start, end), label_start))
    sentences = [s for t in turns for s in split_sentences(text, t)]
    return Segmentation(turns, sentences)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def assign_roles(text: str, raw_turns, participant: str | None, interviewer: str | None) -> dict:
    """Which speakers are interviewers: by their label, by the interviewer's recorded name,
    else the speaker who asks the most questions when nobody is labelled interviewer."""
    roles: dict[str | None, str] = {None: "participant"}
    speakers = {s for s, *_ in raw_turns if s is not None}
    interviewer_names = {w.casefold() for w in (interviewer or "").replace(",", " ").split()}
    for s in speakers:
        key = s.casefold()
        if INTERVIEWER_LABELS.match(key) or (interviewer_names and key.split()[0] in interviewer_names):
            roles[s] = "interviewer"
        elif PARTICIPANT_LABELS.match(key) or (participant and key == participant.casefold()):
            roles[s] = "participant"
    if "interviewer" not in roles.values():
        unknown = [s for s in speakers if s not in roles]
        if len(unknown) == 1 and "participant" in (roles[s] for s in speakers if s in roles):
            roles[unknown[0]] = "interviewer"  # `Participant:` beside one other voice: `Dan:`
        elif unknown:
            ratios = question_ratios(text, raw_turns)
            ranked = sorted(ratios, key=ratios.get, reverse=True)
            runner_up = ratios[ranked[1]] if len(ranked) > 1 else 0.0
            if ranked and ranked[0] in unknown and ratios[ranked[0]] >= 0.2 and ratios[ranked[0]] >= 1.5 * runner_up:
                roles[ranked[0]] = "interviewer"
    for s in speakers:
        roles.setdefault(s, "participant")
    return roles


def question_ratios(text: str, raw_turns) -> dict[str, float]:
    """For each speaker with two turns or more, the share of their turns that ask something."""
    asked, turns_by = Counter(), Counter()
    for speaker, _, start, end in raw_turns:
        if speaker is not None:
            turns_by[speaker] += 1
            asked[speaker] += "?" in text[start:end]
    return {s: asked[s] / n for s, n in turns_by.items() if n >= 2}


def split_sentences(text: str, turn: Turn) -> list[Sentence]:
    sentences = []
    start = turn.start
    for m in SENTENCE_END.finditer(text, turn.start, turn.end):
        if m.group().strip() and _ends_abbreviation(text, turn.start, m.start()):
            continue
        s, e = _strip(text, start, m.end())
        if s < e:
            sentences.append(Sentence(turn.index, s, e))
        start = m.end()
    s, e = _strip(text, start, turn.end)
    if s < e:
        sentences.append(Sentence(turn.index, s, e))
    return sentences


def _ends_abbreviation(text: str, floor: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = re.search(r"([\w.]+)$", text[max(floor, dot - 12):dot])
    return bool(word) and (word.group(1).casefold() in ABBREVIATIONS or len(word.group(1)) == 1 and word.group(1).isupper())
