"""Train the cause model and measure it on the frozen test split.

    python -m lib.tagger train [--db URL] [--out PATH]   rebuild lib/tagger/model.json.gz
    python -m lib.tagger evaluate [--model PATH]         figures on the frozen test split
    python -m lib.tagger cv                              5-fold figures on the train split only

Training data: the corpus's train split (never its frozen test split), the
train-only sentences (corpus/train_only/), and, with --db, the managers'
corrections of the console's own reviews (lib/tagger/corrections.py: a
correction's causes replace the model's for that review's text).

Model choice: one binary logistic regression per cause (a review can have any
number of causes, so each cause is its own yes/no decision with its own
threshold) over sparse tf-idf features: character 1-3-grams of what the reviewer
says, jieba words marked for negation and scope, and the rules' hits. With
about a thousand labelled reviews a linear model on these features is the
strongest choice that is also small, fast (8,000 reviews in seconds, no GPU),
explainable (a weight per word), and exactly reproducible; trees and neural
models need far more labels to beat it. The regularisation C (one for all
causes) and each cause's threshold are chosen by 5-fold cross-validation on
the train split alone; the frozen split is only ever used by `evaluate`.

Deterministic: fixed fold seed, lbfgs, sorted features, rounded weights and a
gzip without timestamp, so the same data gives the same file byte for byte.
"""
from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from lib.tagger import corpus
from lib.tagger.causes import CAUSES
from lib.tagger.features import features
from lib.tagger.model import MODEL_FILE, from_payload, to_payload
from lib.tagger.rules import rule_causes

TRAIN_ONLY = corpus.ROOT / "train_only"
C_GRID = (1.0, 3.0, 10.0, 30.0)
THRESHOLDS = tuple(round(0.1 + 0.05 * i, 2) for i in range(17))   # 0.10 .. 0.90
FOLDS = 5
SEED = 20261201
MIN_DF = 2


def training_rows(extra: list[corpus.Labelled] = ()) -> list[corpus.Labelled]:
    train, test = corpus.split()
    frozen = {r.text for r in test}
    rows = train + corpus.load(TRAIN_ONLY) + list(extra)
    return [r for r in rows if r.text not in frozen]   # a test text never trains, whatever its source


def _vectorise(docs, vocabulary=None, idf=None):
    from scipy.sparse import csr_matrix
    if vocabulary is None:
        df = Counter(f for d in docs for f in set(d))
        vocabulary = {f: i for i, f in enumerate(sorted(f for f, n in df.items() if n >= MIN_DF))}
        n = len(docs)
        idf = np.zeros(len(vocabulary))
        for f, i in vocabulary.items():
            idf[i] = math.log((1 + n) / (1 + df[f])) + 1.0
    rows, cols, vals = [], [], []
    for r, d in enumerate(docs):
        counts = Counter(f for f in d if f in vocabulary)
        if not counts:
            continue
        v = np.array([(1 + math.log(c)) * idf[vocabulary[f]] for f, c in counts.items()])
        v /= np.sqrt((v * v).sum())
        rows += [r] * len(v)
        cols += [vocabulary[f] for f in counts]
        vals += list(v)
    X = csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocabulary)))
    return X, vocabulary, idf


def _labels(rows) -> np.ndarray:
    return np.array([[c in r.causes for c in CAUSES] for r in rows], dtype=int)


def _fit(X, Y, C):
    from sklearn.linear_model import LogisticRegression
    weights, intercepts = [], []
    for k in range(Y.shape[1]):
        m = LogisticRegression(C=C, class_weight="balanced", solver="lbfgs", max_iter=2000)
        m.fit(X, Y[:, k])
        weights.append(m.coef_[0])
        intercepts.append(m.intercept_[0])
    return np.array(weights).T, np.array(intercepts)


def _proba(X, weights, intercepts):
    return 1 / (1 + np.exp(-(X @ weights + intercepts)))


def _oof(docs, Y, C):
    from sklearn.model_selection import KFold
    out = np.zeros(Y.shape, dtype=float)
    for tr, va in KFold(FOLDS, shuffle=True, random_state=SEED).split(docs):
        X, vocab, idf = _vectorise([docs[i] for i in tr])
        w, b = _fit(X, Y[tr], C)
        Xv, _, _ = _vectorise([docs[i] for i in va], vocab, idf)
        out[va] = _proba(Xv, w, b)
    return out


def _f1(y, p):
    tp = int((y & p).sum()); fp = int((~y & p).sum()); fn = int((y & ~p).sum())
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def _best_thresholds(Y, P):
    return np.array([max(THRESHOLDS, key=lambda t: (_f1(Y[:, k].astype(bool), P[:, k] >= t), -abs(t - 0.5)))
                     for k in range(Y.shape[1])])


