"""Deterministic, fictional rosters of studios (示例数据，纯属虚构) for demos, tests and benchmarks.

:func:`generate` builds a roster shaped like the files unions keep (``shared/docs/input-format.md``):
rows keyed by the Chinese headers a clerk writes, in six sheets — studios (工作室), key projects
(重点项目), past collaborations (合作记录), existing alliances (联盟), the studios' ledgers (台帐,
Article 8) and their funding (经费, Article 10). Every value is drawn from the shipped taxonomies
(``graph.taxonomy``), so every 工种, 行业 and 产业链环节 resolves exactly, and each studio keeps its
true codes in :attr:`Roster.labels` so a classifier can be measured on rows whose codes were stripped.

The ledgers, the funding and the studios' founding days, venues, funds and leaders' status years are
drawn from a second random stream (seeded from the seed), so the first four sheets are the same as
before those were added.

How a studio is made, in one pass and without any all-pairs step:

1. a trade (工种) by a Zipf-like law over a ranked list (电工, 焊工, 车工, 钳工, 护士 … dominate);
2. a *setting* for that trade: either a chain segment (``ic/wafer-fab`` …), whose industry classes
   and employers it takes, or a setting outside the chains (power grid, hospital, school …);
3. an employer of that setting (often one already made: big employers host many studios), which
   fixes the district, the industry class and the union;
4. a leader with a fictional name, honours and status; a level and years; expertise and needs from
   phrase banks per trade family and per segment, the needs pointing at other fields
   (cross-field complementarity) and at the segments upstream and downstream.

Names of people and employers are random combinations of common characters; no real person or
company is meant. District and union names, trades, industries and chains are the real
classifications, used for illustration.

Complexity: O(n) time and memory for ``n`` studios (150,000 studios take a few seconds); the xlsx
writer streams rows (openpyxl write-only mode) and rewrites the archive entry by entry with fixed
timestamps, so that the same roster gives the same bytes.

>>> roster = generate(50, seed=1)
>>> len(roster.studios), roster.studios[0]["编号"]
(50, 'SH000001')
"""

from __future__ import annotations

import bisect
import csv
import datetime as _dt
import json
import random
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from graph import taxonomy
from graph.model import Segment

from .normalise import DISTRICTS

__all__ = [
    "ALLIANCE_HEADERS",
    "COLLABORATION_HEADERS",
    "DISTRICTS",
    "FUNDING_HEADERS",
    "LEDGER_HEADERS",
    "NAMING_LIST_HEADERS",
    "NOTE_SHEET",
    "PROJECT_HEADERS",
    "SHEETS",
    "STUDIO_HEADERS",
    "Roster",
    "generate",
    "naming_list",
    "write_csv",
    "write_json",
    "write_xlsx",
]

SHEETS = ("工作室", "重点项目", "合作记录", "联盟", "台帐", "经费")
"""Sheet names, in the order of :meth:`Roster.sheets`: studios, projects, collaborations, alliances,
ledger, funding."""
NOTE_SHEET = "说明"
"""The first sheet of a written workbook: says the data is illustrative, and how it was made."""

STUDIO_HEADERS = (
    "编号",
    "工作室名称",
    "领衔人",
    "领衔人荣誉",
    "领衔人状态",
    "所在单位",
    "所属工会",
    "所在区",
    "命名级别",
    "命名年份",
    "成立年份",
    "工种",
    "行业",
    "产业链环节",
    "技术专长",
    "攻关需求",
    "团队人数",
    "成立日期",
    "固定场所",
    "专项经费（元/年）",
    "领衔人状态年份",
)
"""The studio columns; the last four (founding day, venue, funds, leader's status year) are filled
for some studios only."""
PROJECT_HEADERS = ("编号", "项目名称", "产业链", "产业链环节", "所需能力", "牵头工会")
COLLABORATION_HEADERS = ("工作室A", "工作室B", "年份", "合作内容")
ALLIANCE_HEADERS = ("编号", "联盟名称", "类型", "成员", "成立年份")
LEDGER_HEADERS = (
    "工作室",
    "台帐类型",
    "年份",
    "日期",
    "名称",
    "内容",
    "经济社会效益",
    "效益金额（万元）",
    "创新类型",
    "获奖情况",
    "认定攻关项目",
)
FUNDING_HEADERS = ("工作室", "年份", "资助来源", "金额（元）", "备注")
NAMING_LIST_HEADERS = ("序号", "工作室名称", "领衔人", "所在单位", "推荐单位")
"""A bare published naming list (命名名单), as unions publish it."""

_HEADERS = (STUDIO_HEADERS, PROJECT_HEADERS, COLLABORATION_HEADERS, ALLIANCE_HEADERS, LEDGER_HEADERS, FUNDING_HEADERS)
_NUMERIC = frozenset({"命名年份", "成立年份", "团队人数", "年份", "专项经费（元/年）", "领衔人状态年份", "金额（元）"})
"""Columns a clerk's Excel holds as numbers; written as numbers to the xlsx, as text to CSV."""

_DISTRICT_WEIGHTS = (5, 5, 3, 5, 4, 3, 5, 9, 7, 7, 20, 4, 7, 4, 4, 2)
_DISTRICT_SHORT = {d: d.removesuffix("新区").removesuffix("区") for d in DISTRICTS}

FIRST_YEAR, LAST_YEAR = 2005, 2025
"""Naming years (命名年份) run over these years; collaborations from 2016."""
_FIXED_TIME = _dt.datetime(2019, 10, 9, 0, 0, 0)  # 沪工总基〔2019〕191号, the rules' date
_ZIP_TIME = (2019, 10, 9, 0, 0, 0)

T = TypeVar("T")


# ================================================================ the roster


@dataclass(frozen=True)
class Roster:
    """A generated roster: six sheets of rows keyed by Chinese headers, and the studios' true codes.

    ``labels`` maps a studio's 编号 to ``{"industry": code, "trades": [codes], "segments": [ids]}``:
    what the rows say in 行业 / 工种 / 产业链环节, as codes, for evaluating a classifier.
    """

    studios: list[dict[str, str]]
    projects: list[dict[str, str]]
    collaborations: list[dict[str, str]]
    alliances: list[dict[str, str]]
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    ledger: list[dict[str, str]] = field(default_factory=list)
    """Ledger lines (台帐, Article 8): activities, results and members' development."""
    funding: list[dict[str, str]] = field(default_factory=list)
    """Funding (经费, Article 10): the municipal subsidy, the union's match, the employer's funds."""

    def sheets(self) -> dict[str, list[dict[str, str]]]:
        """The six sheets by their Chinese names (:data:`SHEETS`)."""
        rows = (self.studios, self.projects, self.collaborations, self.alliances, self.ledger, self.funding)
        return dict(zip(SHEETS, rows, strict=True))


# ================================================================ reference text (fictional)


def _phrases(text: str) -> tuple[str, ...]:
    """Phrases written ``a|b|c`` (a compact form for the banks below)."""
    return tuple(p for p in text.split("|") if p)


def _words(text: str) -> tuple[str, ...]:
    """Names written space-separated."""
    return tuple(text.split())


# Common surnames, Shanghai's frequent ones (陆 沈 顾 钱 …) among them; repeated = more frequent.
_SURNAMES = (
    "王王王王李李李张张张刘刘陈陈陈徐徐徐朱朱周周周沈沈陆陆顾顾杨杨黄黄吴吴赵孙孙钱钱胡胡"
    "金金施施曹曹蒋蒋俞俞汪汪姚姚范范冯唐唐潘潘马高何郭林罗郑梁谢宋许韩邓彭曾肖田董袁于"
    "蔡余杜叶程苏魏吕丁任卢姜崔钟谭方石贾夏付白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺毛郝龚邵"
    "万严武戴莫孔汤倪奚葛龚翁郁浦瞿盛庄杭缪邢黄"
)
_MALE = (
    "伟强军勇杰涛斌明华平刚建国辉峰磊鹏志宏波飞超亮俊晨浩宇龙海林东文斌卫新忠毅振民荣"
    "德春雷洪金明中永长海兴庆祥伟骏嘉伦凯坚根宝福生良顺荣鑫旭阳晖锋彬昊"
)
_FEMALE = "丽敏静燕艳娟霞芳萍玲红梅琳颖洁雪婷莉慧佳蓉英珍琴岚虹倩悦怡雯蕾瑾秋菊凤兰萍晓"
# Famous model workers and craftsmen: never produce their names, so no row reads as a real person.
_RESERVED_NAMES = frozenset(
    _words(
        "李斌 包起帆 徐虎 杨怀远 王曙群 胡双钱 张黎明 许振超 高凤林 李万君 洪家光 顾秋亮 王进 孟剑锋 "
        "艾爱国 邹彬 竺士杰 徐小平 杨富林 孔祥瑞 李素丽 马恒昌 王崇伦 时传祥 郝建秀 王铁人 王进喜"
    )
)
# Characters for fictional company names (字号); pairs of them, minus pairs that spell a known brand.
_ZIHAO = (
    "华宏晶芯恒泰瑞博联达鑫源信诚新创远光微精智睿峰航汇通丰盛安康德立科嘉成兴益和天明正隆腾锐启拓越"
    "致卓辰星辉磊奥凯捷迈众力骏聚元协润昌永申浦沪江海岳"
)
_ZIHAO_AVOID = frozenset(
    _words(
        "华为 华虹 华力 宏力 中芯 联影 上汽 振华 宝钢 申通 光明 江南 华谊 恒瑞 药明 复星 海立 华东 永达 汇众 "
        "华鑫 联创 新华 天华 华海 海通 申达 康德 泰康 安信 华泰 博华 华联 联华 永安 华润 昌华 明华 源华 "
        "德华 华安 华明 华源 华成 华丰 华兴 华通 和平 新光"
    )
)


# ---- trades: rank (Zipf), and the settings each trade works in

_TOP_TRADES = _words(
    "电工 焊工 车工 装配钳工 护士 汽车装调工 半导体芯片制造工 机修钳工 化工总控工 客运车辆驾驶员 "
    "送配电线路工 铣工 多工序数控机床操作调整工 仪器仪表维修工 药物制剂工 金属船体制造工 飞机装配工 "
    "起重装卸机械操作工 计算机软件工程技术人员 中式烹调师 变配电运行值班员 模具工 质检员 轨道交通列车司机 "
    "中等职业学校教师 内科医师 外科医师 工业机器人系统运维员 电子设备装接工 汽车维修工 集成电路工程技术人员 "
    "继电保护员 设备点检员 无损检测员 化学检验员 城市轨道交通检修工 管工 混凝土工 生活垃圾清运工 快递员 "
    "服装制版师 电池制造工 基因工程药品生产工 半导体分立器件和集成电路装调工 电子专用设备装调工 "
    "人工智能工程技术人员 信息通信网络线务员 发电集控值班员 水生产处理工 燃气储运工 急诊护士 养老护理员 "
    "助产士 外科护士 临床检验技师 磨工 冲压工 涂装工 铸造工 建筑信息模型技术员"
)
"""The most frequent trades first; the rest follow in file order. Weight of rank r: 1 / (r + 2)."""

