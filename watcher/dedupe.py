"""Near-duplicate reports: a MinHash signature per report, LSH bands in an indexed table.

The same article turns up as the newspaper page, the 人大 site's copy, a repost under another
headline, an excerpt. ``signature`` is a pure function of a report's text (computed with the
rest of extraction); ``link`` runs at commit, inside the report's insert transaction: it looks
up reports sharing an LSH band through the ``report_bands`` index (cost set by the few reports
sharing a band, not by the size of the corpus), checks each candidate's signature, and points
every copy at the most complete report of the group (``reports.duplicate_of``).

Banding: 64 bands of 3 rows over 192 permutations of 5-character shingles. Two texts whose
shingle sets overlap with Jaccard J share a band with probability 1 - (1 - J³)⁶⁴: 0.83 at
J = 0.3, 0.99 at 0.45, 0.0001 at 0.013 (the mean between unrelated reports of the genre).
An excerpt holding a share s of a longer report has J ≈ s, so excerpts from about 40% of the
original up are found reliably; candidates are then accepted on containment, not Jaccard.

Reprocess deletes a document's reports and stores them again under the same ids (``release``,
then ``link``). A report that comes back with the same signature, organ and year takes back its
place in its group without the band lookup (whose cost grows with the number of copies sharing
its bands) and keeps its band rows; only a group's canonical report costs a pass over its group,
once when it leaves and once when it comes back.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from functools import lru_cache

import numpy as np

from schema.models import Report, Signature
from watcher.extract.facts import simplified

SHINGLE = 5
NUM_PERM = 192
BANDS = 64
ROWS = NUM_PERM // BANDS
SEED = 20261123
# A copy: at least this share of the shorter report's shingles is in the longer one.
MIN_CONTAINMENT = 0.8
# Reports shorter than this (in shingles) are too short to call copies of anything.
MIN_SHINGLES = 40

# Punctuation, spaces, line breaks and script differ between copies of one article (full- vs half-width
# marks, hard wraps); only letters, digits and CJK characters make shingles.
_NOT_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=1)
def _hash_parameters() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fixed by SEED: one odd multiplier per shingle position, and the permutations' a (odd) and b."""

    gen = np.random.RandomState(SEED)
    positions = gen.randint(0, 1 << 62, SHINGLE, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint64).astype(np.uint32)
    return positions, a, b


def compact(text: str) -> str:
    """The Simplified text's letters, digits and CJK characters, so a Traditional-character copy
    matches its original."""
    return _NOT_WORD.sub("", simplified(text))


def shingles(text: str) -> set[str]:
    letters = compact(text)
    if len(letters) < SHINGLE:
        return {letters} if letters else set()
    return {letters[i : i + SHINGLE] for i in range(len(letters) - SHINGLE + 1)}


@lru_cache(maxsize=1)
def _is_letter() -> np.ndarray:
    """What ``_NOT_WORD`` keeps (``str.isalnum``), as a table over the Basic Multilingual Plane."""

    return np.fromiter((chr(c).isalnum() for c in range(0x10000)), dtype=bool, count=0x10000)


def letter_codes(text: str) -> np.ndarray:
    """The code points of ``compact(text)``, picked out by table rather than by a regex."""

    codes = np.frombuffer(simplified(text).encode("utf-32-le", "surrogatepass"), dtype="<u4")
    keep = _is_letter()[np.minimum(codes, 0xFFFF)]
    for at in np.flatnonzero(codes > 0xFFFF):  # the rare character beyond the table
        keep[at] = chr(codes[at]).isalnum()
    return codes[keep]