def train(extra: list[corpus.Labelled] = (), log=print) -> bytes:
    rows = training_rows(extra)
    docs = [features(r.text) for r in rows]
    Y = _labels(rows)
    best = None
    for C in C_GRID:
        P = _oof(docs, Y, C)
        th = _best_thresholds(Y, P)
        pred = P >= th
        score = _f1(Y.astype(bool), pred)
        log(f"  C={C:>5}: cross-validated micro-F1 {score:.3f} on {len(rows)} training reviews")
        if best is None or score > best[0] + 1e-9:
            best = (score, C, th)
    score, C, th = best
    X, vocab, idf = _vectorise(docs)
    w, b = _fit(X, Y, C)
    meta = {"C": C, "cv_micro_f1": round(score, 4), "training_reviews": len(rows),
            "corrections": len(extra), "min_df": MIN_DF, "folds": FOLDS, "seed": SEED}
    return to_payload(vocab, idf, w, b, th, meta)


# -- figures --------------------------------------------------------------------
def figures(gold: list[frozenset[str]], predicted: list[frozenset[str]]) -> dict:
    per = {}
    TP = FP = FN = 0
    for c in CAUSES:
        tp = sum(1 for g, p in zip(gold, predicted) if c in g and c in p)
        fp = sum(1 for g, p in zip(gold, predicted) if c not in g and c in p)
        fn = sum(1 for g, p in zip(gold, predicted) if c in g and c not in p)
        TP, FP, FN = TP + tp, FP + fp, FN + fn
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        per[c] = {"support": tp + fn, "precision": prec, "recall": rec,
                  "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0}
    micro_p = TP / (TP + FP) if TP + FP else 0.0
    micro_r = TP / (TP + FN) if TP + FN else 0.0
    return {"per_cause": per, "micro_precision": micro_p, "micro_recall": micro_r,
            "micro_f1": 2 * micro_p * micro_r / (micro_p + micro_r) if micro_p + micro_r else 0.0,
            "macro_f1": sum(v["f1"] for v in per.values()) / len(per),
            "exact_set": sum(1 for g, p in zip(gold, predicted) if g == p) / len(gold),
            "reviews": len(gold),
            "multi_cause_exact": (sum(1 for g, p in zip(gold, predicted) if len(g) > 1 and g == p),
                                  sum(1 for g in gold if len(g) > 1))}


def frozen_figures(model=None) -> tuple[dict, dict]:
    """(model figures, rules-only figures) on the frozen test split."""
    from lib.tagger import reading
    from lib.tagger.model import shipped
    from lib.tagger.normalise import normalise
    model = model or shipped()
    _, test = corpus.split()
    gold = [r.causes for r in test]
    tagged = [model.tag(r.text) for r in test]
    rules = [rule_causes(reading.said(reading.read(normalise(r.text)))) for r in test]
    return figures(gold, tagged), figures(gold, rules)


def format_figures(f: dict, title: str) -> str:
    lines = [title, f"{'cause':<20}{'support':>8}{'precision':>11}{'recall':>8}{'F1':>7}"]
    for c, v in f["per_cause"].items():
        lines.append(f"{c:<20}{v['support']:>8}{v['precision']:>11.3f}{v['recall']:>8.3f}{v['f1']:>7.3f}")
    m, n = f["multi_cause_exact"]
    lines += [f"micro precision {f['micro_precision']:.3f}  micro recall {f['micro_recall']:.3f}  "
              f"micro-F1 {f['micro_f1']:.3f}  macro-F1 {f['macro_f1']:.3f}",
              f"exact-set accuracy {f['exact_set']:.3f} on {f['reviews']} reviews "
              f"(reviews with several causes: {m} of {n} exact)"]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.tagger")
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="rebuild the model (deterministic)")
    t.add_argument("--db", help="also learn from the managers' corrections in this database")
    t.add_argument("--out", default=str(MODEL_FILE))
    e = sub.add_parser("evaluate", help="figures on the frozen test split")
    e.add_argument("--model", default=str(MODEL_FILE))
    args = parser.parse_args(argv)
    if args.command == "train":
        extra = []
        if args.db:
            from lib.db import get_engine
            from lib.tagger.corrections import training_examples
            extra = training_examples(get_engine(args.db))
            print(f"{len(extra)} corrections from the database join the training data")
        payload = train(extra)
        Path(args.out).write_bytes(payload)
        model = from_payload(payload)
        print(f"wrote {args.out}: {len(payload):,} bytes, {len(model.index):,} features, version {model.version}")
        return 0
    model = from_payload(Path(args.model).read_bytes())
    tagged, rules = frozen_figures(model)
    print(format_figures(tagged, f"Model {model.version} (rules + classifier) on the frozen test split"))
    print()
    print(format_figures(rules, "Rules alone, same split"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