# Settings: a segment id, or a key of _PLAIN_SETTINGS; "key:weight" separated by spaces.
_CATEGORY_SETTINGS = {
    "machining": "equipment/machine-tools:3 equipment/basic-parts:3 equipment/aerospace:2 auto/parts:2.5 "
    "equipment/energy:1.5 equipment/rail:1 equipment/marine:1 ic/equipment:1 equipment/mro:1 biomed/devices:0.5",
    "surface": "auto/vehicle:2 auto/parts:2 equipment/basic-processes:2 equipment/marine:1 materials/chem-new:1",
    "welding": "equipment/marine:3 equipment/energy:2 auto/vehicle:2 equipment/rail:1.5 construction:2 "
    "equipment/aerospace:1 equipment/basic-processes:1 materials/metal-smelting:1 gas:0.5",
    "electrical": "grid:5 ic/wafer-fab:1 auto/vehicle:1 materials/metal-smelting:1.5 equipment/energy:1.5 power:1 "
    "metro:1 equipment/mro:1 ai/compute:0.5 materials/basic-chem:1 construction:0.8 health/hospitals:0.3",
    "instrumentation": "equipment/control:4 materials/basic-chem:2 biomed/chem-drugs:1 ic/wafer-fab:1 power:1 "
    "materials/metal-smelting:1",
    "metrology": "materials/testing-application:2 equipment/control:1 grid:1 ic/wafer-fab:1 inspection:2",
    "automation": "equipment/robots:4 auto/vehicle:2 ai/robots:2 electronics/consumer:1 ai/applications:1",
    "chemical": "materials/basic-chem:4 materials/chem-new:3 materials/bio-based:1 ic/materials:1",
    "pharmaceutical": "biomed/chem-drugs:3 biomed/biologics:3 biomed/api:2 biomed/tcm:1 biomed/discovery:1",
    "medtech": "biomed/devices:4 health/equipment-aids:2",
    "semiconductor": "ic/wafer-fab:3 ic/packaging-test:2 ic/materials:1 ic/equipment:1 ic/power-discrete:1",
    "electronics": "electronics/pcb:2 electronics/consumer:2 electronics/communication:2 electronics/computing:1",
    "software": "electronics/software:4 ai/applications:2 health/digital:1 ai/compute:1 auto/intelligent:0.5 grid:0.5",
    "ai": "ai/models:3 ai/perception:3 ai/applications:2 ai/autonomous:1",
    "telecom": "electronics/network-services:5 electronics/communication:1",
    "automotive": "auto/vehicle:3 auto/parts:1 auto/aftermarket:2",
    "aerospace": "equipment/aerospace:5",
    "shipbuilding": "equipment/marine:5",
    "shipping": "shipping:5",
    "rail": "metro:5",
    "maintenance": "equipment/mro:3 materials/metal-smelting:2 auto/vehicle:1 ic/wafer-fab:1 biomed/chem-drugs:0.5 "
    "materials/basic-chem:1 power:0.5 port:0.5",
    "construction": "construction:5",
    "logistics": "logistics:3 port:3",
    "transport": "bus:5",
    "energy": "power:5",
    "water": "water:5",
    "gas": "gas:5",
    "textile": "fashion/apparel:3 fashion/textiles:3",
    "food": "food:4 health/nutrition:1",
    "catering": "catering:5",
    "retail": "retail:4 fashion/retail-brand:2",
    "sanitation": "sanitation:5",
    "medical": "health/hospitals:3 hospital:3",
    "nursing": "hospital:8 health/hospitals:1",
    "quality": "materials/testing-application:2 ic/wafer-fab:1 auto/vehicle:1.5 biomed/chem-drugs:1 "
    "materials/metal-smelting:1 equipment/aerospace:1 inspection:2",
    "safety": "construction:2 materials/basic-chem:2 materials/metal-smelting:1 metro:1 port:1",
    "education": "school:5",
    "agriculture": "farm:5",
    "research": "health/research:2 biomed/discovery:2 materials/frontier:2",
    "materials": "materials/advanced-metals:3 materials/chem-new:1 materials/inorganic:1",
    "design": "fashion/design:2 fashion/lifestyle:2 electronics/consumer:1 fashion/jewelry-crafts:1",
}
_TRADE_SETTINGS = {
    "铸造工 锻造工 金属热处理工": "equipment/basic-processes:5 auto/parts:1 materials/advanced-metals:1",
    "模具工 模具设计工程技术人员": "equipment/machine-tools:4 auto/parts:2 electronics/consumer:1",
    "增材制造设备操作员": "equipment/robots:3 materials/frontier:1 equipment/aerospace:1",
    "铆工": "equipment/marine:2 equipment/aerospace:2 equipment/energy:1 materials/metal-smelting:1",
    "冲压工": "auto/vehicle:3 auto/parts:3",
    "变配电运行值班员 送配电线路工 电力电缆安装运维工 继电保护员 变电设备检修工 供电服务员": (
        "grid:8 power:1.5 metro:1 materials/metal-smelting:0.5"
    ),
    "电气设备安装工": "construction:3 grid:1 equipment/energy:1",
    "高低压电器及成套设备装配工": "equipment/energy:3 equipment/control:2",
    "电机制造工": "auto/e-drive:3 equipment/energy:2",
    "电机检修工": "equipment/mro:2 power:1 materials/metal-smelting:1",
    "电池制造工": "auto/battery:5",
    "电工电器工程技术人员": "equipment/energy:2 grid:2 auto/e-drive:1 equipment/control:1",
    "工业视觉系统运维员": "ai/perception:3 equipment/robots:1 electronics/pcb:1",
    "工业气体生产工": "ic/materials:3 materials/basic-chem:2",
    "化妆品配方师 化妆品制造工": "fashion/cosmetics:5",
    "原油蒸馏工": "materials/basic-chem:5",
    "涂料生产工": "materials/chem-new:4 auto/materials:1",
    "合成树脂生产工": "materials/chem-new:3 materials/basic-chem:2",
    "药物制剂工": "biomed/chem-drugs:5 biomed/tcm:1",
    "化学合成制药工": "biomed/api:5",
    "发酵工程制药工 疫苗制品工 血液制品工 基因工程药品生产工 生化药品制造工": "biomed/biologics:5 biomed/bioprocess:1",
    "中药炮制工": "biomed/tcm:5",
    "药物检验员": "biomed/chem-drugs:2 biomed/biologics:2 biomed/tcm:1 biomed/discovery:1",
    "医药商品购销员": "biomed/distribution:5",
    "制药工程技术人员": "biomed/chem-drugs:2 biomed/bioprocess:2 biomed/api:1 biomed/excipients-packaging:1",
    "生物工程技术人员": "biomed/biologics:3 biomed/discovery:2 materials/bio-based:1",
    "医学设备管理工程技术人员": "health/hospitals:3 biomed/devices:1 hospital:2",
    "医用材料产品生产工": "biomed/devices:2 health/equipment-aids:2 biomed/excipients-packaging:1",
    "晶片加工工": "ic/materials:5",
    "半导体芯片制造工": "ic/wafer-fab:6 ic/power-discrete:1",
    "半导体分立器件和集成电路装调工": "ic/packaging-test:5 ic/power-discrete:1",
    "电子专用设备装调工": "ic/equipment:3 ic/wafer-fab:1 biomed/bioprocess:0.5",
    "集成电路工程技术人员": "ic/design:3 ic/wafer-fab:2 ai/chips:1 ic/eda-ip:1 ic/applications:1",
    "电子元器件工程技术人员": "electronics/components:2 ic/power-discrete:2",
    "电子材料工程技术人员": "ic/materials:3 electronics/components:1",
    "印制电路制作工": "electronics/pcb:5",
    "电子设备装接工": "electronics/pcb:2 electronics/consumer:2 electronics/communication:1 auto/intelligent:1",
    "电子设备调试工": "electronics/communication:2 electronics/consumer:2 electronics/computing:1",
    "计算机及外部设备装配调试员": "electronics/computing:3 ai/compute:1",
    "通信系统设备制造工": "electronics/communication:5",
    "智能硬件装调员": "electronics/consumer:3 ai/robots:1",
    "液晶显示器件制造工": "electronics/display:5",
    "嵌入式系统设计工程技术人员": "auto/intelligent:2 electronics/consumer:1 ic/applications:2",
    "云计算工程技术人员": "ai/compute:3 electronics/software:1",
    "网络与信息安全管理员 信息安全工程技术人员": "electronics/software:2 electronics/network-services:2 grid:0.5",
    "物联网安装调试员": "electronics/software:2 electronics/network-services:1 construction:1",
    "工业互联网工程技术人员": "ai/applications:2 electronics/software:2",
    "人工智能训练师": "ai/data:5 ai/models:1",
    "汽车装调工 汽车生产线操作工": "auto/vehicle:5 auto/parts:1",
    "汽车零部件再制造工": "auto/aftermarket:2 equipment/mro:2",
    "汽车维修工": "auto/aftermarket:5 bus:1.5",
    "电池及电池系统维修保养师": "auto/aftermarket:2 auto/battery:2 auto/charging:1",
    "机动车检测工": "auto/aftermarket:4",
    "汽车工程技术人员": "auto/vehicle:2 auto/parts:1 auto/intelligent:1 auto/e-drive:1",
    "航空器机械维护员 航空发动机修理工 民用航空器维修与适航工程技术人员": "equipment/mro:4 equipment/aerospace:1",
    "无人机装调检修工": "ai/autonomous:2 equipment/aerospace:1",
    "船舶修理工": "equipment/mro:3 equipment/marine:1",
    "城市轨道交通检修工": "metro:3 equipment/rail:1 equipment/mro:1",
    "轨道交通信号工": "metro:2 equipment/rail:1",
    "动车组制修师 铁路车辆制修工": "equipment/rail:2 equipment/mro:2",
    "电梯安装维修工": "construction:3 metro:1",
    "制冷空调系统安装维修工": "construction:2 ai/compute:1 hospital:0.5",
    "工程机械维修工": "construction:2 port:2 equipment/mro:1",
    "建设工程质量检测员": "construction:2 inspection:2",
    "快递员 快件处理员 邮政投递员": "logistics:5",
    "起重装卸机械操作工 起重工 理货员 装卸搬运工": "port:4 logistics:1 materials/metal-smelting:0.5 "
    "equipment/marine:0.5",
    "供应链管理师": "logistics:2 biomed/distribution:1 fashion/retail-brand:1 auto/vehicle:0.5",
    "道路货运汽车驾驶员": "logistics:3 port:2",
    "供用电工程技术人员": "grid:3 power:1",
    "纺纱工 织布工 纺织染色工 纺织面料设计师 纺织工程技术人员": "fashion/textiles:5",
    "服装制版师 裁剪工 服装工程技术人员": "fashion/apparel:5",
    "缝纫工": "fashion/apparel:5 fashion/jewelry-crafts:0.5",
    "服装设计人员": "fashion/design:3 fashion/apparel:2",
    "制鞋工": "fashion/leather-footwear:5",
    "食品安全管理师": "food:2 catering:2",
    "客房服务员": "hotel:5",
    "营养配餐员": "catering:2 hospital:1 health/elderly-rehab:1",
    "电子商务师 互联网营销师": "fashion/retail-brand:3 retail:2",
    "环境监测员": "env:5",
    "全科医师": "health/primary-public:3 community:2",
    "临床检验技师": "health/diagnostics:2 health/hospitals:1 hospital:1",
    "康复技师": "health/elderly-rehab:2 hospital:1",
    "药师": "biomed/clinical:2 hospital:2",
    "急诊科医师": "health/hospitals:2 hospital:2 health/primary-public:1",
    "社区护士": "community:4",
    "养老护理员": "health/elderly-rehab:5",
    "医疗护理员": "hospital:2 health/elderly-rehab:2",
    "无损检测员": "equipment/basic-processes:1 equipment/marine:1 equipment/energy:1 inspection:2 "
    "materials/metal-smelting:1",
    "化学检验员": "materials/basic-chem:2 materials/testing-application:2 biomed/chem-drugs:1",
    "电子电气产品检验员": "electronics/consumer:2 electronics/components:1 inspection:1",
    "特种设备检验检测工程技术人员": "inspection:5",
    "小学教师": "primary-school:5",
    "职业培训师": "school:2 grid:1 equipment/mro:1",
    "医学研究人员": "health/research:3 biomed/discovery:2",
    "化学研究人员": "materials/frontier:2 biomed/discovery:2 materials/chem-new:1",
    "生物学研究人员": "biomed/discovery:2 health/research:2 materials/bio-based:1",
    "物理学研究人员": "materials/frontier:3 ic/equipment:1",
    "金属材料工程技术人员": "materials/advanced-metals:3 materials/metal-smelting:2",
    "材料成形与改性工程技术人员": "equipment/basic-processes:2 materials/advanced-metals:2 auto/materials:1 "
    "materials/fibers-composites:1",
    "无机非金属材料工程技术人员": "materials/inorganic:4",
    "塑料加工工程技术人员": "materials/chem-new:3 auto/materials:2 materials/fibers-composites:1",
}
_FEMALE_SHARE = {"nursing": 0.9, "medical": 0.5, "education": 0.55, "catering": 0.4, "retail": 0.6, "textile": 0.6}
_SKILLED_PREFIXES = ("4-", "5-", "6-")
"""Occupation codes of skilled trades (not engineers, doctors or teachers): 技能大师工作室 fits them."""


# ---- settings outside the chains: industries, employers, unions


# Employer templates: "{z}" a fictional 字号, "{d}" the district's short name, "{D}" its full name;
# "=codes" after a template restricts the industry classes it takes.
@dataclass(frozen=True)
class _PlainSetting:
    industries: str
    employers: str
    unions: str = ""
    union_share: float = 0.0
    public: bool = False
    expertise: str = ""


_PLAIN_SETTINGS = {
    "grid": _PlainSetting(
        "4420",
        "国网上海市电力公司{d}供电公司 上海{z}电力工程有限公司 上海{z}电力设备检修有限公司",
        "上海市电力工会",
        0.8,
        expertise="配网不停电作业|智能电网调度运行|电力营销与优质服务|配电自动化运维|电力设施抢修|"
        "新能源并网服务|电缆隧道智能巡检|需求侧响应与节能服务",
    ),
    "power": _PlainSetting(
        "4411 4412 4415 4416",
        "上海{z}发电有限公司=4411 上海{z}热电有限公司=4412 上海{z}新能源发电有限公司=4415,4416",
        "上海市电力工会",
        0.6,
        expertise="机组灵活性调峰|燃煤机组超低排放|新能源场站运维|电厂化学水处理|机组检修管理|热电联产运行优化",
    ),
    "hospital": _PlainSetting(
        "8411 8412 8415",
        "上海市{z}医院 上海{z}医院=8411,8415 上海市{D}{z}医院=8411 上海{z}中医医院=8412",
        "上海市医务工会",
        0.6,
        public=True,
        expertise="临床护理质量改进|医院感染防控|智慧病房建设|急危重症救治|临床路径管理|患者安全管理|护理人才培养",
    ),
    "community": _PlainSetting(
        "8421",
        "上海市{D}{z}社区卫生服务中心",
        "上海市医务工会",
        0.3,
        public=True,
        expertise="社区健康管理|家庭病床服务|慢病随访管理|老年健康服务|社区护理适宜技术",
    ),
    "school": _PlainSetting(
        "83",
        "上海市{z}职业技术学校 上海{z}职业技术学院 上海市{D}{z}中等专业学校 上海市{z}技师学院",
        "上海市教育工会",
        0.7,
        public=True,
        expertise="技能大赛集训|产教融合|实训教学改革|校企合作育人|一体化课程开发|双师型教师培养",
    ),
    "primary-school": _PlainSetting(
        "83",
        "上海市{D}{z}小学 上海市{D}{z}实验小学",
        "上海市教育工会",
        0.5,
        public=True,
        expertise="青少年科创教育|劳动教育课程|课堂教学创新|家校共育",
    ),
    "construction": _PlainSetting(
        "47 48 49 50",
        "上海{z}建设（集团）有限公司=47 上海{z}建筑工程有限公司=47 上海{z}隧道工程有限公司=48 "
        "上海{z}市政工程有限公司=48 上海{z}安装工程有限公司=49 上海{z}装饰工程有限公司=50",
        "上海市建设交通工会",
        0.6,
        expertise="施工安全管理|绿色施工|智能建造|城市更新改造|超高层施工组织|地下空间开发",
    ),
    "metro": _PlainSetting(
        "54",
        "上海{z}轨道交通运营有限公司 上海{z}轨道交通维护保障有限公司",
        "上海市建设交通工会",
        0.7,
        expertise="运营安全管理|故障应急处置|大客流组织|智慧车站建设|设备设施维护",
    ),
    "bus": _PlainSetting(
        "54",
        "上海{z}公共交通有限公司 上海{z}巴士有限公司 上海{z}出租汽车有限公司",
        "上海市建设交通工会",
        0.5,
        expertise="公交线网优化|安全行车管理|新能源车辆运维|乘客服务提升",
    ),
    "port": _PlainSetting(
        "55 59",
        "上海{z}集装箱码头有限公司=55 上海{z}港务有限公司=55 上海{z}国际物流有限公司=59",
        "上海市建设交通工会",
        0.5,
        expertise="智慧港口建设|自动化码头运维|集装箱装卸|港口安全生产|集疏运组织",
    ),
    "shipping": _PlainSetting(
        "55",
        "上海{z}海运有限公司 上海{z}远洋运输有限公司 上海{z}船务有限公司",
        "上海市建设交通工会",
        0.4,
        expertise="远洋航行安全|船舶节能减排|船员技能培训|船舶安全管理",
    ),
    "logistics": _PlainSetting(
        "59 60",
        "上海{z}物流有限公司=59 上海{z}速递有限公司=60 上海{z}供应链管理有限公司=59 上海{z}邮政服务有限公司=60",
        expertise="智慧物流|快递末端服务|仓配一体化|物流安全管理",
    ),
    "water": _PlainSetting(
        "46",
        "上海{z}水务有限公司 上海{z}自来水有限公司 上海{z}污水处理有限公司",
        "上海市建设交通工会",
        0.3,
        expertise="智慧水务|供水安全保障|管网漏损控制|水质安全管理",
    ),
    "gas": _PlainSetting(
        "45",
        "上海{z}燃气有限公司 上海{z}燃气工程有限公司",
        "上海市建设交通工会",
        0.3,
        expertise="燃气安全管理|智慧燃气|管网巡检|用户安全服务",
    ),
    "catering": _PlainSetting(
        "62",
        "上海{z}餐饮管理有限公司 上海{z}酒家有限公司 上海{z}食府有限公司",
        expertise="本帮菜传承|菜品研发|餐饮服务|后厨管理",
    ),
    "hotel": _PlainSetting(
        "61",
        "上海{z}大酒店有限公司 上海{z}宾馆有限公司",
        expertise="酒店服务|客房管理|宾客体验",
    ),
    "retail": _PlainSetting(
        "52",
        "上海{z}百货有限公司 上海{z}商业连锁有限公司 上海{z}超市有限公司",
        expertise="门店运营|商品管理|顾客服务",
    ),
    "food": _PlainSetting(
        "13 14 15",
        "上海{z}食品有限公司=14 上海{z}乳业有限公司=14 上海{z}肉食品有限公司=13 上海{z}饮料有限公司=15",
        expertise="食品安全管理|工艺改进|新品研发",
    ),
    "farm": _PlainSetting(
        "01 05",
        "上海{z}农业科技有限公司=01 上海{d}{z}农业专业合作社=01 上海{z}种业有限公司=05",
        expertise="设施农业|种业创新|农产品质量安全|智慧农业",
    ),
    "sanitation": _PlainSetting(
        "78",
        "上海{z}环境卫生服务有限公司 上海{z}环境科技有限公司 上海{z}园林绿化有限公司",
        expertise="垃圾分类收运|道路保洁|市容环境管理|绿化养护",
    ),
    "env": _PlainSetting(
        "77",
        "上海{z}环境监测技术有限公司 上海{z}环境检测有限公司",
        expertise="环境监测|污染防治|监测数据质量管理",
    ),
    "inspection": _PlainSetting(
        "74",
        "上海{z}检测技术有限公司 上海{z}特种设备检验有限公司 上海{z}质量检验技术服务有限公司",
        expertise="检验检测|特种设备安全|检测能力验证",
    ),
}

