"""The posting lists of a search index: for every gram (a word trigram, or a pair of
neighbouring words), the passages that hold it, written as a bit set or as sorted passage
numbers, whichever is smaller. Used once, when an index is built."""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from functools import partial
from itertools import chain

from workbench.search import bitsets, indexfile
from workbench.search.folding import pair_grams, word_grams, words

LONG_LIST = 256  # passages; a word list this long gets a bit set of its own


def build_postings(folded: list[str], count: int, out: bytearray) -> tuple[list[str], list[int], list[int], int]:
    """Index folded passages by their grams, appending each gram's passages to `out`:
    (the grams, where each one's passages start in `out`, how many passages hold it, the
    count from which a gram's passages are stored as a bit set).

    A gram held by `dense_min` passages or more is stored as a bit set (count / 8 bytes),
    one held by fewer as sorted 4-byte passage numbers, whichever is smaller.
    """
    dense_min = max(1, -(-count // 32))
    by_word: defaultdict[str, array] = defaultdict(partial(array, "I"))
    by_pair: defaultdict[str, array] = defaultdict(partial(array, "I"))
    for key, text in enumerate(folded):
        sequence = words(text)
        for word in set(sequence):
            by_word[word].append(key)
        for gram in pair_grams(sequence):
            by_pair[gram].append(key)
    sources: defaultdict[str, list[array]] = defaultdict(list)
    for word, keys in by_word.items():
        for gram in dict.fromkeys(word_grams(word)):
            sources[gram].append(keys)
    for gram, keys in by_pair.items():
        sources[gram].append(keys)
    del by_word, by_pair  # each list now lives as long as a gram still to write needs it

    # A set made for a long word list serves every trigram of that word (and of the words
    # sharing it), so it is made once and kept until its last trigram is written.
    totals = {gram: sum(map(len, lists)) for gram, lists in sources.items()}
    uses = Counter(id(keys) for gram, lists in sources.items() if totals[gram] >= dense_min
                   for keys in lists if len(keys) >= LONG_LIST)
    kept: dict[int, int] = {}

    def long_list_bits(keys: array) -> int:
        uses[id(keys)] -= 1
        made = kept.pop(id(keys), None) if uses[id(keys)] == 0 else kept.get(id(keys))
        if made is None:
            made = bitsets.from_positions(keys, count)
            if uses[id(keys)]:
                kept[id(keys)] = made
        return made

    grams = sorted(sources)
    starts, dfs, base = [], [], len(out)
    for gram in grams:
        lists = sources.pop(gram)
        bits = df = 0
        if totals[gram] >= dense_min:
            short = [keys for keys in lists if len(keys) < LONG_LIST]
            for keys in lists:
                if len(keys) >= LONG_LIST:
                    bits |= long_list_bits(keys)
            if short:
                bits |= bitsets.from_positions(chain.from_iterable(short), count)
            df = bits.bit_count()
        starts.append(len(out) - base)
        if df >= dense_min:
            out.extend(bits.to_bytes(bitsets.byte_size(count), "little"))
        else:
            keys = lists[0] if len(lists) == 1 else array("I", sorted(set().union(*lists)))
            out.extend(indexfile.array_bytes(keys))
            df = len(keys)
        dfs.append(df)
    return grams, starts, dfs, dense_min
