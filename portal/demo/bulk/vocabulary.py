"""The words generated people are made of: surnames, given names, places, roads and housing
estates, plus the weighted lookup tables the generators draw from."""
from __future__ import annotations

from collections.abc import Callable, Iterable


def weighted_table(weighted: Iterable[tuple]) -> tuple:
    """A lookup table in which each item appears ``weight`` times (item, weight last), so one
    uniform draw picks an item with its weight."""
    table = []
    for entry in weighted:
        item = entry[0] if len(entry) == 2 else entry[:-1]
        table.extend([item] * entry[-1])
    return tuple(table)


# (surname, pinyin, weight per mille) - the most common surnames, roughly by frequency.
SURNAMES = (
    ("王", "wang", 72), ("李", "li", 72), ("张", "zhang", 68), ("刘", "liu", 54), ("陈", "chen", 45),
    ("杨", "yang", 31), ("黄", "huang", 22), ("赵", "zhao", 21), ("吴", "wu", 20), ("周", "zhou", 19),
    ("徐", "xu", 13), ("孙", "sun", 12), ("马", "ma", 12), ("朱", "zhu", 11), ("胡", "hu", 10),
    ("郭", "guo", 10), ("何", "he", 9), ("林", "lin", 9), ("高", "gao", 9), ("罗", "luo", 8),
    ("郑", "zheng", 8), ("梁", "liang", 7), ("谢", "xie", 6), ("宋", "song", 6), ("唐", "tang", 6),
    ("许", "xu", 5), ("韩", "han", 5), ("邓", "deng", 5), ("冯", "feng", 5), ("曹", "cao", 5),
    ("彭", "peng", 5), ("曾", "zeng", 4), ("肖", "xiao", 4), ("田", "tian", 4), ("董", "dong", 4),
    ("潘", "pan", 4), ("袁", "yuan", 4), ("蔡", "cai", 4), ("蒋", "jiang", 4), ("余", "yu", 4),
    ("于", "yu", 4), ("杜", "du", 4), ("叶", "ye", 4), ("程", "cheng", 3), ("魏", "wei", 3),
    ("苏", "su", 3), ("吕", "lv", 3), ("丁", "ding", 3), ("任", "ren", 3), ("卢", "lu", 3),
    ("姚", "yao", 3), ("沈", "shen", 3), ("钟", "zhong", 3), ("姜", "jiang", 3), ("崔", "cui", 3),
    ("谭", "tan", 3), ("陆", "lu", 3), ("范", "fan", 2), ("汪", "wang", 2), ("廖", "liao", 2),
    ("石", "shi", 2), ("金", "jin", 2), ("韦", "wei", 2), ("贾", "jia", 2), ("夏", "xia", 2),
    ("付", "fu", 2), ("方", "fang", 2), ("邹", "zou", 2), ("熊", "xiong", 2), ("白", "bai", 2),
    ("孟", "meng", 2), ("秦", "qin", 2), ("邱", "qiu", 2), ("侯", "hou", 2), ("江", "jiang", 2),
    ("尹", "yin", 2), ("薛", "xue", 2), ("闫", "yan", 2), ("段", "duan", 2), ("雷", "lei", 2),
    ("龙", "long", 1), ("黎", "li", 1), ("史", "shi", 1), ("陶", "tao", 1), ("贺", "he", 1),
    ("毛", "mao", 1), ("郝", "hao", 1), ("顾", "gu", 1), ("龚", "gong", 1), ("邵", "shao", 1),
    ("万", "wan", 1), ("覃", "qin", 1), ("武", "wu", 1), ("钱", "qian", 1), ("戴", "dai", 1),
    ("严", "yan", 1), ("欧阳", "ouyang", 1), ("司马", "sima", 1), ("上官", "shangguan", 1), ("诸葛", "zhuge", 1),
)
MALE_GIVEN = (
    ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("勇", "yong"), ("杰", "jie"), ("涛", "tao"),
    ("斌", "bin"), ("超", "chao"), ("明", "ming"), ("刚", "gang"), ("平", "ping"), ("辉", "hui"), ("鹏", "peng"),
    ("华", "hua"), ("飞", "fei"), ("鑫", "xin"), ("波", "bo"), ("宇", "yu"), ("浩", "hao"), ("凯", "kai"),
    ("健", "jian"), ("俊", "jun"), ("帆", "fan"), ("帅", "shuai"), ("旭", "xu"), ("宁", "ning"), ("龙", "long"),
    ("建", "jian"), ("国", "guo"), ("志", "zhi"), ("文", "wen"), ("东", "dong"), ("海", "hai"), ("峰", "feng"),
    ("亮", "liang"), ("成", "cheng"), ("晨", "chen"), ("博", "bo"), ("阳", "yang"), ("睿", "rui"), ("轩", "xuan"),
    ("泽", "ze"), ("豪", "hao"), ("诚", "cheng"), ("毅", "yi"), ("彬", "bin"), ("康", "kang"), ("振", "zhen"),
)
FEMALE_GIVEN = (
    ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("艳", "yan"), ("娟", "juan"),
    ("霞", "xia"), ("秀", "xiu"), ("玲", "ling"), ("燕", "yan"), ("婷", "ting"), ("雪", "xue"), ("慧", "hui"),
    ("莉", "li"), ("琳", "lin"), ("颖", "ying"), ("倩", "qian"), ("洁", "jie"), ("晶", "jing"), ("佳", "jia"),
    ("琪", "qi"), ("欣", "xin"), ("悦", "yue"), ("怡", "yi"), ("萱", "xuan"), ("雨", "yu"), ("梦", "meng"),
    ("月", "yue"), ("兰", "lan"), ("红", "hong"), ("梅", "mei"), ("丹", "dan"), ("蕾", "lei"), ("薇", "wei"),
    ("璐", "lu"), ("瑶", "yao"), ("婧", "jing"), ("妍", "yan"), ("萍", "ping"), ("桂", "gui"), ("英", "ying"),
)
# (division code, address prefix, district) - the code opens the resident ID number.
REGIONS = (
    ("110105", "北京市", "朝阳区"), ("110108", "北京市", "海淀区"), ("310104", "上海市", "徐汇区"),
    ("310115", "上海市", "浦东新区"), ("120101", "天津市", "和平区"), ("500103", "重庆市", "渝中区"),
    ("440106", "广东省广州市", "天河区"), ("440305", "广东省深圳市", "南山区"), ("330106", "浙江省杭州市", "西湖区"),
    ("320102", "江苏省南京市", "玄武区"), ("320505", "江苏省苏州市", "虎丘区"), ("510107", "四川省成都市", "武侯区"),
    ("420106", "湖北省武汉市", "武昌区"), ("610113", "陕西省西安市", "雁塔区"), ("370102", "山东省济南市", "历下区"),
    ("370202", "山东省青岛市", "市南区"), ("350102", "福建省福州市", "鼓楼区"), ("350203", "福建省厦门市", "思明区"),
    ("430104", "湖南省长沙市", "岳麓区"), ("210102", "辽宁省沈阳市", "和平区"), ("210202", "辽宁省大连市", "中山区"),
    ("410105", "河南省郑州市", "金水区"), ("340104", "安徽省合肥市", "蜀山区"), ("360102", "江西省南昌市", "东湖区"),
    ("530102", "云南省昆明市", "五华区"), ("450103", "广西壮族自治区南宁市", "青秀区"), ("130102", "河北省石家庄市", "长安区"),
    ("140105", "山西省太原市", "小店区"), ("230103", "黑龙江省哈尔滨市", "南岗区"), ("220102", "吉林省长春市", "南关区"),
    ("520102", "贵州省贵阳市", "南明区"), ("620102", "甘肃省兰州市", "城关区"), ("150102", "内蒙古自治区呼和浩特市", "新城区"),
    ("460106", "海南省海口市", "龙华区"), ("650102", "新疆维吾尔自治区乌鲁木齐市", "天山区"),
)
ROADS = (
    "人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "长江路", "黄河路", "文化路", "胜利路", "朝阳路",
    "青年路", "光明路", "友谊路", "幸福路", "东风路", "学府路", "科技路", "创业大道", "滨江路", "湖滨路", "花园路",
    "育才路", "金融街", "世纪大道", "银河路", "环城北路", "振兴路", "体育路", "迎宾大道",
)
ESTATE_NAMES = (
    "阳光", "幸福", "金色", "碧水", "翠湖", "锦绣", "春天", "东方", "世纪", "明珠", "御景", "滨江", "枫林", "紫荆", "康乐", "和谐",
)
ESTATES = ("花园", "小区", "家园", "新村", "公寓", "苑", "华庭", "嘉园")
EMAIL_DOMAINS = ("example.com", "example.cn", "example.net", "example.org")

SURNAME_TABLE = weighted_table((s, w) for s, _p, w in SURNAMES)
SURNAME_PINYIN = {s: p for s, p, _w in SURNAMES}
GIVEN_PINYIN = dict(MALE_GIVEN + FEMALE_GIVEN)
_MALE_CHARACTERS = tuple(c for c, _ in MALE_GIVEN)
_FEMALE_CHARACTERS = tuple(c for c, _ in FEMALE_GIVEN)


def given_name(r: Callable[[], float], is_male: bool) -> str:
    """One or (seven times in ten) two characters; ``r`` is the caller's random stream."""
    pool = _MALE_CHARACTERS if is_male else _FEMALE_CHARACTERS
    first = pool[int(r() * len(pool))]
    return first if r() < 0.3 else first + pool[int(r() * len(pool))]