_SEGMENT_EMPLOYERS = {
    "ic/eda-ip": "上海{z}微电子科技有限公司 上海{z}芯片设计软件有限公司",
    "ic/design": "上海{z}集成电路设计有限公司 上海{z}微电子股份有限公司 上海{z}芯片科技有限公司",
    "ic/materials": "上海{z}硅材料有限公司=3985,2661 上海{z}电子材料股份有限公司 上海{z}特种气体有限公司=2619 "
    "上海{z}半导体材料有限公司",
    "ic/equipment": "上海{z}半导体设备有限公司 上海{z}精密装备股份有限公司 上海{z}真空技术有限公司",
    "ic/wafer-fab": "上海{z}集成电路制造有限公司 上海{z}半导体制造有限公司 上海{z}微电子制造有限公司",
    "ic/power-discrete": "上海{z}功率半导体有限公司 上海{z}电力电子器件有限公司",
    "ic/packaging-test": "上海{z}封装测试有限公司 上海{z}集成电路封测有限公司 上海{z}半导体测试有限公司",
    "ic/applications": "上海{z}电子科技有限公司 上海{z}芯片应用技术有限公司",
    "biomed/discovery": "上海{z}医药研发有限公司 上海{z}新药研究有限公司 上海{z}生物医药科技有限公司",
    "biomed/api": "上海{z}药业有限公司 上海{z}医药化工有限公司 上海{z}原料药有限公司",
    "biomed/excipients-packaging": "上海{z}药用包装材料有限公司 上海{z}药用辅料有限公司=2780 "
    "上海{z}药用玻璃有限公司=3055",
    "biomed/bioprocess": "上海{z}制药装备有限公司 上海{z}生物工程设备有限公司",
    "biomed/chem-drugs": "上海{z}制药有限公司 上海{z}药业股份有限公司 上海{z}医药有限公司",
    "biomed/biologics": "上海{z}生物制药有限公司 上海{z}生物制品有限公司 上海{z}生物技术有限公司",
    "biomed/tcm": "上海{z}中药饮片有限公司=2730 上海{z}中药制药有限公司=2740 上海{z}国药有限公司",
    "biomed/devices": "上海{z}医疗器械有限公司 上海{z}医疗科技股份有限公司 上海{z}医学影像有限公司",
    "biomed/distribution": "上海{z}医药物流有限公司=5151,5152,5154 上海{z}医药股份有限公司=5151,5152 "
    "上海{z}大药房连锁有限公司=5251",
    "biomed/clinical": "上海市{z}医院 上海{z}医院 上海市{D}{z}医院",
    "equipment/basic-parts": "上海{z}轴承有限公司 上海{z}齿轮有限公司 上海{z}液压件有限公司 上海{z}精密机械有限公司",
    "equipment/basic-processes": "上海{z}重型铸锻有限公司 上海{z}热处理有限公司 上海{z}铸造有限公司",
    "equipment/control": "上海{z}自动化仪表有限公司 上海{z}工业控制技术有限公司 上海{z}仪器仪表有限公司",
    "equipment/machine-tools": "上海{z}机床有限公司 上海{z}模具有限公司 上海{z}数控设备有限公司",
    "equipment/robots": "上海{z}机器人有限公司 上海{z}智能装备有限公司 上海{z}自动化设备有限公司",
    "equipment/energy": "上海{z}电站设备有限公司 上海{z}汽轮机有限公司=3411,3413 上海{z}变压器有限公司=3821 "
    "上海{z}核电装备有限公司",
    "equipment/aerospace": "上海{z}航空制造有限公司 上海{z}航空零部件有限公司 上海{z}航天设备有限公司",
    "equipment/marine": "上海{z}造船有限公司 上海{z}船舶重工有限公司 上海{z}海洋工程装备有限公司",
    "equipment/rail": "上海{z}轨道交通设备有限公司 上海{z}城轨车辆有限公司 上海{z}信号技术有限公司",
    "equipment/mro": "上海{z}设备维修有限公司 上海{z}航空维修工程有限公司 "
    "上海{z}修船有限公司 上海{z}再制造技术有限公司",
    "auto/materials": "上海{z}汽车材料有限公司 上海{z}轮胎有限公司=2911 上海{z}铝业有限公司",
    "auto/battery": "上海{z}动力电池有限公司 上海{z}新能源科技有限公司 上海{z}电池系统有限公司",
    "auto/e-drive": "上海{z}电驱动有限公司 上海{z}电机有限公司 上海{z}电力电子有限公司",
    "auto/parts": "上海{z}汽车零部件有限公司 上海{z}汽车底盘有限公司 上海{z}汽车内饰有限公司 上海{z}发动机有限公司",
    "auto/intelligent": "上海{z}汽车电子有限公司 上海{z}智能网联科技有限公司 上海{z}智能驾驶科技有限公司",
    "auto/vehicle": "上海{z}汽车有限公司 上海{z}新能源汽车有限公司 上海{z}汽车制造有限公司",
    "auto/charging": "上海{z}充电科技有限公司 上海{z}能源服务有限公司 上海{z}氢能科技有限公司",
    "auto/aftermarket": "上海{z}汽车销售服务有限公司 上海{z}汽车维修有限公司=8111 上海{z}汽车服务有限公司",
    "ai/chips": "上海{z}智能芯片有限公司 上海{z}算力科技有限公司",
    "ai/compute": "上海{z}数据科技有限公司 上海{z}智算科技有限公司 上海{z}云计算有限公司",
    "ai/data": "上海{z}数据服务有限公司 上海{z}数据标注科技有限公司",
    "ai/models": "上海{z}人工智能科技有限公司 上海{z}智能科技有限公司",
    "ai/perception": "上海{z}视觉科技有限公司 上海{z}语音科技有限公司 上海{z}智能识别技术有限公司",
    "ai/robots": "上海{z}机器人科技有限公司 上海{z}智能机器人有限公司",
    "ai/autonomous": "上海{z}无人驾驶科技有限公司 上海{z}无人机有限公司",
    "ai/applications": "上海{z}智能技术有限公司 上海{z}数字科技有限公司",
    "materials/basic-chem": "上海{z}石油化工有限公司 上海{z}化工有限公司 上海{z}石化股份有限公司",
    "materials/metal-smelting": "上海{z}钢铁有限公司 上海{z}特钢有限公司 上海{z}冶金有限公司",
    "materials/advanced-metals": "上海{z}特种合金有限公司 上海{z}金属材料有限公司 上海{z}铝材有限公司 "
    "上海{z}硅钢有限公司",
    "materials/chem-new": "上海{z}新材料有限公司 上海{z}高分子材料有限公司 上海{z}涂料有限公司",
    "materials/fibers-composites": "上海{z}碳纤维有限公司 上海{z}复合材料有限公司",
    "materials/inorganic": "上海{z}特种陶瓷有限公司 上海{z}玻璃有限公司 上海{z}石英材料有限公司",
    "materials/bio-based": "上海{z}生物材料有限公司 上海{z}可降解材料有限公司",
    "materials/frontier": "上海{z}纳米科技有限公司 上海{z}石墨烯科技有限公司 上海{z}材料研究所有限公司",
    "materials/testing-application": "上海{z}材料检测有限公司 上海{z}检测技术有限公司",
    "electronics/components": "上海{z}电子元件有限公司 上海{z}传感器有限公司 上海{z}连接器有限公司",
    "electronics/pcb": "上海{z}电路板有限公司 上海{z}印制电路有限公司",
    "electronics/display": "上海{z}显示技术有限公司 上海{z}光电科技有限公司",
    "electronics/computing": "上海{z}计算机有限公司 上海{z}信息设备有限公司",
    "electronics/communication": "上海{z}通信设备有限公司 上海{z}通信技术有限公司",
    "electronics/consumer": "上海{z}智能终端有限公司 上海{z}电子有限公司",
    "electronics/network-services": "上海{z}通信服务有限公司 上海{z}信息网络有限公司",
    "electronics/software": "上海{z}软件有限公司 上海{z}信息技术有限公司 上海{z}信息系统有限公司",
    "health/research": "上海{z}医学科技有限公司 上海{z}基因科技有限公司",
    "health/equipment-aids": "上海{z}康复器械有限公司 上海{z}医疗设备有限公司 上海{z}医用耗材有限公司",
    "health/nutrition": "上海{z}营养食品有限公司=1491 上海{z}保健品有限公司=1492",
    "health/digital": "上海{z}健康科技有限公司 上海{z}医疗信息技术有限公司",
    "health/diagnostics": "上海{z}医学检验实验室有限公司=8492 上海{z}健康体检有限公司=8491",
    "health/hospitals": "上海市{z}医院=8411,8415 上海{z}医院=8411,8415 上海市{D}{z}医院=8411 上海{z}中医医院=8412",
    "health/primary-public": "上海市{D}{z}社区卫生服务中心=8421 上海{z}门诊部=8425",
    "health/elderly-rehab": "上海{z}养老院=8514 上海{z}护理院=8512 上海{z}疗养院=8416 上海{z}居家养老服务社=8521",
    "fashion/textiles": "上海{z}纺织有限公司 上海{z}丝绸有限公司 上海{z}印染有限公司",
    "fashion/design": "上海{z}设计有限公司 上海{z}时尚设计有限公司",
    "fashion/apparel": "上海{z}服饰有限公司 上海{z}服装有限公司 上海{z}西服有限公司",
    "fashion/leather-footwear": "上海{z}皮鞋有限公司=1951 上海{z}箱包有限公司=1921,1922 上海{z}皮具有限公司=1921,1922",
    "fashion/cosmetics": "上海{z}化妆品有限公司 上海{z}日化有限公司 上海{z}香料有限公司",
    "fashion/jewelry-crafts": "上海{z}珠宝有限公司=2438 上海{z}工艺美术有限公司 上海{z}首饰有限公司=2438",
    "fashion/lifestyle": "上海{z}电器有限公司 上海{z}钟表有限公司 上海{z}眼镜有限公司",
    "fashion/retail-brand": "上海{z}商业发展有限公司 上海{z}品牌管理有限公司 上海{z}服饰零售有限公司",
}
_CHAIN_UNIONS = {
    "ic": ("上海市科技工会 上海市机电工会", 0.35),
    "biomed": ("上海市化工工会", 0.3),
    "equipment": ("上海市机电工会", 0.5),
    "auto": ("上海市机电工会", 0.45),
    "ai": ("上海市科技工会", 0.3),
    "materials": ("上海市化工工会", 0.4),
    "electronics": ("上海市机电工会 上海市科技工会", 0.35),
    "health": ("上海市医务工会", 0.5),
    "fashion": ("上海市纺织工会", 0.4),
}
_SEGMENT_UNIONS = {
    "biomed/clinical": ("上海市医务工会", 0.6),
    "biomed/devices": ("上海市机电工会", 0.3),
    "materials/metal-smelting": ("中国宝武钢铁集团工会", 0.7),
    "materials/advanced-metals": ("中国宝武钢铁集团工会", 0.4),
    "materials/testing-application": ("上海市科技工会", 0.3),
    "health/digital": ("上海市科技工会", 0.3),
    "health/nutrition": ("", 0.0),
}
_PUBLIC_SEGMENTS = frozenset({"biomed/clinical", "health/hospitals", "health/primary-public", "health/diagnostics"})


# ---- phrase banks: expertise (技术专长) per trade family and per segment

