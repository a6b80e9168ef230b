"""The shipped cause classifier and `tag()`.

One binary logistic regression per cause over the features of
lib/tagger/features.py (tf-idf weighted, sublinear tf, L2-normalised), each with
its own decision threshold. Trained by `python -m lib.tagger train`
(lib/tagger/train.py, scikit-learn); what ships is only the linear model as
gzipped JSON (`model.json.gz`: features, idf, a weight per feature and cause,
intercepts, thresholds), so tagging needs numpy but not scikit-learn, and the
file is small and diffable after unzipping.

The model's version is the first 12 hex digits of its file's sha256: the
console caches tags by (text, model version).
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import json
import math
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lib.tagger.causes import CAUSES
from lib.tagger.features import features

MODEL_FILE = Path(__file__).with_name("model.json.gz")
# The shipped model's micro-F1 on the frozen test split (`python -m lib.tagger evaluate`;
# tests/tagger checks it is the figure the model gets, so it cannot go stale).
FROZEN_MICRO_F1 = 0.826


@dataclass(frozen=True)
class Model:
    version: str
    index: dict[str, int]
    idf: np.ndarray          # (F,)
    weights: np.ndarray      # (F, C)
    intercepts: np.ndarray   # (C,)
    thresholds: np.ndarray   # (C,)
    causes: tuple[str, ...]

    def scores(self, text: str | None) -> np.ndarray:
        """The probability of each cause (order of `causes`)."""
        counts = Counter(f for f in features(text) if f in self.index)
        z = self.intercepts.copy()
        if counts:
            idx = np.fromiter((self.index[f] for f in counts), dtype=np.int64, count=len(counts))
            tf = np.fromiter((1.0 + math.log(n) for n in counts.values()), dtype=np.float64, count=len(counts))
            vals = tf * self.idf[idx]
            vals /= np.sqrt((vals * vals).sum())
            z = z + vals @ self.weights[idx]
        return 1.0 / (1.0 + np.exp(-z))

    def tag(self, text: str | None) -> frozenset[str]:
        p = self.scores(text)
        return frozenset(c for c, s, t in zip(self.causes, p, self.thresholds) if s >= t)


def to_payload(index: dict[str, int], idf, weights, intercepts, thresholds, meta: dict) -> bytes:
    """The model file's bytes: deterministic (sorted, rounded, gzip without a timestamp)."""
    order = sorted(index, key=index.get)
    body = {"causes": list(CAUSES), "features": order,
            "idf": [round(float(x), 5) for x in idf],
            "weights": [[round(float(w), 5) for w in row] for row in weights],
            "intercepts": [round(float(x), 5) for x in intercepts],
            "thresholds": [round(float(x), 4) for x in thresholds], "meta": meta}
    raw = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return gzip.compress(raw, compresslevel=9, mtime=0)


def from_payload(payload: bytes) -> Model:
    body = json.loads(gzip.decompress(payload))
    return Model(version=hashlib.sha256(payload).hexdigest()[:12],
                 index={f: i for i, f in enumerate(body["features"])},
                 idf=np.asarray(body["idf"], dtype=np.float64),
                 weights=np.asarray(body["weights"], dtype=np.float64).reshape(len(body["features"]), -1),
                 intercepts=np.asarray(body["intercepts"], dtype=np.float64),
                 thresholds=np.asarray(body["thresholds"], dtype=np.float64),
                 causes=tuple(body["causes"]))


@functools.lru_cache(maxsize=1)
def shipped() -> Model:
    return from_payload(MODEL_FILE.read_bytes())


def tag(text: str | None) -> frozenset[str]:
    """The complaint causes a review names, by the shipped model."""
    return shipped().tag(text)


# Tags by (model version, digest of the text): each text is tagged once per process
# and model. Not by review id: one process can read several databases (tests, the
# bench, a console pointed elsewhere), where the same id is another review.
# Bounded so a huge view cannot grow it forever.
_CACHE: dict[tuple[str, bytes], tuple[str, ...]] = {}
_CACHE_MAX = 500_000
_LOCK = threading.Lock()


def tag_reviews(texts) -> list[tuple[str, ...]]:
    """Sorted-by-CAUSES cause tuples for review texts, cached by text and model version."""
    model = shipped()
    out: list[tuple[str, ...]] = []
    for text in texts:
        key = (model.version, hashlib.blake2b((text or "").encode(), digest_size=16).digest())
        found = _CACHE.get(key)
        if found is None:
            tags = model.tag(text)
            found = tuple(c for c in CAUSES if c in tags)
            with _LOCK:
                if len(_CACHE) >= _CACHE_MAX:
                    _CACHE.clear()
                _CACHE[key] = found
        out.append(found)
    return out


__all__ = ["Model", "MODEL_FILE", "shipped", "tag", "tag_reviews", "to_payload", "from_payload"]
