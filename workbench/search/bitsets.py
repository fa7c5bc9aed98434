"""Sets of passages as Python integers (bit i is passage i), and sums of them by the bit.

CPython's big-integer `&`, `|`, `^` and `bit_count` run in C over machine words, so a set of
150,000 passages is combined with another in about a microsecond. A weighted count of how
of the query's grams each passage holds is kept *bit-sliced*: `planes[b]` holds bit b of
every passage's sum, so adding a set to the sums costs a few big-integer operations
whatever the number of passages in it.
"""

from __future__ import annotations

from collections.abc import Iterable

_MASKS = tuple(1 << bit for bit in range(8))
_BITS = tuple(tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256))


def byte_size(size: int) -> int:
    return (size + 7) // 8


def from_positions(positions: Iterable[int], size: int) -> int:
    """The set of `positions`, each in range(size) (IndexError past the end)."""
    packed = bytearray(byte_size(size))
    masks = _MASKS
    for position in positions:
        packed[position >> 3] |= masks[position & 7]
    return int.from_bytes(packed, "little")


def positions(bits: int, size: int) -> list[int]:
    """The members of a set, in increasing order."""
    table = _BITS
    return [at * 8 + bit for at, byte in enumerate(bits.to_bytes(byte_size(size), "little")) if byte
            for bit in table[byte]]


def lowest(bits: int, count: int, size: int) -> int:
    """The `count` smallest members of `bits` (all of them if it has no more)."""
    if count <= 0:
        return 0
    if bits.bit_count() <= count:
        return bits
    low, high = 0, size  # the prefix of length `high` holds at least `count` members
    while high - low > 1:
        middle = (low + high) // 2
        if (bits & ((1 << middle) - 1)).bit_count() >= count:
            high = middle
        else:
            low = middle
    return bits & ((1 << high) - 1)


def add(planes: list[int], bits: int, weight: int) -> None:
    """Add `weight` to the sum of every member of `bits`."""
    level = 0
    while weight:
        if weight & 1:
            planes.extend([0] * (level - len(planes)))
            carry, at = bits, level
            while carry:
                if at == len(planes):
                    planes.append(carry)
                    break
                plane = planes[at]
                planes[at] = plane ^ carry
                carry &= plane
                at += 1
        weight >>= 1
        level += 1


def at_least(planes: list[int], threshold: int, within: int) -> int:
    """The members of `within` whose sum is `threshold` or more."""
    if threshold <= 0:
        return within
    if threshold >> len(planes):
        return 0
    greater, equal = 0, within
    for level in range(len(planes) - 1, -1, -1):
        plane = planes[level]
        if threshold >> level & 1:
            equal &= plane
        else:
            above = equal & plane
            greater |= above
            equal ^= above
    return greater | equal


def best(planes: list[int], within: int, count: int, size: int) -> int:
    """`count` members of `within` with the highest sums (sum 0 never), the smallest keys
    first among those tied at the cut."""
    anything = at_least(planes, 1, within)
    if anything.bit_count() <= count:
        return anything
    low, high = 1, 1 << len(planes)  # more than `count` reach `low`; `count` or fewer reach `high`
    while high - low > 1:
        middle = (low + high) // 2
        if at_least(planes, middle, within).bit_count() <= count:
            high = middle
        else:
            low = middle
    chosen = at_least(planes, high, within)
    tied = at_least(planes, low, within) ^ chosen
    return chosen | lowest(tied, count - chosen.bit_count(), size)
