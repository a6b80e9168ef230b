"""Words and places the demo builder draws from: real cities, brands, names, parts.

Coordinates are city centres (city hall or main square), to about 0.05°.
Region codes are the GB/T 2260 codes of a central district, for ID numbers.
"""
from __future__ import annotations

from typing import NamedTuple


class City(NamedTuple):
    name: str
    province: str
    lat: float
    lon: float
    region_codes: tuple[str, ...]
    weight: float          # share of demand, relative
    sla_wave: int          # 0: among the first 17; 1-3 later steps; 9: not covered


CITIES = (
    City("宁波", "浙江省", 29.87, 121.55, ("330203", "330206", "330212"), 4.0, 0),
    City("武汉", "湖北省", 30.59, 114.31, ("420102", "420106"), 3.5, 0),
    City("北京", "北京市", 39.90, 116.40, ("110101", "110105", "110108"), 3.5, 0),
    City("上海", "上海市", 31.23, 121.47, ("310101", "310104", "310115"), 3.5, 0),
    City("广州", "广东省", 23.13, 113.26, ("440104", "440106"), 3.0, 0),
    City("深圳", "广东省", 22.54, 114.06, ("440303", "440304", "440305"), 3.0, 0),
    City("杭州", "浙江省", 30.27, 120.16, ("330102", "330106"), 3.0, 0),
    City("南京", "江苏省", 32.06, 118.80, ("320102", "320106"), 2.5, 0),
    City("成都", "四川省", 30.66, 104.07, ("510104", "510107"), 2.5, 0),
    City("重庆", "重庆市", 29.56, 106.55, ("500103", "500105"), 2.5, 0),
    City("西安", "陕西省", 34.34, 108.94, ("610102", "610113"), 2.0, 0),
    City("长沙", "湖南省", 28.23, 112.94, ("430102", "430104"), 2.0, 0),
    City("郑州", "河南省", 34.75, 113.63, ("410102", "410105"), 2.0, 0),
    City("青岛", "山东省", 36.07, 120.38, ("370202", "370203"), 1.8, 0),
    City("苏州", "江苏省", 31.30, 120.59, ("320505", "320508"), 2.0, 0),
    City("天津", "天津市", 39.13, 117.20, ("120101", "120103"), 2.0, 0),
    City("合肥", "安徽省", 31.82, 117.23, ("340102", "340104"), 1.6, 0),
    City("济南", "山东省", 36.65, 117.12, ("370102", "370103"), 1.5, 1),
    City("沈阳", "辽宁省", 41.80, 123.43, ("210102", "210103"), 1.4, 1),
    City("大连", "辽宁省", 38.91, 121.61, ("210202", "210204"), 1.2, 1),
    City("厦门", "福建省", 24.48, 118.09, ("350203", "350206"), 1.3, 1),
    City("福州", "福建省", 26.07, 119.30, ("350102", "350104"), 1.3, 1),
    City("昆明", "云南省", 25.04, 102.71, ("530102", "530103"), 1.2, 1),
    City("无锡", "江苏省", 31.49, 120.31, ("320213", "320211"), 1.3, 1),
    City("佛山", "广东省", 23.02, 113.12, ("440604", "440606"), 1.4, 1),
    City("东莞", "广东省", 23.02, 113.75, ("441900",), 1.4, 2),
    City("南宁", "广西壮族自治区", 22.82, 108.37, ("450102", "450103"), 1.0, 2),
    City("南昌", "江西省", 28.68, 115.86, ("360102", "360103"), 1.0, 2),
    City("石家庄", "河北省", 38.04, 114.51, ("130102", "130104"), 1.0, 2),
    City("太原", "山西省", 37.87, 112.55, ("140105", "140106"), 0.9, 2),
    City("哈尔滨", "黑龙江省", 45.80, 126.53, ("230102", "230103"), 1.0, 2),
    City("长春", "吉林省", 43.82, 125.32, ("220102", "220104"), 0.9, 2),
    City("温州", "浙江省", 28.00, 120.67, ("330302", "330304"), 1.1, 3),
    City("绍兴", "浙江省", 30.00, 120.58, ("330602", "330603"), 0.9, 3),
    City("嘉兴", "浙江省", 30.75, 120.76, ("330402", "330411"), 0.8, 3),
    City("常州", "江苏省", 31.81, 119.97, ("320402", "320411"), 0.9, 3),
    City("徐州", "江苏省", 34.26, 117.18, ("320302", "320311"), 0.8, 3),
    City("烟台", "山东省", 37.46, 121.45, ("370602", "370613"), 0.7, 3),
    City("贵阳", "贵州省", 26.65, 106.63, ("520102", "520103"), 0.8, 9),
    City("兰州", "甘肃省", 36.06, 103.83, ("620102", "620103"), 0.7, 9),
)

# Ningbo's Beilun district (port and industrial area): its own cluster of communities.
BEILUN = (29.90, 121.84)
BEILUN_PLACES = ("新碶", "大碶", "小港", "霞浦", "柴桥", "春晓")

