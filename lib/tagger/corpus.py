"""The labelled review corpus and its frozen train/test split.

The corpus is `corpus/reviews/bNN_*.txt`, written by hand for this tagger in
batches (one batch per product type or theme). A data line is
`codes | text`, codes comma-separated from CODES or `-` for a review that
names no cause; lines starting with `#` are comments. A review's id is its
batch and its number among the batch's data lines (`b03:017`), so batches are
append-only: a new review goes at the end of a batch or into a new batch.

The split was drawn once, before any tuning, by a fixed rule on the id
(`in_test_split`: a keyed hash of the id, 25 % test) and written to
`corpus/test_split.txt`; tests/tagger checks that the file, the rule and the
corpus still agree and that the test split's content has not changed
(checksum), so nothing can be tuned on it silently.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "corpus"
REVIEWS = ROOT / "reviews"
TEST_SPLIT = ROOT / "test_split.txt"
SPLIT_KEY = "review-causes-split-v1"
TEST_SHARE = 0.25

CODES = {"pq": "product_quality", "wq": "water_quality", "lg": "logistics", "in": "installation",
         "fl": "filter", "ig": "invoice_gift", "nd": "not_as_described", "ch": "complaint_handling",
         "sa": "service_attitude", "en": "engineer", "pr": "price"}


@dataclass(frozen=True)
class Labelled:
    id: str
    text: str
    causes: frozenset[str]


def parse_line(line: str) -> tuple[frozenset[str], str]:
    codes, sep, text = line.partition(" | ")
    if not sep or not text.strip():
        raise ValueError(f"not a 'codes | text' line: {line!r}")
    codes = codes.strip()
    if codes == "-":
        return frozenset(), text.strip()
    try:
        return frozenset(CODES[c.strip()] for c in codes.split(",")), text.strip()
    except KeyError as e:
        raise ValueError(f"unknown cause code {e} in {line!r}") from None


def load(folder: Path = REVIEWS) -> list[Labelled]:
    """Every labelled review of the corpus, in batch and line order."""
    rows: list[Labelled] = []
    for path in sorted(folder.glob("b*.txt")):
        number = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            number += 1
            causes, text = parse_line(line)
            rows.append(Labelled(f"{path.stem.split('_')[0]}:{number:03d}", text, causes))
    return rows


def in_test_split(review_id: str) -> bool:
    """The fixed rule that drew the split (kept so a test can check the file against it)."""
    digest = hashlib.sha256(f"{SPLIT_KEY}:{review_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2 ** 32 < TEST_SHARE


def test_ids() -> frozenset[str]:
    """The ids of the frozen test split, as recorded in corpus/test_split.txt."""
    lines = TEST_SPLIT.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def split(rows: list[Labelled] | None = None) -> tuple[list[Labelled], list[Labelled]]:
    """(train, test): test is exactly the recorded frozen split."""
    rows = load() if rows is None else rows
    frozen = test_ids()
    return [r for r in rows if r.id not in frozen], [r for r in rows if r.id in frozen]


def checksum(rows: list[Labelled]) -> str:
    """sha256 over ids, sorted causes and texts: changes when any of them does."""
    h = hashlib.sha256()
    for r in sorted(rows, key=lambda r: r.id):
        h.update(f"{r.id}\t{','.join(sorted(r.causes))}\t{r.text}\n".encode())
    return h.hexdigest()


def write_split(rows: list[Labelled]) -> None:
    """Draw the split once (used when the corpus was first frozen; never re-run)."""
    ids = [r.id for r in rows if in_test_split(r.id)]
    TEST_SPLIT.write_text("# The frozen test split of the review-cause corpus: drawn once by\n"
                          "# lib.tagger.corpus.in_test_split before any tuning. Never tune on these.\n"
                          + "".join(f"{i}\n" for i in ids), encoding="utf-8")


__all__ = ["CODES", "Labelled", "load", "split", "test_ids", "in_test_split", "checksum"]