def _fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer: every input bit moves every output bit."""

    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xC4CEB9FE1A85EC53)
    h ^= h >> np.uint64(33)
    return h


def shingle_hashes(text: str) -> np.ndarray:
    """A 64-bit hash of each distinct shingle, sorted: the code points of the shingle's five
    characters times fixed odd multipliers, summed (mod 2^64) and mixed. Computed over the whole
    text at once rather than shingle by shingle; two shingles share a hash with odds of 2^-64."""

    points = letter_codes(text).astype(np.uint64)
    if len(points) == 0:
        return np.empty(0, dtype=np.uint64)
    if len(points) < SHINGLE:  # one shingle, the whole text (code point 0 is never a letter)
        points = np.concatenate([points, np.zeros(SHINGLE - len(points), dtype=np.uint64)])
    multipliers = _hash_parameters()[0]
    count = len(points) - SHINGLE + 1
    h = points[:count] * multipliers[0]
    for k in range(1, SHINGLE):
        h += points[k : k + count] * multipliers[k]
    h = np.sort(_fmix64(h))  # sorting and dropping repeats costs a quarter of np.unique here
    return h[np.concatenate(([True], h[1:] != h[:-1]))]


def signature(text: str, block: int = 4096) -> Signature:
    """The report's similarity signature: a function of its text alone (prepare side).

    MinHash with affine permutations of 32 bits (a·h + b mod 2^32, ``a`` odd, so each is a
    bijection) over the top 32 bits of each shingle's hash, taken ``block`` shingles at a time
    to bound memory on long reports."""

    hashes = shingle_hashes(text)
    _, a, b = _hash_parameters()
    minimum = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    top = (hashes >> np.uint64(32)).astype(np.uint32)
    a, b = a[:, None], b[:, None]  # a permutation per row: each row's minimum is over contiguous memory
    for start in range(0, len(top), block):
        values = a * top[None, start : start + block]
        values += b
        np.minimum(minimum, values.min(axis=1), out=minimum)
    return Signature(shingles=len(hashes), minhash=minimum.tolist(), bands=_band_keys(minimum))


def band_keys(sig: Signature) -> list[int]:
    """One 63-bit key per band: the band's number and its rows, hashed (SQLite INTEGER sized)."""
    return sig.bands or _band_keys(sig.minhash)


def _band_keys(values) -> list[int]:
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(
            band.to_bytes(2, "little") + _packed(values[band * ROWS : (band + 1) * ROWS]), digest_size=8
        ).digest()
        keys.append(int.from_bytes(digest, "little") >> 1)
    return keys


def _packed(values) -> bytes:
    """MinHash values as stored: little-endian uint32."""
    return np.asarray(values, dtype="<u4").tobytes()


