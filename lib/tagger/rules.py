"""Hand-written cause phrases, as features of the classifier (lib/tagger/model.py).

A rule is a complaint phrase (a regular expression) and optionally the words
that must stand around it (its context: up to `CONTEXT_CHARS` before the phrase
in its sentence and the rest of its clause after it) or must not. A phrase is
negated when a negator stands right before it in its clause ("没有异味",
"一点也不慢") or, for things bad to have, a negation right after ("异味都没有").
Rules are tried in order and a stretch of text serves one rule only, so the
specific rule wins ("快递盒子都压坏了" is logistics, not a broken product).

The rules read normalised text (lib/tagger/normalise.py) and only what the
reviewer says (lib/tagger/reading.py drops cleared causes, hearsay, quoted
pitches and conceded complaints). They do not decide alone: each hit is a
feature `r:cause` (or `r!:cause`, negated) that the trained model weighs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

CONTEXT_CHARS = 12

_SENTENCE = re.compile(r"[。！？!?\n]+")
_CLAUSE = re.compile(r"[，,；;、\s～~]+")
_NEGATED_BEFORE = re.compile(
    r"(?:没有|没|不|无|未|毫无|从不|从没|并不|并没有|不是|不会|不算|别)"
    r"(?:太|很|是|算|怎么|那么|这么|有|会|再|一点|都|也|任何|什么|特别|非常|感觉|觉得|出现)*$")
_NEGATED_AFTER = re.compile(r"^(?:都|也|一点)?(?:没有|没|不存在|消失)(?:了|啦)?(?:$|[，,。！!])")
_ENGINEER = r"师傅|工程师|安装工|维修工|上门的人|装机|小哥|大哥|来的人|他们|他"
_SERVICE = r"客服|售后|商家|卖家|店家|人工|热线|400"
_INSTALL = r"安装|装机|上门|管子|水管|接口|接头|打孔|装的|装得|装完|装好|装上"
_FILTER = r"滤芯|滤网|耗材|芯子|换芯|ro膜|膜|芯"
_WATER = r"水|喝|口感|泡茶|冲奶"


@dataclass(frozen=True)
class Rule:
    cause: str
    phrase: re.Pattern
    context: re.Pattern | None = None
    unless: re.Pattern | None = None
    bad_thing: bool = False


def _rule(cause, phrase, context=None, unless=None, bad_thing=False) -> Rule:
    return Rule(cause, re.compile(phrase), re.compile(context) if context else None,
                re.compile(unless) if unless else None, bad_thing)


RULES: tuple[Rule, ...] = (
    # Logistics first: a box crushed in transit is not a broken product.
    _rule("logistics", r"压坏|压扁|压弯|压变形|破损|磕坏|摔坏|磕到|外包装.{0,3}(?:破|烂)|箱子.{0,4}(?:破|烂|凹|湿)|"
          r"丢件|丢了|暴力运输|颠坏|运输.{0,4}(?:磕|碎|坏)|送错|发错|少发"),
    _rule("logistics", r"慢|晚|延迟|拖|等了.{0,5}(?:天|周|星期|个月)|不上楼|不送上楼|没送到|扔|放门口|签收|"
          r"一天挪|没打电话|上楼费|不动|没更新|火星|望眼欲穿",
          context=r"物流|快递|送货|配送|发货|到货|派送|运输|驿站|送来|送到|中转"),
    _rule("logistics", r"等了.{0,5}(?:天|周|星期|个月).{0,4}(?:才到|才送|还没到)|迟迟不发货|还没发货|还没到|"
          r"(?:五|六|七|八|九|十|\d+)天.{0,3}(?:没发货|才发)"),
    # Complaint handling, before the service's attitude and refunds.
    _rule("complaint_handling", r"投诉|没人处理|没有人处理|无人处理|不处理|推脱|推诿|踢皮球|踢来踢去|推来推去|维权|"
          r"拖着不|一直拖|不给退|不给换|不退不换|拒绝退|退不了|换不了|驳回|被拒|不予受理|没个说法|"
          r"12315|走流程|待审核|处理中|没人管|没人理|没有下文|没下文|不管"),
    _rule("complaint_handling", r"麻烦|难|慢|拒绝|不给|不予|拖|待处理|审核",
          context=r"退货|退款|换货|退换|理赔|售后流程|赔偿|索赔|报修|换新"),
    # Invoices and gifts.
    _rule("invoice_gift", r"没开|不开|没有开|不给开|没给|不给|没收到|没有收到|开错|一直没|没寄|少寄|还没|呢|拖|"
          r"迟迟|难|催|错|不一样|失败|开具中|加.{0,3}税|普票|没到|不能|没法",
          context=r"发票|开票|专票|税号|抬头"),
    _rule("invoice_gift", r"开票难|不给开票|开票.{0,4}(?:拖|慢|难|一直)"),
    _rule("invoice_gift", r"没有?送|少发|少了|漏发|没收到|没有收到|没给|不给|没有了|缺|不送|呢|没影|没寄|"
          r"不一样|缩水|坏|裂|没发|没到账|没返|送完|查不到",
          context=r"赠品|礼品|赠送|送的|满赠|返现|延保|补贴|券"),
    # Not as described.
    _rule("not_as_described", r"(?:描述|宣传|图片|图上|介绍|详情|说明|页面|广告|参数|标题|图)[^，,。]{0,6}"
          r"(?:不一样|不符|不一致|不同|有出入|差|对不上|没有)|不符|货不对板|实际(?:上)?不是|没有宣传的|虚假宣传|夸大|"
          r"假货|二手|翻新|以次充好|和说的不一样|虚标|低配|丐版|二次销售|拆过|使用痕迹|老款|旧款|"
          r"卖家秀|仅供参考|冒充|不是.{0,4}(?:正品|新款|全新)|查不到"),
    _rule("not_as_described", r"实际|实测|根本|结果|拿到手|收到",
          context=r"宣传|号称|说是|标的|写着|写的|页面|详情|标称|说好的"),
    # The engineer on site: professionalism, charges, his attitude.
    _rule("engineer", r"态度(?:很|太|非常|极)?(?:差|不好|恶劣|冷淡)|不耐烦|骂|说话.{0,2}冲|嫌",
          context=_ENGINEER, unless=_SERVICE),
    _rule("engineer", r"不专业|乱收费|乱要钱|多收|收费(?:太|很)?(?:贵|高|不合理)|材料费|加价|上门费|"
          r"技术(?:真|太|很)?(?:差|不行|不好|一般|水)|装了半天|磨蹭|手艺|不会(?:装|修|用)|修不好|越修越|"
          r"弄脏|弄坏|没清理|不清理|不带鞋套|不戴鞋套|不换鞋|二把刀|新手|推销|私下|抽烟|打游戏|玩手机|"
          r"划了|砸|撞|打穿|打断|打裂|全是灰|全是脚印|一屋子的渣|修了.{0,3}次|没试|不试",
          unless=_SERVICE),
    # The shop's and the brand's online service.
    _rule("service_attitude", r"态度(?:很|太|非常|极)?(?:差|不好|恶劣|冷淡|冷冰冰)|爱答不理|不理人|不理|不回复?|"
          r"复制粘贴|机器人|敷衍|解决不了|不耐烦|不专业|答非所问|一问三不知|装死|装傻|套话|自动回复|"
          r"模板|打太极|阴阳怪气|稍等|已反馈|已登记|已催促|占线|排队|找不到|难听|冲|挂电话",
          context=_SERVICE),
    _rule("service_attitude", r"爱答不理|答非所问|复制粘贴|一问三不知|亲亲"),
    # Installation: appointments, punctuality, workmanship.
    _rule("installation", r"迟到|不规范|约了.{0,3}次|才来|不上门|没来安装|不来安装|装歪|歪歪扭扭|歪了|没装好|装不好|"
          r"放鸽子|爽约|装错|装反|接反|约不上|排到|改了.{0,3}次|一改再改|没派|白等"),
    _rule("installation", r"慢|麻烦|太差|很差|不好|费用|收费|太贵|等|拖|另收|另外|加钱|不平|不牢|松|晃",
          context=r"安装", unless=_ENGINEER),
    _rule("installation", r"漏水|渗水|往下流|松了|不平|不牢", context=_INSTALL, bad_thing=True),
    # Filters and consumables.
    _rule("filter", r"贵|短|买不到|不好买|难买|频繁|太快|假|堵|没货|缺货|断货|几百|\d+块|专用|锁死|绑|"
          r"翻倍|无底洞|提醒|亮|印钞|养不起|烧钱|玩不起|劝退|心疼|裂|漏",
          context=_FILTER),
    # Water quality and taste.
    _rule("water_quality", r"怪味|异味|有味道|有股.{0,6}味|一股.{0,6}味|味儿|水垢|杂质|发黄|浑|白色漂浮|"
          r"口感(?:很|太|也)?(?:一般|差|不好|不行|变差)|水质(?:很|太|也)?(?:一般|差|不好|不行|变差)|"
          r"tds.{0,4}(?:降不下|不降|很高|偏高|高|\d{3})|不好喝|难喝|发苦|发涩|苦|涩|咸|余氯|黑渣|沙|油膜",
          context=_WATER, unless=r"焦|烧焦|糊", bad_thing=True),
    # The product itself.
    _rule("product_quality", r"坏了|坏掉|质量(?:太|很|非常|也|真是)?(?:差|不行|一般|堪忧|有问题|不好|稀碎)|"
          r"做工(?:很|太)?(?:粗糙|差|拉胯)|粗糙|拉胯|裂痕|裂缝|开裂|炸裂|噪音(?:很|太|特别)?大|声音(?:很|太|特别)?大|"
          r"异响|漏水|渗水|故障|失灵|不灵|不制冷|不制热|不出水|不工作|罢工|死机|报错|报警|生锈|掉漆|"
          r"出问题|有问题|毛病|趴窝|跳闸|冒烟|焦|不加热|不凉|不热|不转|结冰|发霉|嗡嗡|咔咔|黑屏|不亮|"
          r"打不着|用不了|开不了机|不能用|中看不中用|样子货|吸力.{0,2}(?:弱|小|差|不行|一般)|火力.{0,2}小|"
          r"挂了|垃圾|烧了|变形|一言难尽", bad_thing=True),
    # Price.
    _rule("price", r"价格[^，,；;]{0,6}?(?P<bad>贵|高|虚高|坑|不厚道)"),
    _rule("price", r"比[^，,；;]{0,8}?(?P<bad>(?:还|更)?贵|便宜)"),
    _rule("price", r"降价|不保价|保价|价保|差价|性价比(?:很|太)?(?:低|不高|差)|不值|太贵|很贵|贵了|买贵|"
          r"割韭菜|冤枉钱|冤大头|抢钱|溢价|先涨|便宜了|便宜\d+|便宜.{0,2}百",
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
    start, end = match.span()
    left, right = _clause_bounds(sentence, start, end)
    word = match.start("bad") if "bad" in match.re.groupindex else start
    if _NEGATED_BEFORE.search(sentence[left:start]) or _NEGATED_BEFORE.search(sentence[start:word]):
        return True
    return rule.bad_thing and bool(_NEGATED_AFTER.match(sentence[end:right] + "。"))


def _around(sentence: str, start: int, end: int) -> str:
    _, right = _clause_bounds(sentence, start, end)
    return sentence[max(0, start - CONTEXT_CHARS):start] + " " + sentence[end:right]


def rule_hits(text: str) -> list[str]:
    """Features of the rules' hits on (normalised, said) text: `r:cause`, `r!:cause` when negated."""
    hits: list[str] = []
    for sentence in _sentences(text):
        taken: list[tuple[int, int]] = []
        for rule in RULES:
            for match in rule.phrase.finditer(sentence):
                start, end = match.span()
                if start == end or any(start < b and a < end for a, b in taken):
                    continue
                around = _around(sentence, start, end)
                if rule.context is not None and not rule.context.search(around + match.group(0)):
                    continue
                if rule.unless is not None and rule.unless.search(around):
                    continue
                taken.append((start, end))
                hits.append(("r!:" if _negated(sentence, rule, match) else "r:") + rule.cause)
    return hits


def rule_causes(text: str) -> frozenset[str]:
    """The causes the rules alone name (the rules-only baseline of the figures)."""
    return frozenset(h[2:] for h in rule_hits(text) if h.startswith("r:"))


__all__ = ["RULES", "Rule", "rule_hits", "rule_causes"]