_CATEGORY_EXPERTISE = {
    "machining": "五轴联动数控加工编程与工艺优化|难加工材料高效切削|薄壁零件变形控制|精密螺纹车削与检测|"
    "复杂曲面数控铣削|刀具寿命管理与刀具选型|高精度配合件装配与研配|工装夹具设计与快速换型|"
    "数控设备故障诊断与精度恢复|微米级精密磨削|CAM编程与加工仿真",
    "surface": "汽车涂装工艺优化|电镀层质量控制|粉末喷涂工艺|涂层附着力与防腐性能提升|"
    "涂装VOCs减排|表面前处理工艺|机器人喷涂轨迹编程|涂装缺陷分析",
    "welding": "厚板多层多道焊接工艺|不锈钢与异种钢焊接|铝合金薄板激光焊接|焊接机器人离线编程|"
    "压力容器焊接与质量控制|焊接变形控制与矫正|殷瓦钢薄膜焊接|全位置管道焊接|焊缝缺陷返修|焊接工艺评定与规程编制",
    "electrical": "配电网带电作业|电气设备预防性试验|继电保护整定与校验|变电站智能巡检|"
    "高压电缆故障精确定位|PLC控制系统编程与改造|变频调速系统调试|电气设备状态检修|"
    "电能质量治理|低压配电系统节能改造|电机绕组修复与试验",
    "instrumentation": "DCS控制回路整定|现场仪表校验与维护|在线分析仪表维护|安全仪表系统检测|"
    "智能仪表故障诊断|流量计量系统标定|控制阀检修与性能测试|自动化控制系统改造",
    "metrology": "计量器具检定与校准|测量不确定度评定|三坐标精密测量|计量标准建标与管理|"
    "测量系统分析（MSA）|温度与压力计量校准|在线测量系统开发|几何量精密测量",
    "automation": "工业机器人离线编程与调试|机器人工作站集成|视觉引导定位与标定|自动化产线节拍优化|"
    "协作机器人应用开发|机器人故障诊断与预防性维护|AGV调度与物流自动化|智能产线数据采集",
    "chemical": "裂解装置平稳运行与节能优化|DCS操作与工艺参数优化|化工装置开停车方案|反应釜安全操作与联锁|"
    "精馏塔操作优化|聚合工艺控制|危化品安全管理与应急处置|装置能耗分析与降耗|催化剂装填与再生",
    "pharmaceutical": "GMP合规与偏差管理|无菌制剂灌装工艺|冻干工艺开发与优化|细胞培养工艺放大|"
    "蛋白纯化与层析工艺|原料药结晶工艺控制|药品质量检验与方法验证|清洁验证与交叉污染控制|中药饮片炮制工艺|发酵过程控制",
    "medtech": "医疗器械精密装配与调试|医用耗材洁净生产|医疗设备质量控制与计量|医学影像设备维修保养|"
    "有源医疗器械电气安全检测|无菌医疗器械灭菌验证|医疗器械注册检验|医疗设备全生命周期管理",
    "semiconductor": "12英寸晶圆刻蚀工艺优化|光刻工艺窗口与套刻精度控制|薄膜沉积工艺调试|离子注入工艺与设备维护|"
    "化学机械抛光工艺|晶圆缺陷分析与良率提升|半导体设备预防性维护|芯片封装键合工艺|集成电路测试程序开发|硅片切磨抛工艺",
    "electronics": "SMT贴片工艺与回流焊曲线优化|电子产品调试与故障分析|多层印制电路板制作|高频电路板阻抗控制|"
    "通信设备整机装调|嵌入式软硬件开发|静电防护与电子装联质量控制|显示面板制程工艺",
    "software": "工业软件开发与二次开发|大数据平台建设与运维|云平台架构与运维|物联网感知系统集成|"
    "网络安全攻防与等级保护|软件测试自动化|工业互联网平台应用|数据治理|信息系统国产化适配",
    "ai": "深度学习模型训练与部署|机器视觉缺陷检测算法|自然语言处理与知识图谱|大模型微调与推理优化|"
    "数据标注质量管控|智能语音交互|AI算法工程化落地|多模态数据融合",
    "telecom": "5G基站建设与网络优化|光缆线路维护与抢修|传输网络运维|通信机房动力环境维护|"
    "宽带接入故障快速处置|通信网络应急保障|网络割接方案设计|室内分布系统优化",
    "automotive": "整车装配工艺与质量控制|新能源汽车三电系统检修|汽车电气故障诊断|车身焊装与涂装工艺|"
    "整车下线检测与调试|动力电池包检测与维修|汽车零部件再制造|四轮定位与底盘调校|智能网联汽车检测",
    "aerospace": "飞机部件铆接装配|飞机总装与系统调试|航空发动机装配与试车|航空器定检与排故|"
    "复合材料构件修理|航空电气线束安装调试|无人机装调与飞行测试|适航符合性验证",
    "shipbuilding": "船体分段建造与精度控制|船舶管系安装|船舶轮机装配调试|船舶电气系统安装调试|"
    "LNG船围护系统建造|修船工程组织与坞修|船体火工矫正|船舶涂装质量控制",
    "shipping": "船舶安全驾驶与避碰|船舶轮机管理与节能|船舶靠离泊操纵|船舶设备维修保养|航运安全管理体系",
    "rail": "城轨车辆架修与故障处理|信号系统维护与故障处置|接触网检修|列车驾驶安全与节能操纵|"
    "行车调度与应急指挥|站务服务与客流组织|转向架检修|动车组一级检修",
    "maintenance": "设备点检定修与状态监测|大型设备故障诊断|液压系统维修|机械传动系统维修|电梯安装调试与维保|"
    "中央空调系统节能运维|设备润滑管理|振动分析与预测性维护|备件国产化与修复",
    "construction": "超高层建筑施工技术|盾构隧道施工|装配式建筑构件安装|BIM技术应用|大体积混凝土施工|"
    "深基坑支护与监测|钢结构安装|精装修工艺|市政道路施工|建筑工程质量检测",
    "logistics": "集装箱码头装卸工艺|岸桥远程操控|港口智能理货|仓储管理与库位优化|冷链物流管理|"
    "快件分拣效率提升|供应链计划与协同|危险品装卸安全|起重作业安全管理",
    "transport": "公交安全驾驶与节能操作|新能源公交车辆日常维护|公交运营调度|"
    "乘客服务规范|道路运输安全管理|驾驶员培训带教",
    "energy": "火电机组集控运行|锅炉燃烧优化与节能降耗|汽轮机运行与检修|光伏电站运维|风电机组运维检修|"
    "发电机组性能试验|热电联产运行优化|发电厂电气运行",
    "water": "水厂净水工艺优化|供水管网检漏|污水处理工艺运行|水质在线监测|二次供水设施维护|管网压力调度",
    "gas": "燃气管网运行与抢修|燃气调压设备维护|燃气泄漏检测|燃气具安装与安全检查|燃气客户服务|老旧管网改造",
    "textile": "服装立体裁剪与制版|高级定制工艺|面料开发与性能测试|纺纱织造工艺|绿色印染工艺|"
    "服装工艺标准化|海派服饰设计|智能缝制设备应用",
    "food": "食品加工工艺优化|食品安全检测|乳制品加工工艺|烘焙工艺与新品开发|食品质量安全管理体系|饮料配方研发",
    "catering": "本帮菜烹饪技艺|中式面点制作|西餐烹饪与菜品创新|宴会服务与设计|营养配餐|茶艺服务|"
    "餐饮食品安全管理|海派点心制作",
    "retail": "门店运营与服务标准|商品陈列与品类管理|电商运营与直播营销|会员服务与客户体验|连锁门店数字化管理",
    "sanitation": "道路保洁机械化作业|生活垃圾分类收运|垃圾焚烧运行管理|园林绿化养护|环境监测与数据分析|公厕精细化管理",
    "medical": "危重症救治|微创手术技术|急诊急救流程优化|麻醉安全管理|临床检验质量控制|医学影像诊断技术|"
    "康复治疗技术|临床药学服务|全科医学与慢病管理|多学科诊疗（MDT）",
    "nursing": "专科护理|静脉治疗护理|伤口造口护理|重症监护护理|手术室护理配合|护理质量管理|安宁疗护|"
    "母婴护理与助产技术|老年护理与照护|护理人才培养",
    "quality": "产品质量检验与控制|无损检测技术|理化检验与失效分析|质量管理体系建设|标准化体系建设|"
    "特种设备检验|可靠性试验|统计过程控制（SPC）",
    "safety": "安全生产标准化|隐患排查治理|应急救援与演练|职业健康管理|危险作业安全管控|安全培训体系建设",
    "education": "职业技能竞赛指导|产教融合课程开发|实训基地建设|教学方法创新|技能人才培养|数字化教学资源开发",
    "agriculture": "设施农业栽培|良种选育|绿色防控技术|农机化作业|农业技术推广|智慧农业应用",
    "research": "医学基础研究与成果转化|化学合成与分析|分子生物学实验技术|物理测试与表征|科研仪器开发",
    "materials": "金属材料热处理与性能调控|材料成形工艺|无机非金属材料制备|"
    "塑料成型与改性|材料失效分析|新材料工程化应用",
    "design": "工业设计与产品创新|人机工程设计|产品外观与结构设计|设计用户研究",
}

_SEGMENT_EXPERTISE = {
    "ic/eda-ip": "数字电路仿真验证|版图物理验证流程|IP核集成与验证|EDA工具国产化适配|时序分析与签核",
    "ic/design": "SoC芯片架构设计|模拟电路设计|射频芯片设计|数字前端设计与验证|低功耗设计|芯片流片与回片测试",
    "ic/materials": "12英寸硅片抛光工艺|电子特气纯化与充装|光刻胶配方与涂布|高纯靶材制备|湿电子化学品提纯|掩膜版制作",
    "ic/equipment": "刻蚀设备腔体维护|薄膜沉积设备调试|半导体设备零部件国产化|"
    "量测设备校准|清洗设备工艺调试|真空与射频系统维修",
    "ic/wafer-fab": "12英寸晶圆刻蚀工艺优化|光刻套刻精度控制|28纳米工艺良率提升|晶圆缺陷检测与分析|扩散与氧化工艺|"
    "洁净室环境控制|工艺制程统计控制",
    "ic/power-discrete": "IGBT模块封装工艺|碳化硅功率器件制造|MOSFET参数测试|功率模块可靠性试验|氮化镓器件工艺",
    "ic/packaging-test": "芯片引线键合工艺|晶圆级封装|先进封装与Chiplet集成|"
    "集成电路测试程序开发|塑封工艺与翘曲控制|封装失效分析",
    "ic/applications": "车规芯片应用方案开发|工控芯片国产化替代|板级电路设计|芯片应用模组开发|嵌入式应用软件",
    "biomed/discovery": "药物筛选平台建设|临床前药理毒理研究|靶点发现与验证|临床试验项目管理|药物分析方法开发",
    "biomed/api": "原料药合成工艺优化|手性合成技术|结晶与晶型控制|医药中间体工艺放大|溶剂回收与绿色合成",
    "biomed/excipients-packaging": "中硼硅药用玻璃成型|预灌封注射器生产|药用胶塞质量控制|药用辅料工艺|药包材相容性研究",
    "biomed/bioprocess": "生物反应器设计与调试|冻干机维护与验证|无菌灌装线运行|一次性耗材国产化|层析系统应用",
    "biomed/chem-drugs": "固体制剂工艺|注射剂生产工艺|仿制药一致性评价|缓控释制剂开发|制剂工艺验证",
    "biomed/biologics": "单抗药物生产工艺|疫苗生产质量控制|细胞治疗产品制备|"
    "重组蛋白表达纯化|血液制品分离纯化|CDMO项目技术转移",
    "biomed/tcm": "中药饮片炮制|中药提取浓缩工艺|配方颗粒质量标准|中成药生产工艺|道地药材鉴别",
    "biomed/devices": "医学影像设备装调|体外诊断试剂开发|介入器械精密加工|手术机器人装配调试|植入器械质量控制",
    "biomed/distribution": "医药冷链物流管理|药品追溯体系|医药仓储自动化|药品配送效率提升|零售药房药学服务",
    "biomed/clinical": "临床试验机构管理|医院药学服务|药物警戒与不良反应监测|真实世界研究|合理用药管理",
    "equipment/basic-parts": "精密轴承制造|齿轮加工与热处理|液压件装配测试|减速器精密装配|密封件研发",
    "equipment/basic-processes": "大型铸锻件制造|热处理工艺控制|表面处理工艺|粉末冶金成形|铸造缺陷控制",
    "equipment/control": "数控系统调试|PLC与伺服系统应用|工业控制系统集成|仪器仪表研发|DCS系统组态",
    "equipment/machine-tools": "五轴加工中心装调|数控机床精度检测|精密模具制造|机床主轴维修|模具数字化设计",
    "equipment/robots": "工业机器人集成应用|焊接机器人工作站|增材制造工艺|自动化产线设计|智能装备调试",
    "equipment/energy": "核电装备制造|燃气轮机装配|汽轮机转子加工|大型发电机装配|变压器绕组制造|锅炉受压件焊接",
    "equipment/aerospace": "大飞机部件装配|C919总装工艺|航空发动机零部件加工|航天结构件制造|卫星总装测试|机载设备调试",
    "equipment/marine": "LNG船建造|大型邮轮内装|船体分段建造|海工装备制造|船舶配套设备安装",
    "equipment/rail": "城轨车辆总装|牵引系统调试|信号系统集成|转向架制造|车辆电气调试",
    "equipment/mro": "大型设备预测性维护|航空器维修|船舶修理|装备再制造|设备点检定修|检修工艺标准化",
    "auto/materials": "汽车板冲压性能提升|车用铝材加工|轻量化材料应用|车用塑料改性|轮胎制造工艺",
    "auto/battery": "电芯制造工艺|电池包装配|电池管理系统调试|正负极材料涂布|电池安全测试",
    "auto/e-drive": "扁线电机制造|电机控制器装配调试|逆变器测试|电驱系统台架试验|驱动电机绕组工艺",
    "auto/parts": "底盘零部件制造|发动机装配|变速箱精密加工|制动系统装调|座椅与内饰工艺",
    "auto/intelligent": "智能座舱系统集成|车载终端开发|激光雷达标定|自动驾驶测试|汽车电子装配",
    "auto/vehicle": "整车总装工艺|车身焊装|整车涂装|整车下线调试|新能源汽车质量控制",
    "auto/charging": "充电桩运维|换电站运营|充电设施检测|加氢站安全运行|车网互动调度",
    "auto/aftermarket": "汽车维修技术|钣喷工艺|新能源汽车维修|汽车检测诊断|二手车鉴定评估",
    "ai/chips": "AI芯片架构设计|GPU算力优化|NPU软件栈适配|算力芯片验证|芯片能效优化",
    "ai/compute": "智算中心运维|服务器集群部署|液冷系统运行维护|高性能计算调优|数据中心节能",
    "ai/data": "数据标注流程管理|行业数据集构建|数据清洗与治理|语料质量评估|数据安全合规",
    "ai/models": "大模型训练与微调|推理部署优化|深度学习算法研发|模型评测|AI框架适配",
    "ai/perception": "机器视觉检测|图像识别算法|语音识别|自然语言处理|知识图谱构建",
    "ai/robots": "服务机器人研发|人形机器人关节控制|巡检机器人应用|协作机器人开发|具身智能应用",
    "ai/autonomous": "无人驾驶算法|无人机系统集成|高精地图采集|低空飞行器测试|无人系统安全评估",
    "ai/applications": "数字孪生工厂建设|智能运维平台|智慧城市应用|智能客服系统|AI+工业质检",
    "materials/basic-chem": "乙烯裂解装置运行|芳烃生产工艺|化工原料精制|烯烃聚合工艺|石化装置节能降耗",
    "materials/metal-smelting": "高炉炼铁操作|转炉炼钢工艺|连铸工艺控制|冶金设备点检|炉前操作技术",
    "materials/advanced-metals": "硅钢轧制工艺|高温合金熔炼|钛合金加工|铝合金挤压|特种钢冶炼",
    "materials/chem-new": "工程塑料改性|功能涂料开发|高性能树脂合成|功能膜制备|胶粘剂配方",
    "materials/fibers-composites": "碳纤维原丝制备|复合材料成型|预浸料生产|芳纶纤维应用|玻璃纤维拉丝",
    "materials/inorganic": "特种陶瓷烧结|光学玻璃制备|耐火材料应用|石英材料加工|陶瓷基复合材料",
    "materials/bio-based": "聚乳酸生产|生物可降解材料改性|生物基纤维纺丝|淀粉基材料|生物发酵制备单体",
    "materials/frontier": "石墨烯制备|纳米材料表征|超导材料研究|增材制造金属粉末|智能材料应用",
    "materials/testing-application": "材料失效分析|材料表征测试|腐蚀防护评价|力学性能测试|应用验证",
    "electronics/components": "片式电容生产|传感器制造|连接器装配|继电器工艺|电感绕制",
    "electronics/pcb": "多层板压合工艺|HDI板制作|柔性电路板工艺|SMT贴装|覆铜板生产",
    "electronics/display": "OLED蒸镀工艺|液晶面板制程|Micro LED工艺|激光器封装|光电器件测试",
    "electronics/computing": "服务器整机装配|工控机研发|存储设备测试|信息安全设备开发|计算机外设装调",
    "electronics/communication": "5G基站设备装调|光通信模块|射频模块测试|卫星通信终端|雷达系统调试",
    "electronics/consumer": "智能终端整机装配|智能手表研发|AR/VR设备调试|消费电子可靠性测试|智能硬件开发",
    "electronics/network-services": "宽带网络运维|移动通信网络优化|光纤接入施工|通信网络应急保障|网络故障处置",
    "electronics/software": "工业软件开发|信息系统集成|运维服务平台|应用软件开发|信息化项目管理",
    "health/research": "临床研究设计|转化医学研究|基因检测技术|生物样本库管理|精准医学",
    "health/equipment-aids": "康复辅具研发|护理设备开发|家用医疗器械|医用耗材生产|助听器验配",
    "health/nutrition": "特医食品研发|保健食品工艺|营养评估与配方|功能食品检测",
    "health/digital": "互联网医院建设|电子病历系统|远程医疗平台|健康大数据分析|AI辅助诊断应用",
    "health/diagnostics": "医学检验质控|病理诊断技术|健康体检流程优化|第三方检验物流|分子诊断",
    "health/hospitals": "临床诊疗技术|专科诊疗|医疗质量管理|急诊急救|围手术期管理",
    "health/primary-public": "家庭医生签约服务|慢病管理|疾病预防控制|院前急救|采供血安全",
    "health/elderly-rehab": "养老护理|康复训练|长期照护|医养结合服务|适老化改造|安宁疗护",
    "fashion/textiles": "功能性面料开发|丝绸织造|绿色印染|针织工艺|纺纱工艺",
    "fashion/design": "服装设计|品牌设计|海派时尚设计|潮流趋势研究|创意设计",
    "fashion/apparel": "高级定制西服|旗袍制作工艺|服装制版|成衣工艺|智能缝制",
    "fashion/leather-footwear": "皮鞋制作工艺|箱包设计制作|运动鞋工艺|皮具护理修复",
    "fashion/cosmetics": "化妆品配方研发|调香技术|护肤品功效评价|化妆品生产质量控制",
    "fashion/jewelry-crafts": "金银细工|玉雕技艺|刺绣技艺|珠宝设计制作|工艺美术传承",
    "fashion/lifestyle": "小家电研发|钟表维修与制造|眼镜验配|美容仪开发|家居用品设计",
    "fashion/retail-brand": "品牌门店运营|直播电商|首店经济运营|会员运营|新零售数字化",
}
_TRADE_EXPERTISE = {
    "晶片加工工": "硅片切磨抛工艺|外延生长工艺|硅片清洗与检测|晶棒拉制与切片|硅片表面缺陷控制",
    "半导体芯片制造工": "12英寸晶圆刻蚀工艺优化|光刻工艺窗口与套刻精度控制|薄膜沉积工艺调试|离子注入工艺控制|"
    "化学机械抛光工艺|晶圆缺陷分析与良率提升|扩散炉管工艺|湿法清洗工艺",
    "半导体分立器件和集成电路装调工": "芯片封装键合工艺|晶圆减薄与划片|塑封与切筋成型|集成电路测试程序开发|"
    "封装可靠性试验|功率模块封装",
    "电子专用设备装调工": "半导体设备预防性维护|刻蚀机腔体维护|真空系统检漏|射频电源维修|设备零部件国产化验证|"
    "设备装调与验收",
    "送配电线路工": "配网不停电作业|架空线路运维与抢修|线路无人机巡检|配电线路防外破管理|线路带电检测",
    "继电保护员": "继电保护整定与校验|智能变电站二次系统调试|保护装置缺陷分析|二次回路隐患排查",
    "养老护理员": "失能老人照护|认知症照护|压疮预防与护理|居家养老照护技能培训|安宁疗护",
    "汽车维修工": "汽车电气故障诊断|新能源汽车三电系统检修|发动机故障诊断与维修|汽车钣喷修复|底盘与悬架维修|"
    "智能网联汽车检测维修|汽车空调系统维修|车辆维修质量管理",
    "客房服务员": "酒店客房服务标准化|客房清洁与布草管理|个性化宾客服务|客房设施维护|夜床服务与细节管理",
}
"""Trades whose family bank would mix things up (a packaging studio has no use for lithography)."""
_EXPERTISE_BANKS = {category: _phrases(text) for category, text in _CATEGORY_EXPERTISE.items()} | {
    trade: _phrases(text) for trade, text in _TRADE_EXPERTISE.items()
}
_KEYWORD_TEMPLATES = {
    "ic": ("{kw}技术攻关", "{kw}工艺优化"),
    "biomed": ("{kw}技术攻关", "{kw}工艺优化"),
    "equipment": ("{kw}技术攻关", "{kw}工艺优化"),
    "auto": ("{kw}技术攻关", "{kw}工艺优化"),
    "materials": ("{kw}技术攻关", "{kw}工艺优化"),
    "electronics": ("{kw}技术攻关", "{kw}工艺优化"),
    "ai": ("{kw}技术攻关", "{kw}应用开发"),
    "health": ("{kw}能力建设", "{kw}服务创新"),
    "fashion": ("{kw}技艺创新", "{kw}品质提升"),
}
"""Expertise from a segment's keywords, so that every segment's bank holds at least ~8 phrases."""
_SERVICE_TEMPLATES = ("{kw}服务创新", "{kw}能力提升")
_SERVICE_SEGMENTS = frozenset(
    {"biomed/distribution", "biomed/clinical", "auto/aftermarket", "auto/charging", "electronics/network-services"}
    | {"fashion/retail-brand", "ai/data"}
)

