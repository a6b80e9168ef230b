"""Why customers complain: tag a Chinese e-commerce review with its complaint causes.

Pure text work, no database. A review is cut into sentences (。！？ and line
breaks) and clauses (，,；;、 and spaces). A rule is a complaint phrase (a
regular expression) and optionally the words that must stand around it (its
context, looked for in the same sentence, up to `CONTEXT_CHARS` before the
phrase and in its own clause after it) or must not. A phrase is not a
complaint when it is negated: a negator right before it in its clause
("没有异味", "一点也不慢", "没有乱收费"), or, for things that are bad to have,
a negation right after ("异味都没有"). Rules are tried in order and a
stretch of text serves one rule only, so the specific rule wins
("快递盒子都压坏了" is logistics, not a broken product).

Segmentation into words (jieba) was tried on paper and not needed: the
phrases are short fixed expressions, and clause boundaries plus the negator
window decide scope better than word boundaries would.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

CAUSES = ("product_quality", "water_quality", "logistics", "installation", "filter",
          "invoice_gift", "not_as_described", "complaint_handling", "service_attitude",
          "engineer", "price")
CONTEXT_CHARS = 12

_SENTENCE = re.compile(r"[。！？!?\n]+")
_CLAUSE = re.compile(r"[，,；;、\s～~]+")
# A negator, then words that may stand between it and the phrase ("不是很", "没有任何").
_NEGATED_BEFORE = re.compile(
    r"(?:没有|没|不|无|未|毫无|从不|从没|并不|并没有|不是|不会|不算|别)"
    r"(?:太|很|是|算|怎么|那么|这么|有|会|再|一点|都|也|任何|什么|特别|非常|感觉|觉得|出现)*$")
_NEGATED_AFTER = re.compile(r"^(?:都|也|一点)?(?:没有|没|不存在|消失)(?:了|啦)?(?:$|[，,。！!])")
# Staff of the platform or brand on site, and the shop's online service.
_ENGINEER = r"师傅|工程师|安装工|维修工|上门的人|装机"
_SERVICE = r"客服|售后|商家|卖家|店家|人工"
_INSTALL = r"安装|装机|上门|管子|水管|接口|接头|打孔"
_FILTER = r"滤芯|滤网|耗材"


@dataclass(frozen=True)
class Rule:
    cause: str
    phrase: re.Pattern
    context: re.Pattern | None = None   # must occur near the phrase
    unless: re.Pattern | None = None    # must not occur near the phrase
    bad_thing: bool = False             # "X都没有" negates it


def _rule(cause, phrase, context=None, unless=None, bad_thing=False) -> Rule:
    return Rule(cause, re.compile(phrase), re.compile(context) if context else None,
                re.compile(unless) if unless else None, bad_thing)


RULES: tuple[Rule, ...] = (
    # Logistics first: a box crushed in transit is not a broken product.
    _rule("logistics", r"压坏|压扁|压变形|破损|磕坏|摔坏|外包装.{0,3}(?:破|烂)|丢件|丢了"),
    _rule("logistics", r"慢|晚|延迟|拖|等了.{0,5}(?:天|周|星期|个月)|不上楼|不送上楼|没送到|送错",
          context=r"物流|快递|送货|配送|发货|到货|派送|运输"),
    _rule("logistics", r"等了.{0,5}(?:天|周|星期|个月).{0,4}(?:才到|才送|还没到)|迟迟不发货|还没发货|还没到"),
    # Complaint handling, before the service's attitude and refunds.
    _rule("complaint_handling", r"投诉|没人处理|没有人处理|无人处理|不处理|推脱|推诿|踢皮球|维权|"
          r"拖着不|一直拖|不给退|不给换|不退不换|拒绝退|退不了|换不了"),
    _rule("complaint_handling", r"麻烦|难|慢|拒绝|不给|不予", context=r"退货|退款|换货|退换|理赔|售后流程"),
    # Invoices and gifts.
    _rule("invoice_gift", r"没开|不开|没有开|不给开|没给|不给|没收到|没有收到|开错|一直没|没寄|少寄|还没",
          context=r"发票"),
    _rule("invoice_gift", r"没有?送|少发|少了|漏发|没收到|没有收到|没给|不给|没有了|缺|不送",
          context=r"赠品|礼品|赠送|送的"),
    # Not as described.
    _rule("not_as_described", r"(?:描述|宣传|图片|介绍|详情|说明|页面|广告|图)[^，,。]{0,4}"
          r"(?:不一样|不符|不一致|不同|有出入)|不符|货不对板|实际(?:上)?不是|没有宣传的|虚假宣传|夸大|"
          r"假货|二手|翻新机|以次充好|和说的不一样"),
    # The engineer on site: professionalism, charges, his attitude.
    _rule("engineer", r"态度(?:很|太|非常|极)?(?:差|不好|恶劣|冷淡)|不耐烦|骂人", context=_ENGINEER),
    _rule("engineer", r"不专业|乱收费|乱要钱|多收|收费(?:太|很)?(?:贵|高|不合理)|材料费|加价|"
          r"技术(?:太|很)?(?:差|不行|不好|一般)|装了半天|磨蹭|手艺差|不会(?:装|修)|修不好|越修越|"
          r"弄脏|弄坏|没清理|不清理|不带鞋套",
          unless=_SERVICE),
    # The shop's and the brand's online service.
    _rule("service_attitude", r"态度(?:很|太|非常|极)?(?:差|不好|恶劣|冷淡)|爱答不理|不理人|不理|不回复?|"
          r"复制粘贴|机器人|敷衍|解决不了|不耐烦|不专业|答非所问", context=_SERVICE),
    _rule("service_attitude", r"爱答不理|答非所问|复制粘贴"),
    # Installation: appointments, punctuality, workmanship.
    _rule("installation", r"迟到|不规范|约了.{0,3}次|才来|不上门|没来安装|不来安装|装歪|没装好|装不好|"
          r"放鸽子|爽约|装错"),
    _rule("installation", r"慢|麻烦|太差|很差|不好|费用|收费|太贵", context=r"安装", unless=_ENGINEER),
    _rule("installation", r"漏水|渗水", context=_INSTALL, bad_thing=True),
    # Filters and consumables.
    _rule("filter", r"贵|短|买不到|不好买|难买|频繁|太快|假的|堵|没货|几百", context=_FILTER),
    # Water quality and taste.
    _rule("water_quality", r"怪味|异味|有味道|有股.{0,2}味|水垢|杂质|发黄|浑浊|白色漂浮|"
          r"口感(?:很|太|也)?(?:一般|差|不好|不行|变差)|水质(?:很|太|也)?(?:一般|差|不好|不行|变差)|"
          r"TDS.{0,4}(?:降不下|不降|很高|偏高|高)|不好喝|难喝", bad_thing=True),
    # The product itself.
    _rule("product_quality", r"坏了|坏掉|质量(?:太|很|非常|也)?(?:差|不行|一般|堪忧|有问题|不好)|"
          r"做工(?:很|太)?(?:粗糙|差)|粗糙|裂痕|裂缝|开裂|噪音(?:很|太|特别)?大|声音(?:很|太|特别)?大|"
          r"异响|漏水|渗水|故障|失灵|不制冷|不制热|不出水|不工作|罢工|死机|报错|生锈|掉漆|"
          r"出问题|有问题|毛病", bad_thing=True),
    # Price.
    _rule("price", r"价格[^，,；;]{0,6}?(?P<bad>贵|高|虚高)"),
    _rule("price", r"比[^，,；;]{0,6}?(?P<bad>(?:还|更)?贵)"),
    _rule("price", r"降价|不保价|保价|差价|性价比(?:很|太)?(?:低|不高|差)|不值|太贵|很贵|贵了",
          unless=_FILTER + r"|安装|材料"),
)


def _sentences(text: str):
    for sentence in _SENTENCE.split(text or ""):
        if sentence.strip():
            yield sentence


def _clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _CLAUSE.finditer(sentence, 0, start)), default=0)
    right = next((m.start() for m in _CLAUSE.finditer(sentence, end)), len(sentence))
    return left, right


def _negated(sentence: str, rule: Rule, match: re.Match) -> bool:
    """Negated right before the phrase (or before its `bad` word, for a phrase with a
    gap such as 价格...贵), or, for a bad thing, right after it."""
    start, end = match.span()
    left, right = _clause_bounds(sentence, start, end)
    word = match.start("bad") if "bad" in match.re.groupindex else start
    if _NEGATED_BEFORE.search(sentence[left:start]) or _NEGATED_BEFORE.search(sentence[start:word]):
        return True
    return rule.bad_thing and bool(_NEGATED_AFTER.match(sentence[end:right] + "。"))


def _around(sentence: str, start: int, end: int) -> str:
    """The words around a phrase: up to CONTEXT_CHARS before it in its sentence,
    and the rest of its clause after it."""
    _, right = _clause_bounds(sentence, start, end)
    return sentence[max(0, start - CONTEXT_CHARS):start] + " " + sentence[end:right]


def tag_review(text: str) -> frozenset[str]:
    """The complaint causes a review's text names (empty: none found)."""
    found: set[str] = set()
    for sentence in _sentences(text):
        taken: list[tuple[int, int]] = []
        for rule in RULES:
            for match in rule.phrase.finditer(sentence):
                start, end = match.span()
                if any(start < b and a < end for a, b in taken):
                    continue
                around = _around(sentence, start, end)
                if rule.context is not None and not rule.context.search(around):
                    continue
                if rule.unless is not None and rule.unless.search(around):
                    continue
                taken.append((start, end))
                if not _negated(sentence, rule, match):
                    found.add(rule.cause)
    return frozenset(found)


__all__ = ["CAUSES", "RULES", "Rule", "tag_review"]