def _unpacked(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4")


def jaccard(a, b) -> float:
    """Estimated Jaccard similarity: the share of permutations whose minimum agrees."""
    return float(np.count_nonzero(np.asarray(a) == np.asarray(b))) / len(a)


def containment(j: float, size: int, other: int) -> float:
    """Share of a set of ``size`` shingles found in one of ``other``, from their Jaccard estimate."""
    if size == 0:
        return 0.0
    return min(1.0, j * (size + other) / ((1 + j) * size))


def _same_organ(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a in b or b in a


def _compatible(a: dict, b: dict) -> bool:
    """Copies report the same organ and year wherever both are known."""
    if a["year"] is not None and b["year"] is not None and a["year"] != b["year"]:
        return False
    return _same_organ(a["organ"], b["organ"])


def _load(conn: sqlite3.Connection, ids) -> dict[int, dict]:
    ids = list(ids)
    if not ids:
        return {}
    rows = conn.execute(
        "SELECT r.id, r.duplicate_of, r.organ, coalesce(r.year, r.period_end), s.shingles, s.minhash "
        f"FROM reports r JOIN report_signatures s ON s.report_id = r.id WHERE r.id IN ({','.join('?' * len(ids))})",
        ids,
    )
    return {
        row[0]: {
            "id": row[0], "duplicate_of": row[1], "organ": row[2], "year": row[3], "shingles": row[4],
            "minhash": _unpacked(row[5]),
        }
        for row in rows
    }


def link(conn: sqlite3.Connection, report_id: int, report: Report, sig: Signature | None = None) -> int | None:
    """Store the report's signature and bands, link it with its copies; returns its canonical
    report's id (None when it is canonical itself). Runs inside the caller's transaction."""
    sig = sig or signature(report.text)
    keys = band_keys(sig)
    minhash = np.asarray(sig.minhash, dtype="<u4")
    noted = _noted(conn, report_id)
    if noted is None:
        _drop_bands(conn, [report_id])
    elif noted["minhash"] != _packed(minhash):
        _delete_bands(conn, [(report_id, noted["minhash"])])
    if noted is None or noted["minhash"] != _packed(minhash):  # else its bands are still there
        conn.executemany(
            "INSERT OR IGNORE INTO report_bands (key, report_id) VALUES (?, ?)", [(k, report_id) for k in keys]
        )
    conn.execute(
        "INSERT OR REPLACE INTO report_signatures (report_id, shingles, minhash) VALUES (?, ?, ?)",
        (report_id, sig.shingles, _packed(minhash)),
    )
    if sig.shingles < MIN_SHINGLES:
        return None
    new = {"id": report_id, "duplicate_of": None, "organ": report.organ,
           "year": report.year if report.year is not None else report.period_end,
           "shingles": sig.shingles, "minhash": minhash}
    rejoined = _rejoin(conn, new, keys, noted)
    if rejoined is not _LOOK_UP:
        return rejoined
    # Reports sharing a band, long enough and of a year that can match, in one query: a family of
    # near-identical reports of other years (templates) shares bands without being copies.
    candidates = conn.execute(
        "SELECT r.id, coalesce(r.duplicate_of, r.id) FROM reports r JOIN report_signatures s ON s.report_id = r.id "
        f"WHERE r.id IN (SELECT report_id FROM report_bands WHERE key IN ({','.join('?' * len(keys))})) "
        "AND r.id != ? AND s.shingles >= ? AND (? IS NULL OR coalesce(r.year, r.period_end) IS NULL "
        "OR coalesce(r.year, r.period_end) = ?) "
        "AND (? IS NULL OR r.organ IS NULL OR instr(r.organ, ?) > 0 OR instr(?, r.organ) > 0)",  # _compatible
        [*keys, report_id, MIN_SHINGLES, new["year"], new["year"], new["organ"], new["organ"], new["organ"]],
    ).fetchall()
    by_root: dict[int, list[int]] = {}
    for candidate, root in candidates:
        by_root.setdefault(root, []).append(candidate)
    roots, loaded = set(), {}
    for root, ids in by_root.items():
        # The group's canonical report first: a copy of one member is almost always a copy of it,
        # so the members' signatures are read only when it does not match.
        for chunk in ([root] if root in ids else [], [i for i in ids if i != root]):
            found = _load(conn, chunk)
            loaded.update(found)
            if any(_matches(new, other) for other in found.values()):
                roots.add(root)
                break
    if not roots:
        return None
    if len(roots) == 1:
        (root,) = roots
        canonical = loaded.get(root) or _load(conn, [root])[root]
        if _rank(canonical) > _rank(new):
            # The usual case: one more copy of a group whose canonical report stays. Only the new
            # report's row changes, so the cost does not grow with the number of copies.
            _point(conn, new, canonical)
            return root
    members = set(roots) | {report_id}
    marks = ",".join("?" * len(roots))
    members |= {r[0] for r in conn.execute(f"SELECT id FROM reports WHERE duplicate_of IN ({marks})", list(roots))}
    return _elect(conn, _load(conn, members - {report_id}) | {report_id: new})


def _matches(new: dict, other: dict) -> bool:
    """Whether one of the two holds the other (containment of the shorter in the longer)."""
    if not _compatible(new, other):
        return False
    small, large = sorted((new["shingles"], other["shingles"]))
    return containment(jaccard(new["minhash"], other["minhash"]), small, large) >= MIN_CONTAINMENT


def _elect(conn: sqlite3.Connection, group: dict[int, dict]) -> int | None:
    """The most complete report (most shingles; the earliest on a tie) becomes canonical,
    every other member points to it with the share of its text found there. The members'
    signatures are compared with the canonical one's in one array operation."""
    canonical = max(group.values(), key=_rank)
    conn.execute("UPDATE reports SET duplicate_of = NULL, similarity = NULL WHERE id = ?", (canonical["id"],))
    members = [member for member in group.values() if member is not canonical]
    if members:
        agree = (np.stack([m["minhash"] for m in members]) == canonical["minhash"]).sum(axis=1).tolist()
        conn.executemany(
            "UPDATE reports SET duplicate_of = ?, similarity = ? WHERE id = ?",
            [(canonical["id"], _share(count, member, canonical), member["id"]) for count, member in zip(agree, members)],
        )
    return canonical["id"] if len(group) > 1 else None


def _rank(report: dict) -> tuple[int, int]:
    """The most complete report (most shingles; the earliest on a tie) ranks first."""
    return report["shingles"], -report["id"]


def _point(conn: sqlite3.Connection, member: dict, canonical: dict) -> None:
    """Make ``member`` a copy of ``canonical``, with the share of its text found there."""
    agree = int(np.count_nonzero(member["minhash"] == canonical["minhash"]))
    conn.execute(
        "UPDATE reports SET duplicate_of = ?, similarity = ? WHERE id = ?",
        (canonical["id"], _share(agree, member, canonical), member["id"]),
    )


def _share(agree: int, member: dict, canonical: dict) -> float:
    """The share of the member's text found in the canonical report, from the number of
    permutations whose minimum agrees (``jaccard``), to three places."""
    j = float(agree) / len(canonical["minhash"])
    return round(containment(j, member["shingles"], canonical["shingles"]), 3)


def release(conn: sqlite3.Connection, document_id: str) -> None:
    """Before a document's reports are deleted: drop their signatures, give each group they led a
    new canonical report among the copies that remain, and note where each report stood
    (``_rejoin``) so one that comes back unchanged under its id returns to its group directly."""
    settle(conn)
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_RELEASED} ({_RELEASED_COLUMNS})")
    leaving = {
        row[0]: row for row in conn.execute(
            "SELECT r.id, r.duplicate_of, r.organ, coalesce(r.year, r.period_end), s.shingles, s.minhash "
            "FROM reports r LEFT JOIN report_signatures s ON s.report_id = r.id WHERE r.document_id = ?",
            (document_id,),
        )
    }
    if not leaving:
        return
    marks = ",".join("?" * len(leaving))
    led: dict[int, list[int]] = {}
    for member, canonical in conn.execute(
        f"SELECT id, duplicate_of FROM reports WHERE duplicate_of IN ({marks})", list(leaving)
    ).fetchall():
        led.setdefault(canonical, [])
        if member not in leaving:
            led[canonical].append(member)
    # Each group keeps its copies that stay; the leaving reports' rows are deleted together,
    # those pointing at each other included.
    successor = {canonical: _elect(conn, _load(conn, members)) or members[0]
                 for canonical, members in led.items() if members}
    noted = []
    for report_id, canonical, organ, year, shingles, minhash in leaving.values():
        if minhash is None:
            continue
        rejoin = True
        if canonical is not None:
            root = successor.get(canonical, canonical)
        elif report_id in successor:
            root = successor[report_id]
        elif report_id in led:
            root, rejoin = None, False  # its whole group leaves with it: found again by the band lookup
        else:
            root = None  # alone
        noted.append((report_id, rejoin, root, organ, year, shingles, minhash))
    # Their bands stay until they are stored again (unchanged, they are kept) or ``settle``.
    conn.executemany(f"INSERT INTO {_RELEASED} VALUES (?, ?, ?, ?, ?, ?, ?)", noted)
    conn.execute(f"DELETE FROM report_signatures WHERE report_id IN ({marks})", list(leaving))


# Where the reports of the last ``release`` stood: connection-local scratch (a TEMP table, so it
# rolls back with the file's savepoint). A row goes when its report is stored again; ``settle``
# takes the rest, with their bands.
_RELEASED = "temp.dedupe_released"
_RELEASED_COLUMNS = (
    "report_id INTEGER PRIMARY KEY, rejoin INTEGER, root INTEGER, organ TEXT, year INTEGER, shingles INTEGER, "
    "minhash BLOB"
)
_LOOK_UP = object()


def settle(conn: sqlite3.Connection) -> None:
    """After a document's reports are stored (and before the next release): the bands of released
    reports that did not come back are deleted."""
    try:
        gone = conn.execute(f"SELECT report_id, minhash FROM {_RELEASED}").fetchall()
    except sqlite3.OperationalError:  # nothing released on this connection yet
        return
    _delete_bands(conn, gone)
    conn.execute(f"DELETE FROM {_RELEASED}")


def _noted(conn: sqlite3.Connection, report_id: int) -> dict | None:
    """What ``release`` noted of a report stored again, taken from the notes."""
    try:
        row = conn.execute(
            f"SELECT rejoin, root, organ, year, shingles, minhash FROM {_RELEASED} WHERE report_id = ?", (report_id,)
        ).fetchone()
    except sqlite3.OperationalError:  # nothing released on this connection yet
        return None
    if row is None:
        return None
    conn.execute(f"DELETE FROM {_RELEASED} WHERE report_id = ?", (report_id,))
    return dict(zip(("rejoin", "root", "organ", "year", "shingles", "minhash"), row))


def _rejoin(conn: sqlite3.Connection, new: dict, keys: list[int], noted: dict | None):
    """A report released just before and stored again unchanged (same id, signature, organ and
    year) takes back its place without the band lookup, whose cost grows with the number of
    copies sharing its bands: alone it stays alone; a copy points again at its group's
    canonical report; a canonical report takes its group back from the successor it was given.
    Holds when the group's canonical report is still canonical, shares a band with it and matches
    it, which is what the band lookup would find first. Anything else, and every report stored
    after such a lookup (which may have changed what the others would find), goes the long way:
    returns ``_LOOK_UP``."""
    if (
        noted is None
        or not noted["rejoin"]
        or (noted["organ"], noted["year"], noted["shingles"]) != (new["organ"], new["year"], new["shingles"])
        or noted["minhash"] != _packed(new["minhash"])
    ):
        _no_rejoining(conn)
        return _LOOK_UP
    root = noted["root"]
    if root is None:
        return None
    canonical = _load(conn, [root]).get(root)
    if canonical is not None and canonical["duplicate_of"] is not None:  # its group has been taken over since
        root = canonical["duplicate_of"]
        canonical = _load(conn, [root]).get(root)
    shares_band = canonical is not None and conn.execute(
        f"SELECT 1 FROM report_bands WHERE report_id = ? AND key IN ({','.join('?' * len(keys))}) LIMIT 1",
        [root, *keys],
    ).fetchone()
    if not shares_band or canonical["duplicate_of"] is not None or not _matches(new, canonical):
        _no_rejoining(conn)
        return _LOOK_UP
    if _rank(canonical) > _rank(new):
        _point(conn, new, canonical)
        return root
    members = [r[0] for r in conn.execute("SELECT id FROM reports WHERE duplicate_of = ?", (root,))]
    return _elect(conn, _load(conn, [root, *members]) | {new["id"]: new})


def _no_rejoining(conn: sqlite3.Connection) -> None:
    try:
        conn.execute(f"UPDATE {_RELEASED} SET rejoin = 0")
    except sqlite3.OperationalError:
        pass


def _drop_bands(conn: sqlite3.Connection, report_ids: list[int]) -> None:
    """Delete the reports' bands. The table is indexed by key only (a second index on report_id
    would double its size), so the keys are computed again from the stored signatures."""
    marks = ",".join("?" * len(report_ids))
    _delete_bands(conn, conn.execute(
        f"SELECT report_id, minhash FROM report_signatures WHERE report_id IN ({marks})", report_ids
    ))


def _delete_bands(conn: sqlite3.Connection, signatures) -> None:
    """Delete the bands of (report id, packed minhash) pairs."""
    conn.executemany(
        "DELETE FROM report_bands WHERE key = ? AND report_id = ?",
        [(key, report_id) for report_id, minhash in signatures for key in _band_keys(_unpacked(minhash))],
    )