# ---- needs (攻关需求): capabilities another field has (cross-field), and chain neighbours

_CATEGORY_NEEDS = {
    "machining": "需要机器视觉在线尺寸检测方案|希望引入数字孪生技术实现加工过程仿真|需要工业软件（CAM）二次开发支持|"
    "需要刀具磨损智能监测算法|希望与材料领域合作解决难加工材料切削问题|需要工业机器人上下料自动化集成|"
    "需要设备数据采集与工业互联网平台对接",
    "surface": "需要环保涂料新材料|需要机器人喷涂离线编程支持|需要涂层缺陷视觉检测算法",
    "welding": "需要焊缝视觉跟踪与缺陷识别算法|希望与材料领域合作开展焊接材料国产化|需要焊接机器人离线编程软件支持|"
    "需要无损检测技术配合提升焊缝一次合格率|需要焊接过程数字化监控平台",
    "electrical": "需要配网设备状态感知物联网方案|希望引入AI算法实现故障预测|需要无人机巡检图像识别支持|"
    "需要储能与充电设施接入技术合作|需要带电作业机器人研发合作|需要电缆绝缘材料老化分析",
    "instrumentation": "需要工业数据分析平台|需要国产化仪表替代验证|"
    "需要工业网络安全防护方案|需要精密加工配套仪表零部件",
    "metrology": "需要智能计量数据管理系统|需要精密测量设备国产化|需要计量软件开发支持",
    "automation": "需要机器视觉算法优化|需要一线工艺专家提供焊接与装配工艺知识|"
    "需要大模型辅助机器人编程|需要柔性夹具设计支持",
    "chemical": "需要工艺流程模拟与优化软件|需要设备腐蚀监测与材料选型支持|需要智能巡检机器人|"
    "需要危化品泄漏视觉识别预警|需要催化剂新材料合作研发",
    "pharmaceutical": "需要制药装备自动化改造|需要数据完整性信息化系统|需要药包材国产化替代|需要AI辅助工艺参数优化|"
    "需要冷链物流全程温控方案",
    "medtech": "需要精密加工配合解决部件加工难题|需要临床医护人员参与产品评价|需要嵌入式软件开发支持",
    "semiconductor": "需要机器视觉缺陷检测算法支持|需要设备零部件精密加工与国产化配套|需要大数据良率分析平台|"
    "需要高纯材料与电子特气稳定供应|需要真空与射频电源维修技术|需要洁净室环境控制专家支持",
    "electronics": "需要自动光学检测（AOI）算法|需要精密模具配合|需要材料可靠性测试支持|需要SMT产线数字化改造",
    "software": "需要一线工艺专家提供业务知识|需要现场设备数据接入支持|"
    "需要网络安全测评合作|需要算力资源与大模型技术支持",
    "ai": "需要高质量行业数据与应用场景|需要一线工艺专家参与数据标注|需要算力基础设施支持|需要硬件装调与系统集成合作",
    "telecom": "需要无人机巡检与图像识别|需要管线施工协调配合|需要AI网络故障预测",
    "automotive": "需要动力电池检测技术支持|需要智能诊断软件开发|需要机器人涂装与焊装工艺优化|需要轻量化材料应用合作|"
    "需要充电设施维护技术交流",
    "aerospace": "需要复合材料无损检测支持|需要数字化装配测量系统|"
    "需要精密数控加工配套|需要航空材料失效分析|需要数字孪生装配仿真",
    "shipbuilding": "需要焊接机器人在狭小空间的应用方案|需要数字化造船软件支持|"
    "需要环保涂装材料|需要大型构件精度测量技术",
    "shipping": "需要船舶智能能效管理系统|需要轮机设备远程诊断",
    "rail": "需要车辆故障智能诊断算法|需要信号设备国产化维修配套|"
    "需要接触网巡检机器人|需要大客流视频分析|需要精密部件加工修复",
    "maintenance": "需要振动监测与预测性维护算法|需要备件精密加工与再制造|需要设备物联网改造|需要电梯远程监测平台",
    "construction": "需要BIM与数字孪生平台|需要建筑机器人应用|需要新型建材与防水材料|"
    "需要基坑监测物联网系统|需要装配式构件生产配合",
    "logistics": "需要智能调度算法|需要无人集卡与自动驾驶技术|"
    "需要岸桥远程操控系统维护|需要冷链温控物联网|需要仓储机器人集成",
    "transport": "需要车辆智能安全预警系统|需要新能源车辆电池维护技术|需要客流大数据分析",
    "energy": "需要机组智能预警系统|需要储能与新能源并网技术合作|需要高温材料寿命评估|需要锅炉燃烧优化算法",
    "water": "需要管网漏损智能监测|需要水质在线监测仪表|需要智慧水务平台",
    "gas": "需要燃气泄漏智能监测|需要管网巡检机器人|需要智能燃气表数据分析",
    "textile": "需要智能裁剪与缝制设备|需要功能性新材料面料|需要3D服装数字化设计软件|需要品牌营销与直播运营合作",
    "food": "需要食品快速检测技术|需要自动化包装设备|需要营养配方研究合作",
    "catering": "需要营养配餐软件|需要中央厨房设备改造|需要食品安全快速检测",
    "retail": "需要数据分析与会员运营系统|需要供应链与物流优化|需要直播电商运营培训",
    "sanitation": "需要垃圾分类智能识别设备|需要环卫车辆新能源化|需要作业调度信息化平台",
    "medical": "需要AI辅助诊断算法|需要医疗器械工程师协作改进器械|需要临床数据平台|需要康复辅具研发合作",
    "nursing": "需要智能护理设备|希望与医疗器械企业合作改进护理用具|需要护理信息化系统优化|需要智能输液监测装置|"
    "需要康复辅具适配支持|需要防跌倒智能监测技术",
    "quality": "需要智能检测设备与算法|需要检测数据信息化管理|需要检测方法标准化合作",
    "safety": "需要安全风险智能识别|需要可穿戴安全监测设备",
    "education": "需要企业真实项目进课堂|需要先进设备实训资源|需要劳模工匠进校园指导",
    "agriculture": "需要智能农机装备|需要农业物联网监测|需要品种选育分子检测",
    "research": "需要中试放大与工程化配合|需要精密仪器加工|需要临床资源合作",
    "materials": "需要材料性能检测设备|需要下游应用验证|需要工艺仿真软件",
    "design": "需要打样与精密加工|需要新材料应用|需要用户数据分析",
}
_NEED_BANKS = {category: _phrases(text) for category, text in _CATEGORY_NEEDS.items()}
_UPSTREAM_NEEDS = ("寻求上游{seg}环节在{kw}方面的协同攻关", "希望与上游{seg}环节对接，解决{kw}国产化配套问题")
_DOWNSTREAM_NEEDS = ("希望与下游{seg}环节开展{kw}应用验证", "需要下游{seg}环节反馈{kw}使用数据")
_PEER_NEEDS = (
    "希望与同工种工作室交流{trade}绝技绝活",
    "需要{trade}青年技能人才带教合作",
    "希望开展{trade}操作法互学互鉴",
)


# ---- projects, collaborations, alliances

_PROJECTS = {
    "ic": (
        ("28纳米集成电路工艺良率提升攻关", "ic/wafer-fab ic/equipment ic/materials"),
        ("12英寸大硅片国产化量产攻关", "ic/materials ic/wafer-fab"),
        ("先进封装Chiplet集成工艺攻关", "ic/packaging-test ic/design"),
        ("车规级功率器件可靠性提升工程", "ic/power-discrete ic/applications"),
        ("国产EDA工具链验证与适配", "ic/eda-ip ic/design"),
    ),
    "biomed": (
        ("生物药一次性反应器国产化应用攻关", "biomed/bioprocess biomed/biologics"),
        ("化学药一致性评价关键工艺攻关", "biomed/api biomed/chem-drugs"),
        ("中硼硅药用玻璃包材替代工程", "biomed/excipients-packaging biomed/chem-drugs"),
        ("高端医学影像设备核心部件攻关", "biomed/devices biomed/clinical"),
        ("医药冷链物流全程追溯工程", "biomed/distribution biomed/clinical"),
    ),
    "equipment": (
        ("C919大飞机部件装配精度提升攻关", "equipment/aerospace equipment/machine-tools equipment/basic-processes"),
        ("LNG船殷瓦钢焊接工艺攻关", "equipment/marine equipment/basic-processes"),
        ("五轴数控机床国产数控系统应用验证", "equipment/machine-tools equipment/control"),
        ("重型燃气轮机关键部件制造攻关", "equipment/energy equipment/basic-processes equipment/basic-parts"),
        ("城轨车辆牵引系统预测性维护工程", "equipment/rail equipment/mro"),
    ),
    "auto": (
        ("新能源汽车一体化压铸车身工艺攻关", "auto/materials auto/parts auto/vehicle"),
        ("动力电池电芯一致性提升攻关", "auto/battery auto/vehicle"),
        ("扁线驱动电机批量制造工艺攻关", "auto/e-drive auto/vehicle"),
        ("智能网联汽车域控制器国产化验证", "auto/intelligent auto/vehicle"),
        ("超级充电站与车网互动示范工程", "auto/charging auto/battery"),
    ),
    "ai": (
        ("工业大模型在智能工厂的落地应用", "ai/models ai/applications"),
        ("智算中心液冷散热与能效优化", "ai/compute ai/chips"),
        ("人形机器人关节模组攻关", "ai/robots ai/perception"),
        ("高质量行业语料数据集建设", "ai/data ai/models"),
        ("低空无人机物流配送示范工程", "ai/autonomous ai/perception"),
    ),
    "materials": (
        ("高端硅钢薄规格轧制攻关", "materials/metal-smelting materials/advanced-metals"),
        ("大丝束碳纤维复合材料国产化攻关", "materials/fibers-composites materials/chem-new"),
        ("电子级高纯化学品提纯工艺攻关", "materials/basic-chem materials/chem-new"),
        ("生物可降解材料规模化生产工程", "materials/bio-based materials/testing-application"),
        ("高温合金材料失效分析与寿命评价", "materials/advanced-metals materials/testing-application"),
    ),
    "electronics": (
        ("高多层HDI印制电路板良率提升攻关", "electronics/pcb electronics/components"),
        ("Micro LED显示巨量转移工艺攻关", "electronics/display electronics/consumer"),
        ("5G基站射频模块国产化工程", "electronics/communication electronics/components"),
        ("工业软件国产化替代与适配工程", "electronics/software electronics/computing"),
        ("千兆光网与算力网络运维提升工程", "electronics/network-services electronics/communication"),
    ),
    "health": (
        ("智慧医院护理信息化提升工程", "health/digital health/hospitals"),
        ("国产康复辅具临床验证与推广", "health/equipment-aids health/elderly-rehab"),
        ("医学检验质控与区域检验中心建设", "health/diagnostics health/hospitals"),
        ("社区慢病管理与家庭医生签约服务提升", "health/primary-public health/digital"),
        ("特医食品研发与临床营养支持", "health/nutrition health/hospitals"),
    ),
    "fashion": (
        ("海派旗袍高级定制工艺传承与创新", "fashion/design fashion/apparel"),
        ("功能性面料绿色印染技术攻关", "fashion/textiles fashion/apparel"),
        ("国货美妆功效评价与配方创新", "fashion/cosmetics fashion/retail-brand"),
        ("海派工艺美术非遗技艺数字化保护", "fashion/jewelry-crafts fashion/design"),
        ("首店经济与国潮品牌数字化运营", "fashion/retail-brand fashion/design"),
    ),
}
_PROJECT_SUFFIXES = ("关键技术攻关", "国产化替代攻关", "智能化改造项目", "质量提升工程", "工艺优化攻关", "示范应用工程")
_ORDINALS = "一二三四五六七八九十"

