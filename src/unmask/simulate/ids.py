"""Identifiers that look like the platforms' own: snowflake ids, hashed ids, t.co links, DIDs, TIDs and CIDs.

Every id is derived from the seed and an index or a time, never from a global random state, so the same
world always gets the same ids.
"""

from __future__ import annotations

import base64
import hashlib
import zlib

import numpy as np

from .timing import date_ms

TWITTER_EPOCH_MS = 1_288_834_974_657
SNOWFLAKE_USERS_FROM_MS = date_ms("2016-01-01")  # user ids became snowflakes around then
LOW_BITS = (1 << 22) - 1
_SCRAMBLE = 0x2545F5  # odd, so multiplying by it permutes the 22 low bits
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_B32_SORT = "234567abcdefghijklmnopqrstuvwxyz"


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
    value = int.from_bytes(hashlib.blake2b(f"{post_id}/{k}".encode(), digest_size=8).digest(), "big")
    chars = []
    for _ in range(10):
        value, rest = divmod(value, 62)
        chars.append(_B62[rest])
    return "https://t.co/" + "".join(chars)


def did_plc(salt: bytes, index: int) -> str:
    """A ``did:plc:`` identifier (24 base32 characters)."""
    digest = hashlib.sha256(salt + index.to_bytes(8, "big")).digest()
    return "did:plc:" + base64.b32encode(digest).decode().lower()[:24]


def tid(micros: int, clock: int) -> str:
    """An AT Protocol TID: 64 bits (time in microseconds, 10-bit clock id) in sortable base32, 13 chars."""
    value = (micros << 10) | (clock & 1023)
    return "".join(_B32_SORT[(value >> (5 * (12 - i))) & 31] for i in range(13))


def cid(key: str) -> str:
    """A CIDv1 (dag-cbor, sha2-256, base32) for a record named by ``key``."""
    digest = hashlib.sha256(key.encode()).digest()
    return "b" + base64.b32encode(b"\x01\x71\x12\x20" + digest).decode().lower().rstrip("=")
