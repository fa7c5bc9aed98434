"""Synthetic interview transcripts with the shape of real ones, from a seeded generator.

Words follow a Zipf-like law (frequency of the word of rank r proportional to 1/r, the
shape Zipf observed in natural text), the most common ranks being English function words
and the rest pronounceable made-up words, so the text has the repetition and spread of
speech without depending on any corpus. Turns alternate `Interviewer:` (short, often a
question) and `Participant:` (longer, several sentences), one paragraph each, separated
by blank lines, as in the bundled sample transcripts.
"""

from __future__ import annotations

import itertools
import random

COMMON_WORDS = (
    "the I and to a of that it was you in we my they so just like but is for with on "
    "what me be not there have at all this about he she them were do would because one "
    "think know really people when had if go get more things or as time then out some "
    "can from our how your who been thing us going ward feel felt work staff want back "
    "said something even lot much team first yeah well good got very would could help "
    "patients peer support nurse role day other see way made make only still lived "
    "experience say sometimes never always week month know someone meeting manager"
).split()
ONSETS = ("b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w",
          "br", "ch", "cl", "cr", "dr", "fl", "gr", "pl", "pr", "sh", "sl", "st", "th", "tr")
VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ee", "io", "ou", "oo")
CODAS = ("", "", "n", "r", "s", "t", "l", "m", "nd", "nt", "st", "ck", "ng", "rd", "ss")
ZIPF_EXPONENT = 1.0
QUESTION_OPENERS = ("Can you tell me about", "How did you feel about", "What happened with",
                    "Could you say more about", "Why do you think", "When did you first notice")


def make_vocabulary(rng: random.Random, size: int) -> list[str]:
    """`size` distinct words, most frequent first."""
    words = list(dict.fromkeys(COMMON_WORDS))
    seen = set(words)
    while len(words) < size:
        syllables = rng.choice((1, 2, 2, 2, 3, 3, 4))
        word = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(syllables)) + rng.choice(CODAS)
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class InterviewWriter:
    def __init__(self, seed: int, vocabulary_size: int):
        self.rng = random.Random(seed)
        self.words = make_vocabulary(self.rng, vocabulary_size)
        self.cum_weights = list(itertools.accumulate(1 / rank ** ZIPF_EXPONENT for rank in range(1, vocabulary_size + 1)))

    def sentence(self, mean_words: float) -> str:
        rng = self.rng
        length = max(2, min(60, int(rng.lognormvariate(0, 0.6) * mean_words)))
        words = rng.choices(self.words, cum_weights=self.cum_weights, k=length)
        for i in range(3, length - 2, rng.randint(5, 12)):  # a comma every so often
            words[i] += ","
        words[0] = words[0][:1].upper() + words[0][1:]
        return " ".join(words) + rng.choice((".", ".", ".", ".", ".", "?", "!"))

    def question(self) -> str:
        rng = self.rng
        words = rng.choices(self.words, cum_weights=self.cum_weights, k=rng.randint(2, 9))
        return f"{rng.choice(QUESTION_OPENERS)} {' '.join(words)}?"

    def interviewer_turn(self) -> str:
        parts = [self.sentence(8)] if self.rng.random() < 0.4 else []
        parts.append(self.question())
        return " ".join(parts)

    def participant_turn(self) -> str:
        count = max(1, int(self.rng.expovariate(1 / 2.0)) + 1)
        return " ".join(self.sentence(13) for _ in range(count))

    def transcript(self, target_chars: int) -> str:
        """Alternating turns, one paragraph each, until the text reaches `target_chars`."""
        paragraphs, size = [], 0
        while size < target_chars:
            for role, turn in (("Interviewer", self.interviewer_turn), ("Participant", self.participant_turn)):
                paragraph = f"{role}: {turn()}"
                paragraphs.append(paragraph)
                size += len(paragraph) + 2
        return "\n\n".join(paragraphs) + "\n"
