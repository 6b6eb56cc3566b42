"""Duplicates: the same text twice, and the same wire story under other headers and trims.

Exact duplicates share the sha256 of their text; the store keeps the text once and every
outlet that ran it.

Syndicated copies are near-duplicates: word 5-shingles of the case-folded text, a 128-value
MinHash, and locality-sensitive hashing in 16 bands of 8 rows. Each band hashes to one
32-bit key; the store keeps the keys in an indexed table, so a candidate is one SQL lookup
in a store of any size, a resumed run rebuilds nothing, and memory stays flat.

What is compared, and why: outlets rerun a wire story with their own headline, dateline or
byline and cut it from the end to fit, often by a quarter or more. Over whole texts such a
copy's Jaccard similarity falls with the cut (a quarter cut: about 0.7) while what it keeps
is nearly all in the original. So the MinHash is taken over the story's lead, the shingles
of its first ``LEAD`` words, which a cut from the end leaves alone and a new dateline or
byline shifts by a few shingles only (Jaccard of the leads about 0.85-1). With 16 x 8 the
LSH S-curve crosses 1/2 near 0.71 (a pair at J = 0.85 becomes a candidate with p = 0.99, at
0.5 with p = 0.06). Each candidate is then checked on the whole texts: the share of the
shorter text's shingles found in the longer (containment) must reach ``THRESHOLD`` = 0.8,
so a story that only shares an opening sentence, or a false LSH candidate, stays apart.
Two different stories on one topic, even quoting the same sentences, stay far below.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib

import numpy as np
from datasketch import MinHash
from datasketch.minhash import _max_hash as _MAX_HASH
from datasketch.minhash import _mersenne_prime as _MERSENNE

SHINGLE = 5  # words per shingle
NUM_PERM = 128
BANDS, ROWS = 16, 8  # BANDS * ROWS == NUM_PERM
LEAD = 150  # words of the lead the MinHash is taken over
THRESHOLD = 0.8  # containment a candidate must reach to join a cluster
_WORD = re.compile(r"\w+")
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32")  # pinned: stored band keys depend on it


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def shingles(text: str) -> set[bytes]:
    """Word 5-shingles of the case-folded text (punctuation and spacing ignored), for the exact check."""
    words = _words(text)
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def _shingle_hashes(words: list[str]) -> np.ndarray:
    """A 32-bit hash per word 5-shingle, vectorised: crc32 of each word, combined positionally."""
    cache: dict[str, int] = {}
    wh = np.fromiter((cache.setdefault(w, zlib.crc32(w.encode())) for w in words), dtype=np.uint64, count=len(words))
    k = min(SHINGLE, len(words))
    h = np.zeros(len(words) - k + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(k):
            h = h * np.uint64(0x100000001B3) + wh[i : len(words) - k + 1 + i]
    return np.unique(h >> np.uint64(32))


def band_keys(text: str) -> list[int]:
    """One signed 32-bit key per LSH band (empty for a text without words). The MinHash is
    datasketch's (its affine32 permutations), computed over all shingles at once. 32 bits keep
    the band table small; a chance collision only adds a candidate, which the exact check drops."""
    words = _words(text)[:LEAD]
    if not words:
        return []
    hv = _shingle_hashes(words)
    a, b = _TEMPLATE.permutations
    with np.errstate(over="ignore"):
        values = ((np.outer(hv, a) + b) % _MERSENNE & _MAX_HASH).min(axis=0).astype(np.uint64)
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(
            values[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=4, person=b"onrecord-lsh%02d" % band
        ).digest()
        keys.append(struct.unpack("<i", digest)[0])
    return keys


def jaccard(a: set[bytes], b: set[bytes]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def containment(a: set[bytes], b: set[bytes]) -> float:
    """The share of the smaller set found in the other: 1.0 for a copy cut short."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
