"""The features of one review, shared by training and tagging.

    w:词 / w:!词   a word the reviewer says / says negated (jieba, lib/tagger/reading.py)
    x:词           a word of a cleared cause, hearsay, a quoted pitch or a conceded complaint
    b:词_词        two words in a row the reviewer says
    mode:M         such a clause is there
    c:字 … c:三字  character 1- to 3-grams of what the reviewer says (robust to words
                   jieba cuts unexpectedly, to typos and to new slang)
    r:cause        a hand-written rule's hit on what the reviewer says (r!: negated,
                   rx: in a cleared / hearsay / quoted / conceded clause)
    e:😤 …         emoji, kept as signals
"""
from __future__ import annotations

import re

from lib.tagger import reading
from lib.tagger.normalise import normalise
from lib.tagger.rules import rule_hits

_EMOJI = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_PUNCT = re.compile(r"[，,。！？!?;；:：、\s]")


def features(text: str | None) -> list[str]:
    clean = normalise(text)
    if not clean:
        return []
    clauses = reading.read(clean)
    out = reading.word_features(clauses)
    said = reading.said(clauses)
    for piece in _PUNCT.split(said):
        for n in (1, 2, 3):
            out += ["c:" + piece[i:i + n] for i in range(len(piece) - n + 1)]
    out += rule_hits(said)
    aside = "，".join(c.text for c in clauses if c.mode != "plain")
    if aside:
        out += ["rx:" + h.split(":", 1)[1] for h in rule_hits(aside)]
    out += ["e:" + e for e in _EMOJI.findall(clean)]
    return out


__all__ = ["features"]