_TITLES_SEGMENT = ("{kw}联合攻关", "{kw}工艺交流", "{seg}技术难题会诊", "{kw}质量改进协作")
_TITLES_CHAIN = ("{up}—{down}上下游技术对接", "{kw}国产化验证合作", "{up}与{down}供需协同攻关")
_TITLES_TRADE = ("{trade}技能比武与技艺交流", "{trade}高师带徒联合培训", "{trade}先进操作法互学互鉴")
_TITLES_CROSS = ("{need}跨领域合作", "跨界联合攻关：{need}", "{need}技术服务")
_TITLES_ANY = ("劳模工匠进企业技术服务", "职工创新成果交流展示", "劳模创新工作室开放日联合活动", "职工技能培训共建")

_CROSS_THEMES = (
    ("智能制造", "machining automation ai software electrical welding instrumentation"),
    ("智慧医疗", "nursing medical medtech software ai"),
    ("绿色低碳", "energy electrical chemical automotive sanitation water"),
    ("城市运行保障", "electrical water gas rail transport sanitation construction"),
    ("数字化转型", "software ai telecom electronics logistics retail"),
    ("大国重器", "welding machining shipbuilding aerospace quality maintenance"),
    ("质量强市", "quality metrology machining pharmaceutical semiconductor"),
    ("民生服务", "catering retail nursing transport logistics education"),
)


# ================================================================ internal model


class _Picker(Generic[T]):
    """Weighted choice in O(log n) per draw, from cumulative weights (``random.choices`` is O(n))."""

    __slots__ = ("_cum", "_total", "items")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        if not items or len(items) != len(weights) or min(weights) <= 0:
            raise ValueError("a picker needs as many positive weights as items, and at least one")
        self.items = tuple(items)
        self._cum: list[float] = []
        total = 0.0
        for w in weights:
            total += w
            self._cum.append(total)
        self._total = total

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self._cum, rng.random() * self._total)]


@dataclass(frozen=True)
class _Setting:
    """Where a studio works: a chain segment, or a plain setting outside the chains."""

    key: str
    segment: Segment | None
    employers: tuple[tuple[str, tuple[str, ...]], ...]
    unions: tuple[str, ...]
    union_share: float
    public: bool
    expertise: tuple[str, ...]


def _weighted(spec: str) -> list[tuple[str, float]]:
    out = []
    for item in spec.split():
        key, _, weight = item.rpartition(":")
        out.append((key, float(weight)))
    return out


def _templates(spec: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = []
    for item in spec.split():
        template, _, codes = item.partition("=")
        out.append((template, tuple(c for c in codes.split(",") if c)))
    return tuple(out)


@dataclass(frozen=True)
class _Model:
    """Everything the generator derives from the taxonomies, built once per process."""

    trade_names: dict[str, str]  # name -> code
    trade_category: dict[str, str]  # name -> category
    trade_picker: _Picker[str]
    trade_settings: dict[str, _Picker[str]]
    setting_trades: dict[str, _Picker[str]]
    settings: dict[str, _Setting]
    segments: dict[str, Segment]
    chain_names: dict[str, str]
    chain_segments: dict[str, tuple[str, ...]]
    upstream: dict[str, tuple[str, ...]]
    downstream: dict[str, tuple[str, ...]]
    industry_segments: dict[str, tuple[str, ...]]
    industry_display: dict[str, str]  # code -> its name when the name is unique, else ""
    industry_names: dict[str, str]  # code -> name
    zihao: tuple[str, ...]


@cache
def _model() -> _Model:
    trades = taxonomy.curated_trades()
    by_name = {t.name: t for t in trades}
    segments = {s.id: s for s in taxonomy.segments()}
    industries = {i.code: i for i in taxonomy.generator_industries()}

    # settings
    settings: dict[str, _Setting] = {}
    for seg in segments.values():
        unions, share = _SEGMENT_UNIONS.get(seg.id, _CHAIN_UNIONS.get(seg.chain_id, ("", 0.0)))
        employers = _templates(_SEGMENT_EMPLOYERS[seg.id])
        for _, codes in employers:
            stray = set(codes) - set(seg.industry_codes)
            if stray:
                raise ValueError(f"employer industries {sorted(stray)} are not classes of segment {seg.id}")
        bank = _phrases(_SEGMENT_EXPERTISE[seg.id]) + tuple(
            t.format(kw=kw)
            for kw in seg.keywords[:4]
            for t in (_SERVICE_TEMPLATES if seg.id in _SERVICE_SEGMENTS else _KEYWORD_TEMPLATES[seg.chain_id])
        )
        settings[seg.id] = _Setting(
            seg.id, seg, employers, tuple(unions.split()), share, seg.id in _PUBLIC_SEGMENTS, bank
        )
    for key, plain in _PLAIN_SETTINGS.items():
        codes = tuple(plain.industries.split())
        employers = tuple((template, fixed or codes) for template, fixed in _templates(plain.employers))
        for _, fixed in employers:
            missing = [c for c in fixed if c not in industries or c not in codes]
            if missing:
                raise ValueError(f"setting {key}: industries {missing} are unknown or not the setting's")
        settings[key] = _Setting(
            key, None, employers, tuple(plain.unions.split()), plain.union_share, plain.public,
            _phrases(plain.expertise),
        )  # fmt: skip
    for seg in segments.values():
        for code in seg.industry_codes:
            if code not in industries:
                raise ValueError(f"segment {seg.id} names industry {code}, not in industries.csv")

    # trades: rank, settings
    overrides: dict[str, str] = {}
    for names, spec in _TRADE_SETTINGS.items():
        for name in names.split():
            if name not in by_name:
                raise ValueError(f"trade {name!r} is not in trades.csv")
            overrides[name] = spec
    for name in _TOP_TRADES:
        if name not in by_name:
            raise ValueError(f"trade {name!r} is not in trades.csv")
    ranked = list(_TOP_TRADES) + [t.name for t in trades if t.name not in set(_TOP_TRADES)]
    trade_weight = {name: 1.0 / (rank + 2) for rank, name in enumerate(ranked)}
    for t in trades:
        if t.category not in _EXPERTISE_BANKS or t.category not in _NEED_BANKS:
            raise ValueError(f"trade family {t.category!r} has no expertise or needs phrases")
    trade_settings: dict[str, _Picker[str]] = {}
    setting_pool: dict[str, list[tuple[str, float]]] = {key: [] for key in settings}
    for t in trades:
        spec = overrides.get(t.name) or _CATEGORY_SETTINGS[t.category]
        pairs = _weighted(spec)
        for key, weight in pairs:
            if key not in settings:
                raise ValueError(f"trade {t.name}: unknown setting {key!r}")
            setting_pool[key].append((t.name, trade_weight[t.name] * weight))
        trade_settings[t.name] = _Picker([k for k, _ in pairs], [w for _, w in pairs])
    orphans = [key for key, pool in setting_pool.items() if not pool]
    if orphans:
        raise ValueError(f"settings no trade works in: {orphans}")
    setting_trades = {key: _Picker([n for n, _ in pool], [w for _, w in pool]) for key, pool in setting_pool.items()}

    # chains
    upstream: dict[str, list[str]] = {s: [] for s in segments}
    downstream: dict[str, list[str]] = {s: [] for s in segments}
    for edge in taxonomy.supplies():
        downstream[edge.upstream_id].append(edge.downstream_id)
        upstream[edge.downstream_id].append(edge.upstream_id)
    chain_segments: dict[str, list[str]] = {c.id: [] for c in taxonomy.chains()}
    industry_segments: dict[str, list[str]] = {}
    for seg in segments.values():
        chain_segments[seg.chain_id].append(seg.id)
        for code in seg.industry_codes:
            industry_segments.setdefault(code, []).append(seg.id)

    name_count: dict[str, int] = {}
    for ind in industries.values():
        name_count[ind.name] = name_count.get(ind.name, 0) + 1
    industry_display = {code: ind.name if name_count[ind.name] == 1 else "" for code, ind in industries.items()}

    chars = "".join(dict.fromkeys(_ZIHAO))
    zihao = tuple(a + b for a in chars for b in chars if a != b and a + b not in _ZIHAO_AVOID)
    return _Model(
        trade_names={t.name: t.code for t in trades},
        trade_category={t.name: t.category for t in trades},
        trade_picker=_Picker(ranked, [trade_weight[n] for n in ranked]),
        trade_settings=trade_settings,
        setting_trades=setting_trades,
        settings=settings,
        segments=segments,
        chain_names={c.id: c.name for c in taxonomy.chains()},
        chain_segments={k: tuple(v) for k, v in chain_segments.items()},
        upstream={k: tuple(v) for k, v in upstream.items()},
        downstream={k: tuple(v) for k, v in downstream.items()},
        industry_segments={k: tuple(v) for k, v in industry_segments.items()},
        industry_display=industry_display,
        industry_names={code: ind.name for code, ind in industries.items()},
        zihao=zihao,
    )


# ================================================================ studios


@dataclass
class _Employer:
    name: str
    short: str
    district: str
    union: str
    industry: str
    setting: str


@dataclass
class _Facts:
    """Per-studio facts the later sheets need, kept as plain parallel lists (no re-parsing of rows)."""

    ids: list[str] = field(default_factory=list)
    trades: list[tuple[str, ...]] = field(default_factory=list)  # trade names
    segments: list[tuple[str, ...]] = field(default_factory=list)
    industry: list[str] = field(default_factory=list)
    district: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)
    founded: list[int] = field(default_factory=list)
    named: list[int] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)  # first cross-field need phrase, or ""


_LEVELS = _Picker(("全国", "市级", "区局级", "企业级"), (3, 27, 45, 25))
_STATUS = _Picker(("在职", "退休", "离职", "已故"), (970, 18, 6, 6))
_YEARS = _Picker(
    tuple(range(FIRST_YEAR, LAST_YEAR + 1)), [1 + 0.25 * (y - FIRST_YEAR) for y in range(FIRST_YEAR, LAST_YEAR + 1)]
)
_FOUNDED_GAP = _Picker((0, 1, 2, 3, 4, 5, 6, 8), (10, 35, 25, 15, 6, 4, 3, 2))
_ALLIANCE_YEARS = _Picker(tuple(range(2016, LAST_YEAR + 1)), [1 + 0.2 * k for k in range(LAST_YEAR - 2016 + 1)])
_SUFFIXES = _Picker(("劳模创新工作室", "技能大师工作室", "创新工作室"), (70, 15, 15))


class _StudioMaker:
    """Makes studios one by one; holds the registries that keep names and employers unique."""

    def __init__(self, rng: random.Random, model: _Model) -> None:
        self.rng = rng
        self.m = model
        self.employers: dict[str, _Employer] = {}
        self.pools: dict[str, list[_Employer]] = {}
        self.studio_names: set[str] = set()
        self.year_text = {y: str(y) for y in range(1990, LAST_YEAR + 2)}
        self.honour_text: dict[tuple[str, ...], str] = {}
        self.districts = _Picker(DISTRICTS, _DISTRICT_WEIGHTS)

    # -- people and employers

    def person(self, category: str) -> str:
        rng = self.rng
        female = rng.random() < _FEMALE_SHARE.get(category, 0.2)
        chars = _FEMALE if female else _MALE
        while True:
            surname = _SURNAMES[int(rng.random() * len(_SURNAMES))]
            given = chars[int(rng.random() * len(chars))]
            if rng.random() < 0.72:
                second = chars[int(rng.random() * len(chars))]
                if second != given:
                    given += second
            name = surname + given
            if name not in _RESERVED_NAMES:
                return name

    def employer(self, setting: _Setting, district: str | None) -> _Employer:
        rng = self.rng
        pool = self.pools.setdefault(setting.key, [])
        if district is None and pool and rng.random() < 0.55:
            return pool[int(rng.random() * len(pool))]
        for _attempt in range(12):
            where = district or self.districts.pick(rng)
            template, codes = setting.employers[int(rng.random() * len(setting.employers))]
            z = self.m.zihao[int(rng.random() * len(self.m.zihao))]
            short = _DISTRICT_SHORT[where]
            name = template.format(z=z, d=short, D=where)
            found = self.employers.get(name)
            if found is not None:
                if found.setting == setting.key and (district is None or found.district == district):
                    return found
                continue
            industries = codes or (setting.segment.industry_codes if setting.segment is not None else ())
            industry = industries[int(rng.random() * len(industries))]
            if setting.unions and rng.random() < setting.union_share:
                union = setting.unions[int(rng.random() * len(setting.unions))]
            else:
                union = f"{where}总工会"
            made = _Employer(name, _short_name(name), where, union, industry, setting.key)
            self.employers[name] = made
            pool.append(made)
            return made
        raise RuntimeError(f"could not name a new employer for {setting.key}")  # pragma: no cover

    def studio_name(self, leader: str, employer: _Employer, trade: str) -> str:
        rng = self.rng
        skilled = self.m.trade_names[trade].startswith(_SKILLED_PREFIXES)
        suffix = _SUFFIXES.pick(rng)
        if suffix == "技能大师工作室" and not skilled:
            suffix = "劳模创新工作室"
        for name in (f"{leader}{suffix}", f"{employer.short}{leader}{suffix}"):
            if name not in self.studio_names:
                self.studio_names.add(name)
                return name
        return ""

    # -- honours and text

    def honours(self, level: str, public: bool, skilled: bool, district: str) -> str:
        rng = self.rng
        national_p = {"全国": 0.85, "市级": 0.12, "区局级": 0.05, "企业级": 0.02}[level]
        got: list[str] = []
        if rng.random() < national_p:
            got.append(("全国先进工作者" if public else "全国劳动模范") if rng.random() < 0.55 else "全国五一劳动奖章")
        qualifying = bool(got) or rng.random() > (0.18 if level == "企业级" else 0.03)
        if qualifying and (not got or rng.random() < 0.6):
            r = rng.random()
            if r < 0.5:
                got.append("上海市先进工作者" if public else "上海市劳动模范")
            elif r < 0.85:
                got.append("上海市五一劳动奖章")
            else:
                got += ["上海市劳动模范" if not public else "上海市先进工作者", "上海市五一劳动奖章"]
        if not qualifying:
            r = rng.random()
            if r < 0.45:
                got.append(f"{district}劳动模范")
            elif r < 0.8:
                got.append("集团公司劳动模范")
        if rng.random() < 0.25:
            got.append("上海工匠")
        if skilled and rng.random() < 0.08:
            got.append("全国技术能手")
        if skilled and rng.random() < 0.005:
            got.append("中华技能大奖")
        if skilled and rng.random() < 0.05:
            got.append("上海市首席技师")
        key = tuple(got)
        text = self.honour_text.get(key)
        if text is None:
            text = self.honour_text[key] = ";".join(got)
        return text

    def expertise(self, trade: str, setting: _Setting) -> str:
        rng = self.rng
        if rng.random() < 0.03:
            return ""
        trade_bank = _EXPERTISE_BANKS.get(trade) or _EXPERTISE_BANKS[self.m.trade_category[trade]]
        first = setting.expertise if setting.segment is not None and rng.random() < 0.6 else trade_bank
        chosen = [first[int(rng.random() * len(first))]]
        for _ in range(int(rng.random() * 3)):
            bank = setting.expertise if rng.random() < 0.5 else trade_bank
            phrase = bank[int(rng.random() * len(bank))]
            if phrase not in chosen:
                chosen.append(phrase)
        return "；".join(chosen)

    def needs(self, trade: str, segments: tuple[str, ...]) -> tuple[str, str]:
        """The needs text, and its first cross-field phrase (for collaboration titles)."""
        rng = self.rng
        if rng.random() < 0.1:
            return "", ""
        m = self.m
        chosen: list[str] = []
        cross = ""
        if rng.random() < 0.75 or not segments:
            bank = _NEED_BANKS[m.trade_category[trade]]
            cross = bank[int(rng.random() * len(bank))]
            chosen.append(cross)
        if segments and rng.random() < 0.6:
            seg = segments[0]
            ups, downs = m.upstream[seg], m.downstream[seg]
            if ups and (not downs or rng.random() < 0.5):
                up = m.segments[ups[int(rng.random() * len(ups))]]
                kw = up.keywords[int(rng.random() * len(up.keywords))]
                chosen.append(_UPSTREAM_NEEDS[int(rng.random() * 2)].format(seg=up.name, kw=kw))
            elif downs:
                down = m.segments[downs[int(rng.random() * len(downs))]]
                own = m.segments[seg].keywords
                kw = own[int(rng.random() * len(own))]
                chosen.append(_DOWNSTREAM_NEEDS[int(rng.random() * 2)].format(seg=down.name, kw=kw))
        if rng.random() < 0.12 or not chosen:
            chosen.append(_PEER_NEEDS[int(rng.random() * len(_PEER_NEEDS))].format(trade=trade))
        return "；".join(chosen), cross