# brand, is_partner, categories it makes
BRANDS = (
    ("美的", False, ("air_conditioner", "water_purifier", "range_hood", "washing_machine",
                   "refrigerator", "water_heater", "gas_stove")),
    ("格力", False, ("air_conditioner", "water_purifier", "water_heater")),
    ("海尔", False, ("air_conditioner", "water_purifier", "washing_machine", "refrigerator",
                   "water_heater")),
    ("奥克斯", False, ("air_conditioner",)),
    ("海信", False, ("air_conditioner", "washing_machine", "refrigerator")),
    ("西门子", False, ("washing_machine", "refrigerator", "range_hood", "gas_stove")),
    ("松下", False, ("air_conditioner", "washing_machine", "refrigerator")),
    ("万家乐", False, ("water_heater", "gas_stove", "range_hood")),
    ("方太", True, ("range_hood", "gas_stove", "water_heater", "water_purifier")),
    ("老板", True, ("range_hood", "gas_stove", "water_purifier")),
    ("华帝", True, ("range_hood", "gas_stove", "water_heater")),
    ("沁园", True, ("water_purifier",)),
    ("安吉尔", True, ("water_purifier",)),
    ("史密斯", True, ("water_purifier", "water_heater")),
    ("3M", True, ("water_purifier",)),
    ("碧水源", True, ("water_purifier",)),
    ("小米", True, ("air_conditioner", "water_purifier", "washing_machine", "refrigerator")),
    ("云米", True, ("water_purifier", "refrigerator", "range_hood")),
    ("万和", True, ("water_heater", "gas_stove", "range_hood")),
    ("大金", True, ("air_conditioner",)),
)

# Share of appliances by category (order of schema.CATEGORIES).
CATEGORY_MIX = (0.30, 0.28, 0.12, 0.09, 0.07, 0.09, 0.05)

# Monthly demand factors (Jan..Dec) per category: air conditioners peak in
# summer, water purifiers surge in November ("双十一"), heaters in winter.
SEASON = {
    "air_conditioner": (0.5, 0.5, 0.6, 0.8, 1.3, 2.0, 2.4, 2.2, 1.2, 0.8, 0.6, 0.5),
    "water_purifier": (0.8, 0.7, 0.8, 0.9, 0.9, 1.0, 1.0, 1.0, 1.0, 1.1, 2.2, 1.3),
    "range_hood": (1.2, 0.8, 0.9, 1.0, 1.0, 0.9, 0.9, 0.9, 1.0, 1.1, 1.3, 1.1),
    "washing_machine": (1.0, 0.8, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.3, 1.0),
    "refrigerator": (0.9, 0.8, 0.9, 1.0, 1.1, 1.2, 1.2, 1.1, 1.0, 0.9, 1.2, 0.9),
    "water_heater": (1.4, 1.2, 1.1, 0.9, 0.8, 0.7, 0.7, 0.7, 0.8, 1.0, 1.3, 1.4),
    "gas_stove": (1.2, 0.9, 1.0, 1.0, 1.0, 0.9, 0.9, 0.9, 1.0, 1.0, 1.2, 1.1),
}
WEEKDAY = (0.95, 0.9, 0.9, 0.95, 1.05, 1.3, 1.25)  # Monday..Sunday
# Orders by hour of day: a morning peak, a lull at lunch, an evening peak.
HOURS = (0.05, 0.02, 0.01, 0.01, 0.01, 0.03, 0.15, 0.5, 1.4, 2.0, 2.2, 1.9,
         1.3, 1.5, 1.8, 1.8, 1.6, 1.4, 1.3, 1.5, 1.6, 1.2, 0.5, 0.15)

SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = tuple("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英霞平刚桂兰华建国玉梅红波辉鹏飞晶婷雪琳慧欣宇浩然子轩梓涵思雨佳怡俊文博志嘉诚晨阳一鸣心悦海燕春燕秋菊晓东小龙德胜永福金凤玉兰家豪天佑")

COMMUNITY_HEADS = ("万科", "保利", "绿地", "碧桂园", "恒大", "龙湖", "金地", "融创", "中海",
                   "华润", "招商", "世茂", "阳光", "锦绣", "金色", "翡翠", "东方", "滨江", "新城",
                   "蓝光", "雅居乐", "远洋", "荣盛", "富力", "旭辉", "建发", "泰禾", "中南")
COMMUNITY_MIDS = ("城市", "香槟", "世纪", "凤凰", "国际", "御景", "水岸", "星河", "天悦", "春江",
                  "名都", "壹号", "湖畔", "丽景", "金茂", "紫荆", "翠苑", "书香", "和园", "新都",
                  "江南", "半岛", "悦府", "公园", "未来", "朝阳", "西溪", "锦城")
COMMUNITY_TAILS = ("花园", "小区", "家园", "苑", "府", "新村", "公寓", "华庭", "城", "雅苑",
                   "名邸", "佳园")

