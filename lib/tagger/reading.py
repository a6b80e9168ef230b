"""Read a normalised review in context: sentences, clauses, words (jieba), and
the scope of what the reviewer says.

A review is cut into clauses (at 。！？!?;；,，、 and line breaks; text in
quotes becomes a clause of its own). Each clause gets a *mode*:

- `plain`: the reviewer's own statement;
- `cleared`: a cause the reviewer rules out ("不是物流的问题，是…", "跟商家无关");
- `hearsay`: what others say, until the reviewer's own view ("都说滤芯贵，其实…",
  "评论里有人说有异味，我家的倒是…"); it stays plain when the reviewer confirms it
  ("听说…，果然…");
- `quote`: a quoted pitch (“三年不用换芯”) — a claim, not an experience;
- `praise`: a good word, or a bad word negated, and no complaint beside it
  ("客服态度很好", "价格不贵", "物流一点也不慢");
- `conceded`: a complaint the reviewer lets go ("虽然等了几天，但是…",
  "…，也能理解", "…，不影响使用").

Within a clause, the words after a negator (不, 没有, 并不, 从没 …) are
negated up to the clause's end, and for a clause ending in "都没有/也没有/没了"
the words before it are. A word is then a feature such as `w:漏水` (said),
`w:!漏水` (negated), `x:漏水` (said in a cleared, hearsay, quoted or conceded
clause). The text of the plain clauses, `said`, is what the rules and the
character n-grams read.
"""
from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

_QUOTE = re.compile(r"[“\"「『]([^”\"」』]{1,60})[”\"」』]")
_CLAUSE = re.compile(r"[。！？!?;；,，、\n~～…]+|\.{2,}|\s+")
NEGATORS = frozenset({"不", "没", "没有", "无", "未", "别", "毫无", "并不", "并没有", "从不", "从没",
                      "从来不", "从来没", "从未", "不算", "不会", "不用", "无需", "没什么", "并非", "不太",
                      "一点也不", "一点都不", "也不", "都不", "也没", "都没", "都没有", "也没有", "绝不",
                      "没出", "没遇到", "不存在"})
_NEGATED_END = re.compile(r"(?:都|也|一点|啥的|什么的)?(?:没有|没|不存在|消失|没了)(?:了|啦|的)?$")
_CLEARED = re.compile(r"^(?:也|但|并|倒|其实|而且)?(?:不是|并不是|不关|不怪|不赖|与|跟|和)"
                      r"(?:[^是]{0,12}的?(?:问题|原因|事|错|锅)|.{0,12}(?:无关|没关系|没有关系))|"
                      r"^(?:不是|并不是|倒不是)(?!很|太|特别|说|我说)")
_CLEAR_TO = re.compile(r"^(?:而)?是|^(?:其实|实际上?)是")
_HEARSAY = re.compile(r"^(?:之前|以前|买之前|下单前)?(?:看)?(?:都说|听说|据说|传说|有人说|好多人说|很多人说|不少人说|"
                      r"别人说|别人家|网上说|网上都说|大家说|朋友说|老公说|老婆说|我妈说|我老公说|我爸说|"
                      r"看评论|评论里|评论区|差评里|看了(?:很多|好多)?差评|看(?:到)?(?:很多|好多)?差评|"
                      r"看(?:到)?(?:有人|别人)|之前看|有的说|有评论说|朋友家的)")
_OWN_VIEW = re.compile(r"^(?:其实|实际|实际上|但|但是|可是|不过|倒是|我家|我的|我这|我觉得|我倒|我用|用下来|"
                       r"结果|然而|反而|别担心|放心|完全没有|一点也没|根本没)")
_CONFIRMED = re.compile(r"果然|确实|真的是|也是这样|一样|同样|我也")
_CONCEDE_START = re.compile(r"^(?:虽然|虽说|尽管|虽)")
_CONTRAST = re.compile(r"^(?:但是|但|可是|可|不过|然而|只是|就是|可惜|却)")
_PRAISE = re.compile(r"好用|舒服|满意|不错|挺好|很好|还好|值得|值了|好评|推荐|放心|靠谱|喜欢|划算|实惠|省心|理解|"
                     r"一分钱一分货|一分价钱一分货|没问题|没毛病|能接受|可以接受")
_NOT_PRAISE = re.compile(r"不(?:好用|舒服|满意|值|推荐|放心|靠谱|喜欢|划算)|没法|不能理解|难以理解")
# A clause of praise: a good word, or a bad word negated ("价格不贵", "物流一点也不慢", "没有异味"),
# and no complaint word beside it. Its words do not name a complaint.
_GOOD = re.compile(r"很好|挺好|不错|很快|挺快|真快|满意|专业|耐心|及时|给力|好评|点赞|很棒|清晰|干净|安静|实惠|"
                   r"划算|好用|舒服|放心|一致|准时|有问必答|热情|细致|到位|贴心|靠谱|很赞|完好|稳定|省心|都收到了|都齐了|齐全|很方便|挺方便|方便|简单|"
                   r"(?:不|没|没有|一点也不|一点都不|并不|也不|都不)(?:太|算|很|怎么|那么)?(?:贵|慢|高|差|吵|响|晚|麻烦|难)(?!看)|"
                   r"(?:没|没有|无|毫无|没出|没遇到)(?:任何|什么)?(?:问题|毛病|异味|怪味|噪音|乱收费|额外)")
_BAD = re.compile(r"差|慢|坏|贵|漏|不行|不好|太|但|就是|可惜|不过|却|没有?(?:收到|送|开|给|来|人|回)|才|还是|又|"
                  r"问题(?!不大)|毛病|要钱|加钱|收了|不能|不会|不了|拒|骗|垃圾|吗|\?|？")
