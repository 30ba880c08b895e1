"""Identifiers that look like the platforms' own: snowflake ids, hashed ids, t.co links, DIDs, TIDs and CIDs.

Every id is derived from the seed and an index or a time, never from a global random state, so the same
world always gets the same ids.
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from functools import lru_cache

import numpy as np

from .timing import date_ms

TWITTER_EPOCH_MS = 1_288_834_974_657
SNOWFLAKE_USERS_FROM_MS = date_ms("2016-01-01")  # user ids became snowflakes around then
LOW_BITS = (1 << 22) - 1
_SCRAMBLE = 0x2545F5  # odd, so multiplying by it permutes the 22 low bits
_B62 = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_BYTE_TO_B62 = bytes(_B62[b % 62] for b in range(256))  # table for bytes.translate
_B32_SORT = "234567abcdefghijklmnopqrstuvwxyz"
_B32 = "abcdefghijklmnopqrstuvwxyz234567"
_B32_PAIRS = [a + b for a in _B32 for b in _B32]  # two base32 digits for each 10-bit value
_B32_SORT_PAIRS = [a + b for a in _B32_SORT for b in _B32_SORT]


def rng_for(seed: int, *keys: int | str) -> np.random.Generator:
    """An independent random generator for one part of the simulation (``keys`` name the part)."""
    words = [seed] + [k if isinstance(k, int) else zlib.crc32(k.encode()) for k in keys]
    return np.random.default_rng(np.random.SeedSequence(words))


class IdMint:
    """Hands out unique tweet snowflake ids: creation time in the high bits, a scrambled counter below.

    Two posts can only collide if they share a millisecond and their counters differ by a multiple of 2**22;
    the simulator mints a post at most a few days of posts after another one with the same time, far fewer.
    """

    def __init__(self) -> None:
        self.counter = 0

    def mint(self, t_ms: np.ndarray) -> np.ndarray:
        """Ids for posts created at ``t_ms``."""
        n = len(t_ms)
        counters = np.arange(self.counter, self.counter + n, dtype=np.int64)
        self.counter += n
        low = (counters * _SCRAMBLE) & LOW_BITS
        return ((np.asarray(t_ms, dtype=np.int64) - TWITTER_EPOCH_MS) << 22) | low


def twitter_user_ids(created_ms: np.ndarray) -> np.ndarray:
    """Numeric user ids: snowflakes for accounts made since 2016, older ones grow with their creation date."""
    if len(created_ms) > 1 << 20:
        raise ValueError("at most 1,048,576 accounts get unique legacy ids")
    index = np.arange(len(created_ms), dtype=np.int64)
    snowflake = ((created_ms - TWITTER_EPOCH_MS) << 22) | (index & LOW_BITS)
    # 2006-07 -> 1e6, 2016-01 -> 4.7e9: a rough line through known ids, then made unique by the index
    start, end = date_ms("2006-07-01"), SNOWFLAKE_USERS_FROM_MS
    legacy = 1_000_000 + (created_ms - start) * (4_700_000_000 / (end - start))
    legacy = (legacy.astype(np.int64) >> 20 << 20) | (index & ((1 << 20) - 1))
    return np.where(created_ms >= SNOWFLAKE_USERS_FROM_MS, snowflake, legacy)


def io_hash(salt: bytes, raw_id: str) -> str:
    """The IO archives' stand-in for the id of a small account: base64 of a salted SHA-256 (44 chars)."""
    return base64.b64encode(hashlib.sha256(salt + raw_id.encode()).digest()).decode()


def tco(post_id: int, k: int) -> str:
    """The t.co short link of the ``k``-th URL of a post."""
    digest = hashlib.blake2b(f"{post_id}/{k}".encode(), digest_size=10).digest()
    return "https://t.co/" + digest.translate(_BYTE_TO_B62).decode()


def base32(data: bytes) -> str:
    """RFC 4648 base32 of ``data`` without padding, lower case (``base64.b32encode`` is slow pure Python)."""
    chars = -(-len(data) * 8 // 5)
    even = chars + chars % 2
    value = int.from_bytes(data, "big") << (even * 5 - len(data) * 8)
    return "".join([_B32_PAIRS[(value >> shift) & 1023] for shift in range(even * 5 - 10, -1, -10)])[:chars]


def did_plc(salt: bytes, index: int) -> str:
    """A ``did:plc:`` identifier (24 base32 characters)."""
    return "did:plc:" + base32(hashlib.sha256(salt + index.to_bytes(8, "big")).digest())[:24]


def tid(micros: int, clock: int) -> str:
    """An AT Protocol TID: 64 bits (time in microseconds, 10-bit clock id) in sortable base32, 13 chars."""
    value = (micros << 10) | (clock & 1023)
    return "".join([_B32_SORT_PAIRS[(value >> shift) & 1023] for shift in range(60, -1, -10)])[1:]


@lru_cache(maxsize=1 << 16)
def cid(key: str) -> str:
    """A CIDv1 (dag-cbor, sha2-256, base32) for a record named by ``key`` (cached: viral posts are cited often)."""
    return "b" + base32(b"\x01\x71\x12\x20" + hashlib.sha256(key.encode()).digest())