def _short_name(employer: str) -> str:
    """How a studio name carries its employer when the leader's name alone is taken:
    上海华芯汽车有限公司 → 华芯汽车, 国网上海市电力公司浦东供电公司 → 浦东供电."""
    short = employer
    for prefix in ("国网上海市电力公司", "上海市", "上海"):
        short = short.removeprefix(prefix)
    for suffix in ("股份有限公司", "有限公司", "公司", "（集团）"):
        short = short.removesuffix(suffix)
    return short or employer


def _coverage_plan(n: int, model: _Model, rng: random.Random) -> dict[int, tuple[str | None, str | None]]:
    """Positions forced so that a roster of a few dozen studios or more covers every district and chain."""
    plan: dict[int, tuple[str | None, str | None]] = {}
    if n >= len(DISTRICTS):
        for j, district in enumerate(DISTRICTS):
            plan[(j * n) // len(DISTRICTS)] = (district, None)
    chains = list(model.chain_segments)
    if n >= 2 * len(chains):
        for c, chain in enumerate(chains):
            position = (c * n) // len(chains) + 1
            segs = model.chain_segments[chain]
            forced, _ = plan.get(position, (None, None))
            plan[position] = (forced, segs[int(rng.random() * len(segs))])
    return plan


def _studios(
    n: int, rng: random.Random, model: _Model
) -> tuple[list[dict[str, str]], dict[str, dict[str, Any]], _Facts]:
    maker = _StudioMaker(rng, model)
    plan = _coverage_plan(n, model, rng)
    rows: list[dict[str, str]] = []
    labels: dict[str, dict[str, Any]] = {}
    facts = _Facts()
    for i in range(n):
        forced_district, forced_setting = plan.get(i, (None, None))
        if forced_setting is not None:
            setting = model.settings[forced_setting]
            trade = model.setting_trades[forced_setting].pick(rng)
        else:
            trade = model.trade_picker.pick(rng)
            setting = model.settings[model.trade_settings[trade].pick(rng)]
        trades = [trade]
        if rng.random() < 0.15:
            second = model.setting_trades[setting.key].pick(rng)
            if second != trade:
                trades.append(second)
        employer = maker.employer(setting, forced_district)

        segments: list[str] = []
        if setting.segment is not None:
            segments.append(setting.key)
            if rng.random() < 0.2:
                others = [s for s in model.industry_segments.get(employer.industry, ()) if s != setting.key]
                if not others and rng.random() < 0.4:
                    seg = setting.key
                    others = list(model.upstream[seg] + model.downstream[seg])
                if others:
                    segments.append(others[int(rng.random() * len(others))])

        category = model.trade_category[trade]
        studio_id = f"SH{i + 1:06d}"
        leader = maker.person(category)
        name = maker.studio_name(leader, employer, trade)
        while not name:
            leader = maker.person(category)
            name = maker.studio_name(leader, employer, trade)

        level = _LEVELS.pick(rng)
        named = _YEARS.pick(rng)
        if level == "全国" and named < 2012:
            named = 2012 + int(rng.random() * 14)
        founded = max(2000, named - _FOUNDED_GAP.pick(rng))
        status = _STATUS.pick(rng)
        if status == "在职" and named <= 2010 and rng.random() < 0.06:
            status = "退休"
        skilled = model.trade_names[trade].startswith(_SKILLED_PREFIXES)
        members = min(80, 5 + int(rng.lognormvariate(2.3, 0.55)))
        needs, cross = maker.needs(trade, tuple(segments))

        industry = employer.industry
        shown_industry = model.industry_display[industry] if rng.random() < 0.45 else ""
        rows.append(
            {
                "编号": studio_id,
                "工作室名称": name,
                "领衔人": leader,
                "领衔人荣誉": maker.honours(level, setting.public, skilled, employer.district),
                "领衔人状态": status,
                "所在单位": employer.name,
                "所属工会": employer.union,
                "所在区": employer.district,
                "命名级别": level,
                "命名年份": maker.year_text[named],
                "成立年份": maker.year_text[founded],
                "工种": ";".join(trades),
                "行业": shown_industry or industry,
                "产业链环节": ";".join(s if rng.random() < 0.6 else model.segments[s].name for s in segments),
                "技术专长": maker.expertise(trade, setting),
                "攻关需求": needs,
                "团队人数": str(members),
            }
        )
        labels[studio_id] = {
            "industry": industry,
            "trades": [model.trade_names[t] for t in trades],
            "segments": list(segments),
        }
        facts.ids.append(studio_id)
        facts.trades.append(tuple(trades))
        facts.segments.append(tuple(segments))
        facts.industry.append(industry)
        facts.district.append(employer.district)
        facts.category.append(category)
        facts.founded.append(founded)
        facts.named.append(named)
        facts.needs.append(cross)
    return rows, labels, facts


# ================================================================ projects


def _projects(count: int, rng: random.Random, model: _Model) -> list[dict[str, str]]:
    chains = list(model.chain_names)  # by priority, as chains.json lists them
    curated = [(c, name, segs.split()) for k in range(5) for c in chains for name, segs in _PROJECTS[c][k : k + 1]]
    chain_picker = _Picker(chains, [1.0 / (1 + i) ** 0.5 for i in range(len(chains))])
    rows: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for i in range(count):
        if i < len(curated):
            chain, base, segs = curated[i]
        else:
            chain = chain_picker.pick(rng)
            pool = model.chain_segments[chain]
            first = pool[int(rng.random() * len(pool))]
            segs = [first]
            neighbours = model.downstream[first] + model.upstream[first]
            if neighbours:
                segs.append(neighbours[int(rng.random() * len(neighbours))])
            kws = model.segments[first].keywords
            base = kws[int(rng.random() * len(kws))] + _PROJECT_SUFFIXES[int(rng.random() * len(_PROJECT_SUFFIXES))]
        k = seen.get(base, 0)
        seen[base] = k + 1
        name = base if k == 0 else f"{base}（{_ORDINALS[min(k, 9)]}期）" if k < 10 else f"{base}（第{k + 1}期）"
        trades: list[str] = []
        for _ in range(4):
            t = model.setting_trades[segs[0]].pick(rng)
            if t not in trades:
                trades.append(t)
            if len(trades) == 2:
                break
        keywords = [model.segments[s].keywords[int(rng.random() * len(model.segments[s].keywords))] for s in segs]
        capabilities = f"需要{'、'.join(trades)}等工种；{'、'.join(dict.fromkeys(keywords))}等能力"
        unions, _ = _CHAIN_UNIONS[chain]
        union_names = unions.split()
        if union_names and rng.random() < 0.7:
            lead = union_names[int(rng.random() * len(union_names))]
        else:
            lead = f"{DISTRICTS[int(rng.random() * len(DISTRICTS))]}总工会"
        rows.append(
            {
                "编号": f"XM{i + 1:05d}",
                "项目名称": name,
                "产业链": model.chain_names[chain] if rng.random() < 0.7 else chain,
                "产业链环节": ";".join(s if rng.random() < 0.5 else model.segments[s].name for s in segs),
                "所需能力": capabilities,
                "牵头工会": lead,
            }
        )
    return rows


# ================================================================ collaborations and alliances


class _Index:
    """Studio positions grouped by trade, segment, chain, industry, district and family."""

    def __init__(self, facts: _Facts) -> None:
        self.trade: dict[str, list[int]] = {}
        self.segment: dict[str, list[int]] = {}
        self.chain: dict[str, list[int]] = {}
        self.industry: dict[str, list[int]] = {}
        self.district: dict[str, list[int]] = {}
        self.category: dict[str, list[int]] = {}
        for i in range(len(facts.ids)):
            for t in facts.trades[i]:
                self.trade.setdefault(t, []).append(i)
            for s in facts.segments[i]:
                self.segment.setdefault(s, []).append(i)
            for c in dict.fromkeys(s.partition("/")[0] for s in facts.segments[i]):
                self.chain.setdefault(c, []).append(i)
            self.industry.setdefault(facts.industry[i], []).append(i)
            self.district.setdefault(facts.district[i], []).append(i)
            self.category.setdefault(facts.category[i], []).append(i)


def _one_of(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


def _collaborations(
    count: int, rng: random.Random, model: _Model, facts: _Facts, index: _Index
) -> list[dict[str, str]]:
    n = len(facts.ids)
    if n < 2:
        return []
    strategies = _Picker(("segment", "chain", "trade", "cross", "any"), (35, 15, 25, 15, 10))
    rows: list[dict[str, str]] = []
    seen: set[tuple[int, int, int]] = set()
    attempts = 0
    while len(rows) < count and attempts < count * 20:
        attempts += 1
        a = int(rng.random() * n)
        how = strategies.pick(rng)
        title = ""
        b = -1
        if how == "segment" and facts.segments[a]:
            seg = _one_of(rng, facts.segments[a])
            b = _one_of(rng, index.segment[seg])
            kws = model.segments[seg].keywords
            title = _one_of(rng, _TITLES_SEGMENT).format(kw=_one_of(rng, kws), seg=model.segments[seg].name)
        elif how == "chain" and facts.segments[a]:
            seg = facts.segments[a][0]
            ups, downs = model.upstream[seg], model.downstream[seg]
            others = [s for s in ups + downs if s in index.segment]
            if others:
                other = _one_of(rng, others)
                b = _one_of(rng, index.segment[other])
                up, down = (other, seg) if other in ups else (seg, other)
                kw = _one_of(rng, model.segments[up].keywords)
                title = _one_of(rng, _TITLES_CHAIN).format(
                    up=model.segments[up].name, down=model.segments[down].name, kw=kw
                )
        elif how == "trade":
            trade = facts.trades[a][0]
            b = _one_of(rng, index.trade[trade])
            title = _one_of(rng, _TITLES_TRADE).format(trade=trade)
        elif how == "cross" and facts.needs[a].startswith("需要"):
            pool = index.district[facts.district[a]]
            b = _one_of(rng, pool)
            if facts.category[b] == facts.category[a]:
                b = int(rng.random() * n)
            need = facts.needs[a].removeprefix("需要")
            title = _one_of(rng, _TITLES_CROSS).format(need=need)
        if b < 0 or not title:
            b = int(rng.random() * n)
            title = _one_of(rng, _TITLES_ANY)
        if a == b:
            continue
        lo, hi = (a, b) if a < b else (b, a)
        first = max(2016, facts.founded[a], facts.founded[b])
        year = first + int(rng.random() * (LAST_YEAR - first + 1))
        if (lo, hi, year) in seen:
            continue
        seen.add((lo, hi, year))
        rows.append({"工作室A": facts.ids[lo], "工作室B": facts.ids[hi], "年份": str(year), "合作内容": title})
    return rows


def _alliances(count: int, rng: random.Random, model: _Model, facts: _Facts, index: _Index) -> list[dict[str, str]]:
    n = len(facts.ids)
    if n < 3:
        return []
    kinds = ("同工种", "同行业", "跨领域", "产业链")
    rows: list[dict[str, str]] = []
    names: set[str] = set()
    for i in range(count):
        kind = kinds[i % len(kinds)]
        for _attempt in range(30):
            year = _ALLIANCE_YEARS.pick(rng)
            made = _alliance(kind, year, rng, model, facts, index)
            if made is not None:
                break
        else:
            continue
        base, members = made
        name = base
        k = 1
        while name in names:
            k += 1
            name = f"{base.removesuffix('联盟')}第{_ORDINALS[min(k, 10) - 1]}联盟" if k <= 10 else f"{base}（{k}）"
        names.add(name)
        rows.append(
            {
                "编号": f"LM{len(rows) + 1:04d}",
                "联盟名称": name,
                "类型": kind,
                "成员": ";".join(facts.ids[m] for m in sorted(members)),
                "成立年份": str(year),
            }
        )
    return rows


def _sample(rng: random.Random, pool: Sequence[int], low: int = 3, high: int = 15) -> list[int]:
    k = low + int(rng.random() * (min(high, len(pool)) - low + 1))
    return rng.sample(pool, k)


def _alliance(
    kind: str, year: int, rng: random.Random, model: _Model, facts: _Facts, index: _Index
) -> tuple[str, list[int]] | None:
    """One alliance of ``kind`` founded in ``year`` (its members named by then), or None to try again."""
    n = len(facts.ids)
    anchor = int(rng.random() * n)
    if facts.named[anchor] > year:
        return None
    local = rng.random() < 0.4
    district = facts.district[anchor]
    scope = district if local else "上海市"

    def keep(pool: Sequence[int]) -> list[int]:
        named = facts.named
        if local:
            where = facts.district
            return [i for i in pool if named[i] <= year and where[i] == district]
        return [i for i in pool if named[i] <= year]

    if kind == "同工种":
        trade = facts.trades[anchor][0]
        pool = keep(index.trade[trade])
        if len(pool) < 3:
            return None
        return f"{scope}{trade}劳模创新工作室联盟", _sample(rng, pool)
    if kind == "同行业":
        code = facts.industry[anchor]
        pool = keep(index.industry[code])
        if len(pool) < 3:
            return None
        label = model.industry_names[code]
        label = label if label.endswith("业") else f"{label}行业"
        return f"{scope}{label}劳模创新工作室联盟", _sample(rng, pool)
    if kind == "产业链":
        if not facts.segments[anchor]:
            return None
        chain = facts.segments[anchor][0].partition("/")[0]
        pool = keep(index.chain[chain])
        if len(pool) < 3:
            return None
        chosen = _sample(rng, pool)
        if len({s for m in chosen for s in facts.segments[m]}) < 2:
            return None
        prefix = district if local else ""
        return f"{prefix}{model.chain_names[chain]}产业链上下游劳模创新工作室联盟", chosen
    theme, families = _one_of(rng, _CROSS_THEMES)
    members: list[int] = []
    for family in families.split():
        pool = keep(index.category.get(family, []))
        if pool:
            members.extend(rng.sample(pool, min(len(pool), 1 + int(rng.random() * 2))))
    members = list(dict.fromkeys(members))[:15]
    if len({facts.category[m] for m in members}) < 3:
        return None
    return f"{scope}{theme}跨领域劳模创新工作室联盟", members


# ================================================================ ledgers, funding, venues (a second stream)

_VENUES = _phrases(
    "技术中心{n}楼创新工作室|生产基地{n}号厂房职工创新室|职工创新活动室|培训中心{n}楼实训室|研发大楼{n}层|"
    "班组活动室|车间{n}楼技能实训区|职工之家{n}楼"
)
_ACTIVITIES = (
    ("{trade}技能培训班", "培训职工{k}人次"),
    ("师带徒结对签约", "签订师徒协议{k}对"),
    ("{kw}技术交流会", "与兄弟单位交流{kw}经验，参加{k}人"),
    ("职工技能比武（{trade}）", "组织{k}名职工参赛"),
    ("创新成果发布会", "发布{kw}等创新成果"),
    ("劳模工匠进校园宣讲", "赴职业院校宣讲，受众{k}人"),
    ("{kw}专题攻关研讨", "研讨{kw}难点，形成攻关方案"),
)
_RESULTS = _phrases("{kw}技术改进|{kw}工艺优化|{kw}装置研制|{kw}操作法|{kw}质量提升|{kw}降本增效")
_INNOVATION_TYPES = _Picker(("技术创新", "管理创新", "服务创新", "制度创新"), (70, 15, 10, 5))
_AWARDS = _Picker(
    ("", "上海市职工优秀创新成果奖", "全国职工优秀技术创新成果", "上海市合理化建议优秀成果", "国家实用新型专利"),
    (60, 15, 5, 10, 10),
)
_MEMBER_STEPS = _phrases(
    "{p}晋升高级技师|{p}取得{trade}技师资格|{p}获评上海工匠|{p}获区级劳动模范称号|{p}获上海市五一劳动奖章|"
    "{k}名成员通过技能等级认定|{p}出师并担任班组长"
)
_LEDGER_KINDS = _Picker(("活动", "成果", "成员发展"), (45, 35, 20))
_EMPLOYER_NOTES = _Picker(("", "年度专项经费", "设备购置", "培训经费", "攻关项目经费"), (40, 25, 15, 10, 10))


def _day(rng: random.Random, year: int) -> tuple[str, str]:
    """A day of ``year``: ISO, and as clerks write dates (mostly ISO, sometimes 2024/5/1 or 2024年5月1日)."""
    day = _dt.date(year, 1, 1) + _dt.timedelta(days=int(rng.random() * 365))
    r = rng.random()
    if r < 0.7:
        return day.isoformat(), day.isoformat()
    if r < 0.85:
        return day.isoformat(), f"{day.year}/{day.month}/{day.day}"
    return day.isoformat(), f"{day.year}年{day.month}月{day.day}日"


def _money(rng: random.Random, amount: int) -> str:
    """An amount in yuan as clerks write it: mostly digits, sometimes 2万 or 20,000."""
    r = rng.random()
    if r < 0.8 or amount % 10_000:
        return str(amount)
    return f"{amount // 10_000}万" if r < 0.9 else f"{amount:,}"


def _studio_extras(rows: list[dict[str, str]], facts: _Facts, rng: random.Random) -> None:
    """Add the founding day, venue, funds and leader's status year columns, filled for some studios."""
    for i, row in enumerate(rows):
        founded, named = facts.founded[i], facts.named[i]
        row["成立日期"] = _day(rng, founded)[1] if rng.random() < 0.3 else ""
        venue = ""
        if rng.random() < 0.45:
            venue = "无" if rng.random() < 0.04 else _one_of(rng, _VENUES).format(n=1 + int(rng.random() * 9))
        row["固定场所"] = venue
        funds = ""
        if rng.random() < 0.4:
            funds = "0" if rng.random() < 0.04 else _money(rng, 10_000 * (1 + int(rng.lognormvariate(1.2, 0.7))))
        row["专项经费（元/年）"] = funds
        year = ""
        if row["领衔人状态"] != "在职" and rng.random() < 0.75:
            year = str(named + int(rng.random() * (LAST_YEAR - named + 1)))
        row["领衔人状态年份"] = year


def _ref(rng: random.Random, row: dict[str, str], by_name: float) -> str:
    """How a ledger or funding row names its studio: mostly by 编号, sometimes by name."""
    return row["工作室名称"] if rng.random() < by_name else row["编号"]


def _ledger(
    rows: list[dict[str, str]], facts: _Facts, model: _Model, rng: random.Random, share: float
) -> list[dict[str, str]]:
    maker = _StudioMaker(rng, model)
    out: list[dict[str, str]] = []
    for i, row in enumerate(rows):
        if rng.random() >= share:
            continue
        first = max(2016, facts.founded[i])
        trade = facts.trades[i][0]
        keywords = [p for p in row["技术专长"].split("；") if p] or [trade]
        for seg in facts.segments[i]:
            keywords.extend(model.segments[seg].keywords[:3])
        seen: set[tuple[str, str, str, str]] = set()
        for _ in range(1 + int(rng.random() * 5)):
            kind = _LEDGER_KINDS.pick(rng)
            year = first + int(rng.random() * (LAST_YEAR - first + 1))
            kw = _one_of(rng, keywords)
            k = 2 + int(rng.random() * 40)
            entry = dict.fromkeys(LEDGER_HEADERS, "")
            if kind == "活动":
                title, detail = _one_of(rng, _ACTIVITIES)
                entry["名称"] = title.format(trade=trade, kw=kw)
                entry["内容"] = detail.format(trade=trade, kw=kw, k=k)
            elif kind == "成果":
                entry["名称"] = _one_of(rng, _RESULTS).format(kw=kw)
                entry["创新类型"] = _INNOVATION_TYPES.pick(rng)
                entry["获奖情况"] = _AWARDS.pick(rng)
                entry["认定攻关项目"] = "是" if rng.random() < 0.3 else "否"
                r = rng.random()
                if r < 0.55:
                    saved = round(1 + rng.lognormvariate(2.5, 1.0), 1)
                    entry["经济社会效益"] = f"年节约成本{saved:g}万元"
                    entry["效益金额（万元）"] = f"{saved:g}"
                elif r < 0.8:
                    entry["经济社会效益"] = f"生产效率提升{5 + int(rng.random() * 40)}%"
            else:
                person = maker.person(facts.category[i])
                entry["名称"] = _one_of(rng, _MEMBER_STEPS).format(p=person, trade=trade, k=k)
            day, entry["日期"] = _day(rng, year) if rng.random() < 0.7 else ("", "")
            ident = (kind, str(year), entry["名称"], day)
            if ident in seen:
                continue
            seen.add(ident)
            entry["工作室"] = _ref(rng, row, 0.2)
            entry["台帐类型"] = kind
            entry["年份"] = str(year)
            out.append(entry)
    return out


def _funding(rows: list[dict[str, str]], facts: _Facts, rng: random.Random) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []

    def add(row: dict[str, str], year: int, source: str, amount: int, note: str = "") -> None:
        out.append(
            {"工作室": _ref(rng, row, 0.1), "年份": str(year), "资助来源": source, "金额（元）": _money(rng, amount),
             "备注": note}
        )  # fmt: skip

    for i, row in enumerate(rows):
        named = facts.named[i]
        if row["命名级别"] == "市级" and rng.random() < 0.9:
            add(row, named, "市总工会" if rng.random() < 0.85 else "市总", 20_000, "市级命名一次性资助")
            r = rng.random()
            match = 20_000 if r < 0.72 else 10_000 if r < 0.87 else 0
            if match:
                union = row["所属工会"]
                s = rng.random()
                source = "区局（产业）工会" if s < 0.6 else union if union.endswith("区总工会") else "区局工会"
                add(row, named, source, match, "1:1 配套" if match == 20_000 else "配套")
        if rng.random() < 0.15:
            years = sorted({named + int(rng.random() * (LAST_YEAR - named + 1)) for _ in range(2)})
            for year in years[: 1 + int(rng.random() * 2)]:
                amount = 10_000 * (2 + int(rng.random() * 29))
                add(
                    row, year, _one_of(rng, ("所在单位", "所在单位", "单位", "企业")), amount, _EMPLOYER_NOTES.pick(rng)
                )
    return out


# ================================================================ the public functions


def generate(
    n_studios: int,
    *,
    seed: int = 2019,
    projects: int | None = None,
    collaborations: int | None = None,
    alliances: int | None = None,
    ledger_share: float = 0.35,
) -> Roster:
    """A fictional roster of ``n_studios`` studios, the same for the same arguments.

    Parameters
    ----------
    n_studios
        How many studios (编号 ``SH000001`` …). From 18 on, every district and every chain appears.
    seed
        The seed of the one ``random.Random`` everything is drawn from.
    projects
        Key projects (重点项目); default ``max(12, √n)``, the curated ones first, round-robin over chains.
    collaborations
        Past collaborations (合作记录), one per pair and year; default ``0.6 · n``. Biased toward the
        same segment, the chain neighbours and the same trade, with some cross-field pairs.
    alliances
        Existing alliances (联盟), the four kinds in turn; default ``max(12, n / 250)``.
    ledger_share
        The share of studios that keep a ledger (台帐): one to five lines each (activities, results
        with their benefits and awards, members' development). Funding (经费): municipal-level
        studios get the municipal union's 20,000 yuan in their naming year and, mostly, the union's
        match (sometimes short: 10,000, or none); some studios have employer funds. Founding days,
        venues, funds a year and leaders' status years are filled for some studios. All of these are
        drawn from a second stream seeded from ``seed``, so the other values do not depend on them.

    Returns
    -------
    Roster
        Rows keyed by the Chinese headers (:data:`STUDIO_HEADERS` …) and the studios' labels.

    Complexity: O(n + projects + collaborations + alliances · log n) time and O(n) memory.
    """
    if n_studios < 0:
        raise ValueError("n_studios must not be negative")
    if not 0.0 <= ledger_share <= 1.0:
        raise ValueError("ledger_share must be between 0 and 1")
    model = _model()
    rng = random.Random(seed)  # noqa: S311 -- reproducible fictional data, nothing secret
    rows, labels, facts = _studios(n_studios, rng, model)
    project_rows = _projects(projects if projects is not None else max(12, int(n_studios**0.5)), rng, model)
    index = _Index(facts)
    collaboration_rows = _collaborations(
        collaborations if collaborations is not None else round(0.6 * n_studios), rng, model, facts, index
    )
    alliance_rows = _alliances(
        alliances if alliances is not None else max(12, n_studios // 250), rng, model, facts, index
    )
    extras = random.Random(seed * 7919 + 1)  # noqa: S311 -- a second stream: the sheets above never see it
    _studio_extras(rows, facts, extras)
    ledger_rows = _ledger(rows, facts, model, extras, ledger_share)
    funding_rows = _funding(rows, facts, extras)
    return Roster(rows, project_rows, collaboration_rows, alliance_rows, labels, ledger_rows, funding_rows)


def naming_list(count: int, *, seed: int = 2024, exclude: Roster | None = None) -> list[dict[str, str]]:
    """A bare published naming list (命名名单) of ``count`` fictional studios none of which is in ``exclude``.

    Columns are exactly :data:`NAMING_LIST_HEADERS` (序号, 工作室名称, 领衔人, 所在单位, 推荐单位); the
    recommending unit is the studio's district or industry union.
    """
    taken_names = {r["工作室名称"] for r in exclude.studios} if exclude else set()
    taken_pairs = {(r["领衔人"], r["所在单位"]) for r in exclude.studios} if exclude else set()
    pool = generate(count * 2 + 20, seed=seed, projects=0, collaborations=0, alliances=0).studios
    rows: list[dict[str, str]] = []
    for studio in pool:
        if studio["工作室名称"] in taken_names or (studio["领衔人"], studio["所在单位"]) in taken_pairs:
            continue
        rows.append(
            {
                "序号": str(len(rows) + 1),
                "工作室名称": studio["工作室名称"],
                "领衔人": studio["领衔人"],
                "所在单位": studio["所在单位"],
                "推荐单位": studio["所属工会"],
            }
        )
        if len(rows) == count:
            break
    return rows


def _note_lines(roster: Roster, note: str | None) -> list[tuple[str, str]]:
    return [
        ("说明", "示例数据，纯属虚构，并非真实名单"),
        ("Notice", "ILLUSTRATIVE DATA: fictional, not a real roster of any union"),
        ("人名与单位", "领衔人姓名、所在单位均由常用字随机组合生成，不指向任何真实人物或单位；如有雷同，纯属巧合"),
        ("分类", "区、工会、工种、行业（GB/T 4754-2017）、产业链环节取自公开分类与本项目参考分类，仅作演示"),
        ("生成方式", note or "studio-alliances ingest.synthetic.generate"),
        (
            "数量",
            f"工作室 {len(roster.studios)}；重点项目 {len(roster.projects)}；合作记录 {len(roster.collaborations)}；"
            f"联盟 {len(roster.alliances)}；台帐 {len(roster.ledger)}；经费 {len(roster.funding)}",
        ),
    ]


def write_xlsx(roster: Roster, path: Path, *, note: str | None = None) -> None:
    """Write the roster as a workbook: a first sheet 说明 (illustrative data; how it was made), then one
    sheet per kind (:data:`SHEETS`), each a header row and its rows.

    ``note`` says how the roster was generated (seed, n); it goes on the 说明 sheet. Rows are streamed
    (openpyxl write-only mode), so memory stays bounded whatever the roster's size beyond the roster
    itself; timestamps are fixed, so the same roster gives the same bytes.
    """
    from openpyxl import Workbook

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "studio-alliances (illustrative data)"
    workbook.properties.title = "示例数据，纯属虚构，并非真实名单"
    notes = workbook.create_sheet(NOTE_SHEET)
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 100
    for line in _note_lines(roster, note):
        notes.append(list(line))
    for (title, rows), headers in zip(roster.sheets().items(), _HEADERS, strict=True):
        sheet = workbook.create_sheet(title)
        sheet.append(list(headers))
        numeric = [h in _NUMERIC for h in headers]
        for row in rows:
            sheet.append(
                [
                    int(v) if is_number and v.isdigit() else v
                    for v, is_number in zip((row.get(h, "") for h in headers), numeric, strict=True)
                ]
            )
    temporary = path.with_name(path.name + ".tmp")
    try:
        workbook.save(temporary)
        _normalise_zip(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _normalise_zip(source: Path, target: Path) -> None:
    """Copy an xlsx entry by entry with fixed timestamps (in the archive and in docProps/core.xml)."""
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            if item.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(lambda m: m.group(1) + stamp + m.group(3), zin.read(item))
                zout.writestr(info, data)
                continue
            with zin.open(item) as src, zout.open(info, "w") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)


def write_csv(
    rows: list[dict[str, str]],
    path: Path,
    *,
    encoding: str = "utf-8",
    headers: Sequence[str] | None = None,
) -> None:
    """Write rows as CSV with a header row, as a clerk's Excel exports it (CRLF line ends).

    ``encoding`` is ``"utf-8"``, ``"utf-8-sig"`` (with a BOM) or ``"gb18030"`` (what Chinese Excel
    writes as "CSV"). ``headers`` defaults to the keys of the first row, in order; with no rows and
    no headers the file is empty.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = list(headers) if headers is not None else (list(rows[0]) if rows else [])
    with path.open("w", encoding=encoding, newline="") as fh:
        if not columns:
            return
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows([row.get(c, "") for c in columns] for row in rows)


def write_json(roster: Roster, path: Path) -> None:
    """Write ``{"studios": [...], "projects": [...], "collaborations": [...], "alliances": [...],
    "ledger": [...], "funding": [...]}``, rows keyed by the Chinese headers, in UTF-8 without escapes
    (``ensure_ascii=False``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "studios": roster.studios,
        "projects": roster.projects,
        "collaborations": roster.collaborations,
        "alliances": roster.alliances,
        "ledger": roster.ledger,
        "funding": roster.funding,
    }
    with path.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