_TOLERATED = re.compile(r"^(?:也?(?:能|可以)理解|理解|能接受|可以接受|不影响(?:使用)?|无所谓|没关系|问题不大|"
                        r"还?能忍|算了|也还好|瑕不掩瑜|总体(?:满意|还行|不错)|其他都(?:好|满意|不错|还行))")


@dataclass
class Clause:
    text: str
    mode: str = "plain"
    words: tuple[str, ...] = ()
    negated: tuple[bool, ...] = ()


@functools.lru_cache(maxsize=1)
def _jieba():
    import jieba
    jieba.setLogLevel(logging.WARNING)
    for word in ("客服", "售后", "滤芯", "芯子", "虚标", "低配", "拉胯", "二次销售", "踢来踢去", "踢皮球",
                 "爱答不理", "放鸽子", "乱收费", "不制冷", "不制热", "不出水", "异味", "怪味", "水垢",
                 "保价", "降价", "差价", "发票", "赠品", "货不对板", "翻新机", "压坏", "漏水", "渗水",
                 "装歪", "歪歪扭扭", "技术不行", "不专业", "不耐烦", "复制粘贴", "答非所问", "一问三不知",
                 "推来推去", "没人管", "没人处理", "不给退", "退不了", "性价比", "不值", "上门费", "材料费",
                 "安装费", "打孔", "铜管", "延保", "价保", "以旧换新", "原装", "tds"):
        jieba.add_word(word, freq=2000)
    jieba.initialize()
    return jieba


def words(text: str) -> list[str]:
    return [w for w in _jieba().lcut(text) if w.strip()]


def _raw_clauses(text: str) -> list[tuple[str, str]]:
    """(text, mode) pieces: quoted pieces become quote clauses."""
    pieces: list[tuple[str, str]] = []
    last = 0
    for m in _QUOTE.finditer(text):
        pieces += [(c, "plain") for c in _CLAUSE.split(text[last:m.start()]) if c.strip()]
        pieces.append((m.group(1), "quote"))
        last = m.end()
    pieces += [(c, "plain") for c in _CLAUSE.split(text[last:]) if c.strip()]
    return pieces


def _negation(tokens: list[str], clause: str) -> list[bool]:
    flags = [False] * len(tokens)
    for i, w in enumerate(tokens):
        if w in NEGATORS:
            for j in range(i + 1, len(tokens)):
                flags[j] = True
    if _NEGATED_END.search(clause) and len(tokens) > 1:
        # "异味都没有", "问题一个没有": the thing before the negation is what is absent
        end = len(tokens)
        while end > 0 and tokens[end - 1] in {"没有", "没", "了", "啦", "的", "都", "也", "一点", "不存在", "消失", "没了"}:
            end -= 1
        for j in range(end):
            flags[j] = True
    return flags


def read(text: str) -> list[Clause]:
    """The clauses of a normalised review, with modes, words and negation."""
    pieces = _raw_clauses(text)
    clauses = [Clause(t, mode) for t, mode in pieces]
    n = len(clauses)
    i = 0
    while i < n:
        c = clauses[i]
        if c.mode != "plain":
            i += 1
            continue
        if _CLEARED.search(c.text):
            c.mode = "cleared"
        elif _HEARSAY.search(c.text):
            confirmed = any(_CONFIRMED.search(clauses[k].text) for k in range(i + 1, min(n, i + 3)))
            if not confirmed:
                j = i
                while j < n and (j == i or not _OWN_VIEW.search(clauses[j].text)) and j < i + 3:
                    if clauses[j].mode == "plain":
                        clauses[j].mode = "hearsay"
                    j += 1
                i = j
                continue
        elif _CONCEDE_START.search(c.text):
            j = i
            while j < n and (j == i or not _CONTRAST.search(clauses[j].text)) and j < i + 3:
                clauses[j].mode = "conceded"
                j += 1
            i = j
            continue
        elif _GOOD.search(c.text) and not _BAD.search(_GOOD.sub("", c.text)):
            c.mode = "praise"
        elif _TOLERATED.search(c.text) and i > 0:
            c.mode = "conceded"
            if clauses[i - 1].mode == "plain":
                clauses[i - 1].mode = "conceded"
        i += 1
    # "X，但是/不过 Y" where Y is praise: X is a complaint let go ("价格不算便宜，不过确实好用").
    for i in range(1, n):
        c = clauses[i]
        if c.mode == "plain" and _CONTRAST.search(c.text) and _PRAISE.search(c.text) \
                and not _NOT_PRAISE.search(c.text):
            for k in range(i - 1, max(-1, i - 3), -1):
                if clauses[k].mode != "plain":
                    break
                clauses[k].mode = "conceded"
    for c in clauses:
        tokens = words(c.text)
        c.words = tuple(tokens)
        c.negated = tuple(_negation(tokens, c.text))
    return clauses


def said(clauses: list[Clause]) -> str:
    """The reviewer's own statements (plain clauses), joined by '，'."""
    return "，".join(c.text for c in clauses if c.mode == "plain")


def word_features(clauses: list[Clause]) -> list[str]:
    out: list[str] = []
    for c in clauses:
        plain = c.mode == "plain"
        for w, neg in zip(c.words, c.negated):
            if plain:
                out.append(("w:!" if neg else "w:") + w)
            else:
                out.append("x:" + w)
        if plain:
            out += [f"b:{a}_{b}" for a, b in zip(c.words, c.words[1:])]
        else:
            out.append("mode:" + c.mode)
    return out


__all__ = ["Clause", "read", "said", "word_features", "words", "NEGATORS"]
