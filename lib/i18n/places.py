"""City names for English readers: the English (pinyin) name beside the Chinese one.

The table covers the cities the demo ships (lib/demo/vocabulary.py) and the other
large cities a production database is likely to hold; a city not in it is shown
as stored. Chinese readers see the stored name unchanged.
"""
from __future__ import annotations

CITY_NAMES_EN = {
    "宁波": "Ningbo", "武汉": "Wuhan", "北京": "Beijing", "上海": "Shanghai", "广州": "Guangzhou",
    "深圳": "Shenzhen", "杭州": "Hangzhou", "南京": "Nanjing", "成都": "Chengdu", "重庆": "Chongqing",
    "西安": "Xi'an", "长沙": "Changsha", "郑州": "Zhengzhou", "青岛": "Qingdao", "苏州": "Suzhou",
    "天津": "Tianjin", "合肥": "Hefei", "济南": "Jinan", "沈阳": "Shenyang", "大连": "Dalian",
    "厦门": "Xiamen", "福州": "Fuzhou", "昆明": "Kunming", "无锡": "Wuxi", "佛山": "Foshan",
    "东莞": "Dongguan", "南宁": "Nanning", "南昌": "Nanchang", "石家庄": "Shijiazhuang",
    "太原": "Taiyuan", "哈尔滨": "Harbin", "长春": "Changchun", "温州": "Wenzhou", "绍兴": "Shaoxing",
    "嘉兴": "Jiaxing", "常州": "Changzhou", "徐州": "Xuzhou", "烟台": "Yantai", "贵阳": "Guiyang",
    "兰州": "Lanzhou", "珠海": "Zhuhai", "中山": "Zhongshan", "惠州": "Huizhou", "泉州": "Quanzhou",
    "南通": "Nantong", "扬州": "Yangzhou", "台州": "Taizhou", "金华": "Jinhua", "湖州": "Huzhou",
    "潍坊": "Weifang", "乌鲁木齐": "Ürümqi", "呼和浩特": "Hohhot", "海口": "Haikou", "三亚": "Sanya",
    "拉萨": "Lhasa", "西宁": "Xining", "银川": "Yinchuan", "洛阳": "Luoyang", "唐山": "Tangshan",
}


def city_name(name, language: str) -> str:
    """`name` as a reader of `language` wants it: "Ningbo 宁波" in English, "宁波" in Chinese."""
    if name is None or name != name:
        return ""
    text = str(name)
    english = CITY_NAMES_EN.get(text)
    return f"{english} {text}" if language == "en" and english else text