PARTS = {  # category -> (part name, cost range in yuan)
    "water_purifier": (("RO反渗透滤芯", 150, 480), ("PP棉滤芯", 20, 60), ("活性炭滤芯", 40, 120),
                       ("后置活性炭滤芯", 40, 110), ("增压泵", 120, 260), ("进水电磁阀", 30, 80)),
    "air_conditioner": (("压缩机", 600, 1500), ("电容", 30, 90), ("遥控器", 30, 80),
                        ("排水泵", 80, 200), ("电机", 150, 400), ("冷媒加注", 150, 350),
                        ("主板", 200, 600)),
    "range_hood": (("电机", 150, 380), ("油杯", 10, 30), ("开关面板", 40, 120),
                   ("止回阀", 20, 60)),
    "washing_machine": (("排水泵", 60, 180), ("电机", 200, 500), ("门锁", 40, 120),
                        ("进水阀", 30, 90), ("皮带", 20, 60)),
    "refrigerator": (("温控器", 50, 150), ("压缩机", 500, 1200), ("门封条", 40, 120),
                     ("除霜加热管", 60, 160)),
    "water_heater": (("加热管", 80, 220), ("镁棒", 30, 80), ("温控器", 50, 130),
                     ("点火针", 20, 60), ("水流传感器", 40, 110)),
    "gas_stove": (("点火针", 20, 60), ("熄火保护装置", 40, 120), ("炉头", 60, 150),
                  ("电池盒", 15, 40)),
}
FILTERS = ("PP棉滤芯", "活性炭滤芯", "RO反渗透滤芯", "后置活性炭滤芯")

RATING_COMMENTS = {
    5: ("师傅很专业，安装很快", "准时上门，服务态度好", "清洗得很干净，点赞", "师傅讲解很耐心",
        "上门前电话联系了，很贴心", "安装规范，走线整齐", "很满意，下次还找你们"),
    4: ("整体不错，就是等得有点久", "师傅挺好，收费略贵", "安装还行，垃圾带走了",
        "服务可以，预约时间改了一次"),
    3: ("一般吧，师傅话不多", "到得比约定晚了半小时", "修好了但是跑了两趟"),
    2: ("迟到了一个小时", "配件要另外加钱，没提前说", "安装后有点漏水"),
    1: ("约好的时间没来，打电话也不接", "态度很差，还乱收费", "修完第二天又坏了"),
}

PLATFORMS = ("京东", "天猫", "拼多多", "抖音")
PRICE_BANDS = ("1000元以下", "1000-2999元", "3000元以上")

# Review text by cause. Negative complaints, positive remarks (some of them
# negated mentions of a cause, "安装很快，没问题"), for mixed reviews both.
REVIEW_COMPLAINTS = {
    "product_quality": ("用了一个月就坏了，质量太差", "机器噪音很大，做工粗糙", "外壳有裂痕，质量堪忧"),
    "water_quality": ("出水有怪味，水质不行", "滤出来的水还是有水垢，口感一般", "TDS值降不下来"),
    "logistics": ("物流太慢了，等了一个星期", "快递盒子都压坏了", "送货不上楼"),
    "installation": ("安装师傅迟到了两个小时", "安装不规范，管子漏水", "约了三次才来安装"),
    "filter": ("滤芯太贵了，换一次几百块", "滤芯寿命太短，三个月就提醒更换", "买不到原装滤芯"),
    "invoice_gift": ("发票一直没开", "说好的赠品没有送", "赠品少发了一个"),
    "not_as_described": ("和描述的不一样，没有宣传的功能", "颜色和图片不符", "说是一级能效，实际不是"),
    "complaint_handling": ("投诉了一个星期都没人处理", "退货流程太麻烦，一直推脱"),
    "service_attitude": ("客服态度很差，爱答不理", "客服只会复制粘贴，解决不了问题"),
    "engineer": ("师傅不专业，装了半天", "师傅乱收费，材料费很贵", "师傅态度不好"),
    "price": ("刚买就降价了，不保价", "价格比实体店还贵"),
}
REVIEW_PRAISES = (
    "安装很快，没问题", "物流很快，第二天就到了", "师傅很专业，讲解细致", "客服态度很好，有问必答",
    "价格实惠，性价比高", "做工精致，外观漂亮", "发票和赠品都收到了，没有问题",
    "送货上门，安装师傅没有乱收费", "和描述一致，很满意", "质量没有问题，用着放心",
)
# Praise and complaint causes that only make sense for some product types.
CATEGORY_PRAISES = {
    "water_purifier": ("水质明显变好，口感不错", "滤芯更换提醒很方便", "用了一段时间，没有异味"),
    "air_conditioner": ("制冷效果很好，很安静", "制热也快，很省电"),
    "range_hood": ("吸力很大，厨房没有油烟味",),
    "water_heater": ("出热水很快，水温稳定",),
}
WATER_ONLY_CAUSES = ("water_quality", "filter")

FREE_REPAIR_SERVICES = ("cleaning", "safety_check", "air_test", "water_test", "filter_change")
