"""Propose a studio's industry, trades and chain segments from its roster text, offline.

A published naming list (命名名单) gives only a studio's name, leader, employer and recommending
union. :class:`Classifier` reads the name, the employer and, when a roster has them, the expertise
(技术专长) and needs (攻关需求), and proposes

- an industry: a GB/T 4754-2017 code from ``industries.csv``;
- at most two trades (工种) from ``trades.csv``;
- at most two chain segments (产业链环节) from ``chains.json``;

each with the words it rests on, and one confidence. Nothing is downloaded and no model is trained.
The classifier is a weighted lexicon:

1. **Terms.** Built from the shipped taxonomies (segment names and keywords, industry class names
   without their ``制造``/``加工``/``服务`` suffix, trade names and aliases) and from a curated table of
   employer-name and domain cues written for Shanghai rosters (``微电子`` → 3973 集成电路制造,
   ``供电`` → 4420 电力供应, ``地铁`` → 54 道路运输业, ``护理`` → the nursing trade …). A term carries
   one or more weighted targets: an industry code, a trade code, a segment id.
2. **Matching.** Each text is NFKC-normalised and lower-cased, with 上海 and 工作室 turned into
   separators (else 上海工具厂 reads 海工), then scanned once: at every position only the term
   lengths that exist for that first character are tried, longest first; a match wholly inside an
   earlier longer one is dropped (``汽车维修工`` is the trade, not ``车工``), a trade name's final 工
   is not taken from 工艺/工程/工业 … (``刻蚀工艺`` is 刻蚀, not the trade 刻蚀工), and a Latin term
   must stand alone (``led`` is not read inside ``oled``).
3. **Weighting by field.** The employer and the name weigh most for the industry, the expertise
   most for trades and segments; the needs weigh little, since they describe what a studio lacks.
4. **Consistency.** Segment evidence also counts, more weakly, for the segment's industry classes;
   the industry is chosen division first (the sum of its classes), then the best class in it; the
   segments whose classes include the chosen industry get a bonus, and segments of other divisions
   a penalty, so the three answers agree where the text allows.
5. **Confidence.** ``1 - exp(-evidence)`` times the share of the winner against its best rival,
   so that one clear cue gives about 0.75, two agreeing cues more, and a split vote less. Nothing
   below ``min_confidence`` is proposed.

``industry_code`` is a class (小类) wherever the taxonomy subdivides the division. The shipped
subset of GB/T 4754-2017 does not subdivide every division (it ships, for instance, only
54 道路运输业 for a metro or bus operator, 47 房屋建筑业 for a building contractor, 16 烟草制品业);
there the division is the most specific code that exists and is what the classifier proposes,
unless ``classes_only=True`` asks for classes only.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from graph import taxonomy
from graph.model import Industry, IndustryLevel, Segment, Trade

__all__ = ["Classifier", "Inference"]


@dataclass(frozen=True)
class Inference:
    """What :meth:`Classifier.classify` proposes for one studio.

    Attributes
    ----------
    industry_code : str or None
        A code present in the industries the classifier was built with: a class (小类) wherever the
        taxonomy subdivides the division, else the division (大类). ``None`` when nothing was found.
    trade_codes : tuple of str
        ``Trade.code`` values, best first, at most two.
    segment_ids : tuple of str
        ``Segment.id`` values, best first, at most two.
    confidence : float
        In ``[0, 1]``; the industry's confidence when an industry is proposed, else the best of the
        trade and segment confidences; 0 when nothing is proposed.
    basis : tuple of str
        The matched words behind the proposals, strongest first, as ``"<field>:<word>"`` with the field
        one of 名称 (name), 单位 (employer), 专长 (expertise), 需求 (needs); e.g. ``"单位:微电子"``.
    """

    industry_code: str | None
    trade_codes: tuple[str, ...]
    segment_ids: tuple[str, ...]
    confidence: float
    basis: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        """True when nothing at all is proposed."""
        return self.industry_code is None and not self.trade_codes and not self.segment_ids


_EMPTY = Inference(industry_code=None, trade_codes=(), segment_ids=(), confidence=0.0, basis=())

# --- weights -------------------------------------------------------------------------------------

_IND, _TRADE, _SEG = 0, 1, 2
_FIELDS = ("name", "employer", "expertise", "needs")
_FIELD_LABELS = ("名称", "单位", "专长", "需求")
# Rows: fields in _FIELDS order; columns: industry, trade, segment.
_FIELD_WEIGHTS: tuple[tuple[float, float, float], ...] = (
    (1.0, 1.0, 0.8),  # name: 张丽护理创新工作室 names the trade as often as the sector
    (1.5, 0.3, 0.8),  # employer: the strongest industry cue; says little about the trade
    (0.7, 1.0, 1.0),  # expertise: what the studio does
    (0.3, 0.4, 0.4),  # needs: often what the studio lacks, i.e. someone else's field
)
_SEGMENT_TO_INDUSTRY = 0.5  # share of a segment match that counts for the segment's industry classes
_LINK_PREFERRED = 0.6  # bonus × industry confidence for the segment a chosen class implies
_LINK_OTHER = 0.15  # bonus × industry confidence for the other segments listing the chosen class
_OFF_DIVISION = 0.6  # factor on segments none of whose classes is in the chosen division
_REPEAT_SHARE = 0.3  # weight of a field's further cues for a target it already supports
_SECOND_SHARE = 0.5  # a second trade or segment needs at least this share of the first's score
_BASIS_LIMIT = 8
_TAU = {_IND: 1.0, _TRADE: 0.8, _SEG: 0.8}  # evidence scale of 1 - exp(-s / tau)

_TAXONOMY_WEIGHTS = {
    "segment_name": 0.8,
    "segment_keyword": 1.0,
    "industry_name": 0.6,
    "trade_name": 1.0,
    "trade_alias": 0.9,
    "trade_stem": 0.6,
}

# Segment keywords that say little on their own (``运维`` appears in grid, metro and IT rosters alike).
_KEYWORD_WEIGHTS = {
    "运维": 0.3,
    "检修": 0.4,
    "点检": 0.7,
    "设备维修": 0.6,
    "算法": 0.6,
    "品牌": 0.3,
    "门店": 0.4,
    "零售": 0.5,
    "模组": 0.5,
    "整机": 0.5,
    "外设": 0.4,
    "手术": 0.5,
    "急诊": 0.6,
    "康复": 0.6,
    "医院": 0.8,
    "射频": 0.7,
    "5g": 0.6,
    "发动机": 0.6,
    "车身": 0.7,
    "计算机": 0.6,
    "扩散": 0.5,
    "结晶": 0.5,
    "化学合成": 0.6,
    "合成工艺": 0.6,
    "精密加工": 0.6,
    "控制系统": 0.6,
    "dcs": 0.5,
    "应用方案": 0.5,
    "ai+": 0.5,
    "数字孪生": 0.6,
    "智能运维": 0.6,
    "智能工厂": 0.6,
    "仿真验证": 0.6,
    "服装": 0.9,
    "裁剪": 0.7,
    "整车": 0.9,
    "总装": 0.6,
}

# Taxonomy-derived terms too ambiguous as substrings of roster text.
_STOP_TERMS = frozenset(
    {"集装箱", "运行维护", "卫生", "体育", "娱乐", "护工", "总控工", "保管员", "编程员", "三副", "二副"}
)

# --- curated cues --------------------------------------------------------------------------------


class _Cue(NamedTuple):
    """Space-separated words and what they point at; codes absent from the taxonomy are dropped."""

    words: str
    industry: str = ""
    segments: str = ""
    trades: str = ""
    weight: float = 1.0


# Employer-name and domain cues for Shanghai rosters. An industry code that the taxonomy does not hold
# is mapped to its nearest ancestor that it does (a division without classes stays the division).
_CUES: tuple[_Cue, ...] = (
    # Integrated circuits
    _Cue(
        "微电子 集成电路 晶圆 晶圆厂 半导体制造 芯片制造 芯片代工 华虹 华力 中芯 积塔 宏力 台积电",
        "3973",
        "ic/wafer-fab",
    ),
    _Cue("半导体", "3973", "", "", 0.6),
    _Cue("芯片", "3973", "", "", 0.4),
    _Cue("光刻 刻蚀 薄膜沉积 离子注入 化学气相沉积 套刻 工艺整合 晶圆制造", "3973", "ic/wafer-fab", "6-25-02-05", 0.8),
    _Cue("封装 封测 先进封装 键合 引线键合 塑封 晶圆级封装 芯片测试", "3973", "ic/packaging-test", "6-25-02-06", 0.9),
    _Cue(
        "集成电路设计 芯片设计 ic设计 soc 数字前端 流片 cpu芯片 复旦微 兆芯 展锐 澜起",
        "6520",
        "ic/design",
        "2-02-38-09",
    ),
    _Cue("硅片 大硅片 拉晶 单晶硅 外延片 硅产业 新昇", "3985", "ic/materials", "6-25-02-04"),
    _Cue("光刻胶 电子特气 靶材 抛光液 湿电子化学品 掩膜版 安集 电子材料", "3985", "ic/materials", "2-02-09-01", 0.9),
    _Cue(
        "半导体设备 刻蚀机 光刻机 薄膜设备 离子注入机 量测设备 微电子装备 中微半导体 中微公司 盛美",
        "3562",
        "ic/equipment",
    ),
    _Cue("腔体装调 设备装调", "", "", "6-21-04-01", 0.7),
    _Cue("igbt 碳化硅 氮化镓 mosfet 功率器件 功率模块 分立器件 功率半导体", "3972", "ic/power-discrete"),
    # Biomedicine
    _Cue("制药 药业 药厂 医药 药品 上药集团 信谊 医药集团 复星医药 恒瑞", "2720", "biomed/chem-drugs", "", 0.8),
    _Cue("化学药 制剂 固体制剂 注射剂 仿制药 一致性评价 片剂 胶囊", "2720", "biomed/chem-drugs", "6-12-03-00", 0.9),
    _Cue("生物制品 生物药 血液制品 细胞治疗 基因治疗 car-t", "2761", "biomed/biologics"),
    _Cue("疫苗", "2762", "biomed/biologics", "6-12-05-03"),
    _Cue(
        "单抗 单克隆抗体 抗体 重组蛋白 抗体药物 细胞培养 纯化工艺 cdmo 药明生物 君实",
        "2762",
        "biomed/biologics",
        "6-12-05-05",
    ),
    _Cue("生物医药 生物科技 生物技术", "2761", "", "", 0.5),
    _Cue("生化 生化药 生化药品 生化制药", "2761", "biomed/biologics", "6-12-05-01"),
    _Cue("中药 中成药 配方颗粒 中药提取 和黄药业 六神丸 雷允上 童涵春 蔡同德", "2740", "biomed/tcm"),
    _Cue("饮片 中药饮片 炮制 中药炮制", "2730", "biomed/tcm", "6-12-02-00"),
    _Cue("原料药 医药中间体 中间体 手性合成", "2710", "biomed/api", "6-12-01-00"),
    _Cue("药用辅料 药包材 西林瓶 胶塞 预灌封", "2780", "biomed/excipients-packaging"),
    _Cue("冻干机 制药装备 制药设备 灌装线 东富龙 楚天 生物反应器", "3544", "biomed/bioprocess"),
    _Cue("cro 新药研发 药物研发 新药开发 临床前 药物发现 药物筛选 药明康德 药明 药物化学", "7340", "biomed/discovery"),
    _Cue("药物化学 化学合成", "", "", "2-01-06-03", 0.6),
    _Cue("医疗器械 医疗设备 医疗科技 医疗器材", "3584", "biomed/devices", "", 0.8),
    _Cue("医学影像 磁共振 影像设备 ct机 超声设备 监护仪 联影 联影医疗 放疗设备 内窥镜", "3581", "biomed/devices"),
    _Cue("介入 心脏支架 支架 导管 植入 手术机器人 手术器械 微创医疗 微创", "3584", "biomed/devices", "6-21-06-04", 0.8),
    _Cue("医疗设备装配 医疗器械装配 设备装配与调试 装配与调试", "", "", "6-21-06-01", 0.5),
    _Cue("体外诊断 ivd 诊断试剂", "2770", "biomed/devices"),
    _Cue("医用耗材 医用敷料 卫生材料", "2770", "health/equipment-aids"),
    _Cue("医药流通 医药物流 药品配送 医药冷链 医药批发 医药商业 上药控股 国药控股", "5151", "biomed/distribution"),
    _Cue("冷链物流 医药冷链物流", "", "", "4-02-06-03", 0.8),
    _Cue("大药房 药房 零售药店", "5251", "biomed/distribution"),
    # AI, software, data
    _Cue(
        "软件 信息技术 信息系统 宝信 华东电脑 万达信息 东方财富 软件开发 工业软件 应用软件",
        "6513",
        "electronics/software",
    ),
    _Cue("软件开发 工业软件 信息化系统 软件工程", "", "", "2-02-10-03", 0.8),
    _Cue("系统集成 信息系统集成 运维服务 集成服务", "6531", "electronics/software", "2-02-10-03", 0.9),
    _Cue("计算机技术 网络科技 信息科技", "6513", "", "", 0.4),
    _Cue(
        "人工智能 ai 商汤 依图 云从 深度学习 机器学习 大模型 模型训练 神经网络", "6513", "ai/models", "2-02-38-01", 0.8
    ),
    _Cue("计算机视觉 图像识别 人脸识别 语音识别 自然语言处理 机器视觉 视觉算法", "6513", "ai/perception", "2-02-38-01"),
    _Cue("智能科技", "6513", "", "", 0.3),
    _Cue("数据标注 语料 数据集 数据清洗 数据治理 数据科技 大数据 数据服务", "6450", "ai/data"),
    _Cue("智算 算力 数据中心 智算中心 云计算 idc 液冷 服务器运维", "6550", "ai/compute", "2-02-38-04"),
    _Cue("服务机器人 人形机器人 配送机器人 送餐机器人 擎朗 傅利叶 达闼 智元 康复机器人 具身智能", "3964", "ai/robots"),
    _Cue("人形机器人 关节控制 机器人控制 机器人研发", "", "", "2-02-38-10", 0.8),
    _Cue("工业机器人 发那科 库卡 机械臂 机器人集成 机器人应用 abb", "3491", "equipment/robots"),
    _Cue("机器人调试 机器人应用 机器人编程 机器人操作", "", "", "6-31-07-03"),
    _Cue("机器人", "3491", "", "", 0.5),
    _Cue("网络安全 信息安全 攻防 威胁监测 渗透测试 观安 安全运营", "6440", "", "2-02-10-07"),
    _Cue("携程 拼多多 美团 饿了么 大众点评 哔哩哔哩 小红书 互联网平台 生活服务平台", "6432"),
    _Cue("互联网", "6490", "", "", 0.4),
    _Cue("智能客服 客服系统", "6432", "ai/applications", "", 0.8),
    _Cue("呼叫中心 客服中心 客服热线 热线服务", "6591"),
    # Electronics
    _Cue(
        "显示面板 液晶 液晶显示 oled 面板 阵列工艺 彩膜 天马 和辉光电 京东方 显示器件",
        "3974",
        "electronics/display",
        "6-25-02-03",
    ),
    _Cue("天马微电子", "3974", "electronics/display", "", 1.2),
    _Cue("led照明 照明 灯具 飞乐 亚明 照明电器", "3872"),
    _Cue(
        "印制电路 印制电路板 pcb 线路板 电路板 覆铜板 hdi 美维 沪士 电子电路", "3982", "electronics/pcb", "6-25-01-13"
    ),
    _Cue("smt 贴片 电子装联", "3982", "electronics/pcb", "6-25-04-07", 0.8),
    _Cue("通信设备 基站 5g基站 光通信 贝尔 诺基亚贝尔 华为 中兴 通信系统", "3921", "electronics/communication"),
    _Cue("基站设备 通信设备研发 设备研发与测试", "", "", "2-02-10-01", 0.6),
    _Cue("手机 智能手机 智能终端 华勤 龙旗 闻泰 平板电脑 通信终端", "3922", "electronics/consumer"),
    _Cue("传感器 敏感元件 电容器 电感器 连接器 被动元件 电子元器件 元器件", "3983", "electronics/components", "", 0.8),
    _Cue("计算机 服务器 工控机 存储设备 整机", "3911", "electronics/computing", "", 0.6),
    _Cue("导航 北斗 测绘 华测导航 卫星导航", "4023"),
    _Cue("仪器仪表 自动化仪表 分析仪器 检测仪器 仪器", "4014", "equipment/control", "", 0.7),
    _Cue("仪表维护 仪表维修 仪表检修 仪表", "", "", "6-31-01-04", 0.8),
    _Cue("电子", "3990", "", "", 0.3),
    # Power
    _Cue(
        "供电 供电公司 电力公司 国网 国家电网 电网 配电网 配网 输电 变电站 带电作业 电力抢修 市电力 电力调度 用电检查",
        "4420",
    ),
    _Cue("电力", "4420", "", "", 0.5),
    _Cue("带电作业 不停电作业 配电线路 配网抢修 故障抢修 线路抢修 电力抢修 架空线路 输电线路", "", "", "6-29-02-12"),
    _Cue("变电运维 变电运行 变电值班", "", "", "6-28-01-14"),
    _Cue("变电检修 变电设备检修 变电设备 状态监测", "", "", "6-31-01-08", 0.9),
    _Cue("继电保护 智能变电站", "", "", "6-28-01-15"),
    _Cue("高压电缆 电缆运维 电缆分公司 局放 电缆隧道", "4420", "", "6-29-02-11", 0.9),
    _Cue("发电 电厂 发电厂 火电 燃煤 燃机电厂 超超临界 发电有限 发电公司 第三发电 第二发电 华能 申能 漕泾电厂", "4411"),
    _Cue("机组 节能改造 发电机组 集控", "4411", "", "2-02-12-01", 0.5),
    _Cue("热电 热电厂 热电联产 热电有限", "4412", "", "", 1.2),
    _Cue("核电站 核电厂 核电运行", "4414"),
    _Cue("风电场 海上风电运维 风电运维", "4415", "", "6-28-01-12"),
    _Cue("光伏电站", "4416", "", "6-28-01-10"),
    _Cue("电站设备 电站辅机 锅炉厂 锅炉", "3411", "equipment/energy", "", 0.8),
    _Cue("核电设备 核电装备 核岛 堆内构件 压力容器 核电主设备", "3411", "equipment/energy"),
    _Cue("汽轮机 汽轮机厂 透平", "3413", "equipment/energy"),
    _Cue("电气风电 风电装备 风机制造 风电机组 风电叶片", "3415", "equipment/energy", "", 1.2),
    _Cue("动平衡 转子装配", "", "", "6-20-01-01", 0.6),
    _Cue("开关柜 高低压开关 配电开关 断路器 输配电 成套设备 高压开关", "3823", "", "6-24-02-02", 0.9),
    _Cue("变压器 互感器", "3821", "equipment/energy", "", 0.9),
    _Cue("电线电缆 电缆厂 线缆 光缆制造", "3831"),
    _Cue("光伏组件 光伏设备 太阳能电池", "3825"),
    _Cue("电气", "3823", "", "", 0.3),
    _Cue("电机 驱动电机 电动机 电驱 扁线电机 电驱动 电机控制器", "3812", "auto/e-drive", "", 0.8),
    _Cue("锂电池 动力电池 电芯 电池包 锂电", "3841", "auto/battery", "6-24-04-00"),
    _Cue("燃料电池 电堆 氢燃料 捷氢 氢能", "3849", "auto/battery", "6-24-04-00"),
    # Metro, rail, buses
    _Cue("地铁 轨道交通 城市轨道 申通地铁 轨交运营 地铁运营 地铁维护保障 维护保障", "54"),
    _Cue("地铁车辆检修 车辆检修 车辆维修 车辆段 地铁车辆维修 架修 大修", "", "equipment/mro", "6-29-02-17", 0.8),
    _Cue("地铁车辆检修 地铁车辆维修 车辆分公司", "54", "", "6-29-02-17", 0.5),
    _Cue("列车驾驶 电客车 列车司机 地铁司机 驾驶员", "", "", "4-02-01-01"),
    _Cue("行车调度 行车组织 调度指挥", "", "", "4-02-01-06", 0.6),
    _Cue("站务 车站服务 客运服务", "", "", "4-02-01-07", 0.8),
    _Cue("信号系统维护 信号维护 通号 信号设备 信号", "", "", "6-29-03-10", 0.8),
    _Cue("信号系统维护 信号维护 通号分公司", "54", "equipment/mro", "", 0.6),
    _Cue("接触网 接触网检修 牵引供电 牵引变电", "", "", "6-29-02-13"),
    _Cue("铁路 动车 动车组 高铁 铁路局 上海局 客运段 机务段 车务段 工务段 动车段 电务段 铁路运输", "53"),
    _Cue("动车组检修 动车组维修 动车检修", "", "equipment/mro", "6-23-01-03"),
    _Cue(
        "阿尔斯通 城轨车辆制造 轨道交通设备 轨交装备 轨道交通装备 庞巴迪 中车 地铁车辆制造",
        "3720",
        "equipment/rail",
        "",
        1.2,
    ),
    _Cue("公交 巴士 公共交通 公交车 久事 出租 出租车 出租汽车 强生 大众出租 长途客运 客运公司", "54"),
    _Cue("公交车辆 节能驾驶 安全驾驶 公交驾驶 出租车服务", "", "", "4-02-02-01"),
    # Ships, port cranes
    _Cue("造船 船舶 船厂 江南造船 外高桥造船 沪东中华 船体 分段 lng船 船舶制造", "3731", "equipment/marine"),
    _Cue("海洋工程 海工 海工装备 海洋平台 钻井平台 fpso", "3737", "equipment/marine"),
    _Cue("船体 分段 船体装配 分段焊接 精度控制 围护系统", "", "", "6-23-02-01", 0.8),
    _Cue("修船 船舶修理 海运重工 船舶维修 船舶改装 修造船", "4342", "equipment/mro", "6-31-02-01", 1.2),
    _Cue("柴油机 船用柴油机 船用配套 船用设备 船舶配套 船用主机", "3734", "equipment/marine", "", 0.9),
    _Cue("柴油机装配 主机装配 船舶轮机", "", "", "6-23-02-02"),
    _Cue("振华重工 港机 岸桥制造 起重机制造 港口机械", "3432", "", "", 1.2),
    # Aviation and space
    _Cue("商飞 飞机 大飞机 c919 arj21 飞机制造 民用飞机 商用飞机 机身", "3741", "equipment/aerospace"),
    _Cue("铆接 铆装 机身装配 部件装配 飞机装配", "", "", "6-23-03-01"),
    _Cue("航空发动机 航发 航发商发 商用航空发动机", "3744", "equipment/aerospace"),
    _Cue("发动机装配 装配试车 试车", "", "", "6-23-03-03", 0.8),
    _Cue("航天 运载火箭 火箭 卫星 航天技术研究院 八院 航天器 航天科技", "3742", "equipment/aerospace"),
    _Cue("火箭总装 卫星总装 总装与测试", "", "", "2-02-08-02", 0.8),
    _Cue(
        "航空维修 飞机维修 机务维修 东航技术 东方航空技术 航空技术有限 孔探 发动机维修 航线维修",
        "4343",
        "equipment/mro",
        "",
        1.2,
    ),
    _Cue("孔探 发动机维修 发动机修理", "", "", "6-31-02-04"),
    _Cue("飞机维修 航线维修 机务维修", "", "", "6-31-02-02"),
    _Cue("航空公司 东方航空 东航 吉祥航空 春秋航空 航空股份 机场 浦东国际机场 虹桥机场 机场集团 国际机场", "56"),
    # Automotive
    _Cue(
        "汽车 上汽 整车 大众汽车 通用汽车 上汽大众 上汽通用 乘用车 上汽大通 汽车制造 整车制造", "3611", "auto/vehicle"
    ),
    _Cue("新能源汽车 新能源车 电动汽车 特斯拉 蔚来 智己 上汽乘用车 纯电动", "3612", "auto/vehicle"),
    _Cue("总装调试 整车调试 汽车装调 整车装调 总装", "", "", "6-22-02-01", 0.8),
    _Cue("焊装 白车身 车身焊接", "3611", "auto/vehicle", "6-18-02-04", 0.7),
    _Cue(
        "汽车零部件 零部件 华域 延锋 联合汽车电子 汽车变速器 变速箱 变速器 底盘 制动系统"
        " 座椅 内饰 内饰件 汽车饰件 汽车电子",
        "3670",
        "auto/parts",
    ),
    _Cue("汽车维修 4s 汽车服务 汽车销售服务 永达 汽车修理 故障诊断", "8111", "auto/aftermarket", "4-12-01-01", 0.8),
    _Cue("充电桩 换电 充电站 充换电", "4420", "auto/charging", "", 0.8),
    # Steel, metals
    _Cue("钢铁 宝钢 宝武 宝山钢铁 钢厂 炼钢 炼钢厂 转炉 电炉炼钢 连铸 钢铁股份", "3120", "materials/metal-smelting"),
    _Cue("炼铁 炼铁厂 高炉 烧结 焦化", "3110", "materials/metal-smelting"),
    _Cue("冷轧 热轧 轧钢 轧制 带钢 硅钢 镀锌 钢管 特钢 特种钢 不锈钢 厚板", "3130", "materials/advanced-metals"),
    _Cue("铝合金 铝材 铝型材", "3252", "materials/advanced-metals", "", 0.8),
    _Cue("铜材 铜合金", "3251", "materials/advanced-metals", "", 0.8),
    _Cue("宝冶 冶金建设 冶建 二十冶 五冶 十三冶", "48", "", "", 1.5),
    # Petrochemicals and chemicals
    _Cue(
        "石化 石油化工 炼油 炼化 常减压 催化裂化 加氢裂化 高桥石化 上海石化 金山石化 炼厂 中国石化 石油",
        "25",
        "materials/basic-chem",
    ),
    _Cue("常减压 原油蒸馏", "", "", "6-10-01-01"),
    _Cue("乙烯 裂解 芳烃 丙烯 丙烯酸 有机化工 化工原料 赛科 环氧", "2614", "materials/basic-chem"),
    _Cue("装置运行 装置操作 dcs操作 生产装置", "", "", "6-11-01-03", 0.7),
    _Cue("氯碱 烧碱 离子膜 纯碱", "2612", "materials/basic-chem"),
    _Cue("化工 化学 华谊 化学工业区 化工新材料 新材料", "2614", "", "", 0.7),
    _Cue("涂料 油漆 立邦 造漆 功能涂料", "2641", "materials/chem-new", "6-11-05-01"),
    _Cue("树脂 塑料 合成材料 聚合 工程塑料 高分子", "2651", "materials/chem-new", "", 0.7),
    _Cue("橡胶", "2652", "materials/chem-new", "", 0.5),
    _Cue("轮胎", "2911", "auto/materials"),
    _Cue("日化 化妆品 家化 护肤 护肤品 美妆 百雀羚 上海家化 洗护", "2682", "fashion/cosmetics"),
    _Cue("配方研发 护肤品配方 化妆品配方 配方开发", "", "", "6-11-10-03", 0.8),
    _Cue("香精 香料 香精香料 调香", "2684", "fashion/cosmetics"),
    _Cue("化纤 涤纶 氨纶 锦纶", "2822", "materials/fibers-composites"),
    _Cue("碳纤维 芳纶 复合材料", "2829", "materials/fibers-composites"),
    # Hospitals, public health, care
    _Cue(
        "医院 人民医院 中心医院 附属医院 大学附属 医学院附属 瑞金 华山医院 中山医院 仁济 新华医院"
        " 长征医院 长海医院 市一医院",
        "8411",
        "health/hospitals",
        "",
        1.2,
    ),
    _Cue("附属", "8411", "", "", 0.6),
    _Cue("中医医院 中医院 曙光医院 龙华医院 岳阳医院 中医药大学附属 市中医", "8412", "health/hospitals", "", 1.5),
    _Cue("中医", "8412", "", "", 0.5),
    _Cue("中西医结合", "8413", "health/hospitals", "", 1.5),
    _Cue(
        "肿瘤医院 儿童医院 儿科医院 眼耳鼻喉 精神卫生中心 口腔医院 胸科医院 肺科医院"
        " 妇产科医院 传染病医院 公共卫生临床中心 五官科医院 皮肤病医院 眼科医院 康复医院 专科医院 骨科医院",
        "8415",
        "health/hospitals",
        "",
        1.5,
    ),
    _Cue("妇幼保健院 妇婴保健院 保健院 妇幼保健", "8433", "health/hospitals", "", 1.5),
    _Cue("疾病预防控制 疾控 疾控中心 疾病预防", "8431", "health/primary-public", "", 1.2),
    _Cue("急救中心 医疗急救 院前急救 急救站 120", "8434", "health/primary-public", "", 1.2),
    _Cue("血液中心 血站 采供血 献血 血液管理", "8435", "health/primary-public", "", 1.2),
    _Cue("社区卫生服务中心 社区卫生 卫生服务中心 卫生服务站 家庭医生", "8421", "health/primary-public", "", 1.2),
    _Cue("护理院 老年护理院", "8512", "health/elderly-rehab", "", 1.5),
    _Cue("养老院 福利院 敬老院 养护院 社会福利 养老服务 养老 长者照护", "8514", "health/elderly-rehab", "", 1.2),
    _Cue("儿童福利院 孤残儿童", "8516", "", "", 1.5),
    _Cue("体检中心 健康体检 体检", "8491", "health/diagnostics"),
    _Cue("医学检验所 医学检验 第三方检验 金域 迪安 检验所 病理诊断", "8492", "health/diagnostics"),
    _Cue("护理 护士 护士长 伤口造口 造口 静脉治疗 picc 专科护理 临床护理 护理创新", "8411", "", "SA-001", 0.4),
    _Cue("护理 护士长 伤口造口 造口 静脉治疗 专科护理", "", "", "SA-001", 0.8),
    _Cue("手术室 手术配合 器械护士 手术室护理", "", "", "2-05-08-04", 1.2),
    _Cue("助产 母婴 产科护理", "", "", "2-05-08-06"),
    _Cue("养老护理 失能老人 老年护理 失智照护 长期照护", "", "health/elderly-rehab", "4-10-01-05"),
    _Cue("院前急救 急诊急救 急诊", "", "", "2-05-01-11", 0.8),
    _Cue("检验科 临床检验 检验质控 实验室质控 医学检验 检测与实验室", "", "", "2-05-07-04"),
    _Cue("家庭医生 全科 慢病管理", "", "", "2-05-01-19"),
    _Cue("影像科 放射科 医学影像诊断", "", "", "2-05-07-01"),
    _Cue("康复治疗 康复训练", "", "health/elderly-rehab", "2-05-07-13", 0.8),
    _Cue("药剂科 临床药学 医院药学 静配中心", "", "", "2-05-06-01"),
    _Cue("心脏外科 普外科 骨科 神经外科", "", "", "2-05-01-02", 0.6),
    # Construction
    _Cue(
        "建工 建设工程 建筑工程 一建 二建 四建 五建 七建 建筑 施工 房屋建筑 超高层 建筑集团 建设集团 机械施工 机施",
        "47",
    ),
    _Cue(
        "隧道 隧道股份 盾构 市政 城建 路桥 公路桥梁 桥梁 道路 基础工程 地基 轨交工程 土木 水利工程 港湾工程 航道", "48"
    ),
    _Cue("安装工程 安装集团 机电安装 设备安装 安装公司", "49"),
    _Cue("装饰 装修 幕墙 建筑装饰 精装修", "50", "", "6-29-04-01", 0.9),
    _Cue("脚手架 模架 爬模 整体钢平台", "", "", "6-29-01-05"),
    _Cue("盾构 掘进 隧道施工", "", "", "6-29-02-05"),
    _Cue("吊装 钢结构吊装 起重吊装 起重", "", "", "6-30-05-02", 0.8),
    _Cue("管道焊接 管道安装 管道", "", "", "6-29-03-04", 0.8),
    _Cue("bim 建筑信息模型", "47", "", "4-08-08-23", 0.8),
    _Cue("装配式 装配式建筑 预制构件", "47", "", "6-29-01-06", 0.8),
    _Cue("钢筋", "", "", "6-29-01-04", 0.8),
    _Cue("混凝土", "", "", "6-29-01-03", 0.8),
    # Ports, shipping, logistics, post
    _Cue(
        "港务 港口 码头 集装箱码头 上港 洋山 外高桥港 港区 外轮理货 引航 理货 盛东 冠东 沪东集装箱", "55", "", "", 1.2
    ),
    _Cue("航运 海运 远洋 集运 中远海运 中海 锦江航运 船务 拖轮 轮驳 客轮 渡轮 轮渡", "55"),
    _Cue("理货", "", "", "4-02-06-02"),
    _Cue("装卸 散货 装卸工艺", "55", "", "4-02-05-01", 0.6),
    _Cue("岸桥 桥吊 龙门吊 场桥 远程操控", "55", "", "6-30-05-01", 0.6),
    _Cue("邮政 邮件 邮局 投递", "60", "", "", 1.2),
    _Cue("投递", "", "", "4-02-07-04"),
    _Cue("快递 速递 顺丰 圆通 申通快递 中通 韵达 极兔 德邦 快件 速运", "60", "", "", 1.2),
    _Cue("快件分拣 分拣", "", "", "4-02-07-09", 0.8),
    _Cue("物流 货代 运输代理 国际货运 物流有限", "58", "", "", 0.8),
    _Cue("中远海运物流 海运物流", "58", "", "", 1.2),
    _Cue("仓储 仓库 冷库 仓储管理", "59", "", "4-02-06-01", 0.8),
    # Tobacco
    _Cue("烟草 卷烟 卷烟厂 烟厂 烟叶 中华烟 卷接", "16", "", "", 1.2),
    _Cue("烟草机械 烟机 卷接机组", "3533", "", "", 1.5),
    _Cue("设备维修 卷烟机设备维修 机修", "", "", "6-31-01-02", 0.6),
    # Textiles, apparel, footwear, jewellery
    _Cue("纺织 纺纱 织造 棉纺 色纺 纱线 染纱 纺织染纱 棉纺织", "1711", "fashion/textiles"),
    _Cue("色纺纱 纺纱 细纱", "", "", "6-04-02-01"),
    _Cue("印染 染整", "1713", "fashion/textiles"),
    _Cue("毛纺 羊毛 毛纱 恒源祥", "1721", "fashion/textiles"),
    _Cue("丝绸 真丝", "1742", "fashion/textiles"),
    _Cue("针织 针织面料", "1761", "fashion/textiles"),
    _Cue("内衣 针织内衣 针织服装 三枪", "1829", "fashion/apparel"),
    _Cue("家纺 床上用品", "1771", "fashion/textiles"),
    _Cue("面料 面料开发 面料设计 功能性面料", "", "fashion/textiles", "4-08-08-02", 0.8),
    _Cue("服装 服饰 时装 衬衫 西服 制衣 成衣 海螺 培罗蒙 罗蒙 童装 高级定制", "1819", "fashion/apparel"),
    _Cue("制版 打版 样板", "", "fashion/apparel", "6-05-01-01"),
    _Cue("缝制 缝纫", "", "fashion/apparel", "6-05-01-03"),
    _Cue("鞋 鞋业 运动鞋", "1951", "fashion/leather-footwear", "6-05-04-01", 0.6),
    _Cue("胶鞋 帆布胶鞋 回力", "1954", "fashion/leather-footwear", "6-05-04-01"),
    _Cue("皮鞋", "1952", "fashion/leather-footwear", "6-05-04-01"),
    _Cue("皮具 箱包 皮革", "1922", "fashion/leather-footwear"),
    _Cue("珠宝 首饰 黄金饰品 金银细工 老凤祥 老庙 亚一 金店 玉雕 金银饰品 银楼", "2438", "fashion/jewelry-crafts"),
    _Cue("刺绣 工艺美术 顾绣 漆器", "2439", "fashion/jewelry-crafts"),
    # Food, hotels, catering
    _Cue("乳业 乳品 牛奶 光明乳业 乳制品 酸奶", "14", "", "6-02-04-01"),
    _Cue("食品 冠生园 糖果 巧克力 糕点 月饼 杏花楼 烘焙 面包 沈大成 功德林 食品厂", "14", "", "", 0.9),
    _Cue("糕点 中式糕点 面包 烘焙 西点", "", "", "6-02-01-01"),
    _Cue("罐头 肉制品 梅林 屠宰 粮油 米面 大米 食用油", "13"),
    _Cue("饮料 黄酒 啤酒 白酒 茶叶 石库门 正广和 酿酒", "15", "", "", 0.8),
    _Cue("保健食品 营养食品 特医食品", "1492", "health/nutrition"),
    _Cue("饭店 酒店 宾馆 锦江 和平饭店 国际饭店 大酒店 酒店管理", "61"),
    _Cue("餐饮 餐厅 老饭店 酒家 菜馆 本帮菜 小吃 新亚 绿波廊 老正兴", "62", "", "", 1.2),
    _Cue("中式烹饪 烹饪 厨师 烹调 中餐 本帮菜", "", "", "4-03-02-01"),
    # Telecoms, broadcasting
    _Cue("电信 中国电信 固网", "6311", "electronics/network-services"),
    _Cue("移动 中国移动 移动通信", "6312", "electronics/network-services"),
    _Cue("联通 中国联通 联合网络通信", "6312", "electronics/network-services", "", 1.2),
    _Cue("铁塔 通信铁塔", "6319", "electronics/network-services"),
    _Cue("通信", "6319", "", "", 0.4),
    _Cue("有线电视 东方有线 有线网络 广电网络", "6321", "", "", 1.2),
    _Cue("光纤 宽带 光缆 线路维护 光纤宽带", "", "electronics/network-services", "4-04-02-02", 0.8),
    _Cue("网络优化 5g网络 无线网络", "6312", "electronics/network-services", "2-02-10-01", 0.8),
    # Water, gas, environment
    _Cue("水务 自来水 供水 制水 水厂 原水 排水 城投水务 水处理 管网漏损 水司", "46", "", "", 1.2),
    _Cue("制水 净水 水厂 深度处理", "", "", "6-28-03-01"),
    _Cue("供水管网 检漏 漏损", "", "", "6-28-03-02"),
    _Cue("污水 污水处理 污水厂", "46", "", "4-09-07-01"),
    _Cue("燃气 煤气 天然气 液化气 上海燃气 大众燃气 管道燃气 燃气管网", "45", "", "", 1.2),
    _Cue("燃气管网 燃气抢修 管网抢修 调压", "", "", "6-28-02-01"),
    _Cue("环卫 垃圾 生活垃圾 废弃物 焚烧 环境集团 老港 市容 道路清扫", "78"),
    _Cue("焚烧 垃圾焚烧 焚烧发电", "", "", "4-09-08-03"),
    _Cue("固废 危废 危险废物 土壤修复", "77"),
    _Cue("绿化 园林 绿地", "78", "", "4-09-10-01", 0.8),
    # Finance, trade, other services
    _Cue("银行 农商行 信用社 支行 分行", "66", "", "", 1.2),
    _Cue("证券 基金 期货 交易所", "67"),
    _Cue("保险 人寿 财险 太保 太平洋保险", "68"),
    _Cue("信托 金融租赁", "69"),
    _Cue("百货 商场 超市 便利店 连锁 购物中心 商厦 商业集团", "52"),
    _Cue("房地产 物业 物业管理 置业 地产", "70"),
    _Cue("出版 报业 报社 新闻", "86"),
    _Cue("电视台 广播电视 电影 制片 文广", "87"),
    _Cue("剧院 剧团 博物馆 图书馆 文化馆 美术馆 杂技", "88"),
    # Education, research, testing
    _Cue("学校 学院 大学 职业技术学院 中学 小学 幼儿园 技师学院 职校 中专 职业学院 工业大学 师范", "83"),
    _Cue("医学院", "83", "", "", 0.4),
    _Cue("职业学校 中等专业学校 技工学校 工程学校 中职 技能教学 竞赛培训 职业教育", "83", "", "2-08-02-02", 0.6),
    _Cue("职业技术学院 高职 职业学院", "", "", "2-08-01-02", 0.6),
    _Cue("小学 科学教育", "", "", "2-08-02-04", 0.6),
    _Cue("研究所 研究院 研究中心 科学院", "7320", "", "", 0.5),
    _Cue("材料研究所 材料检测 失效分析 材料表征 理化检测 理化检验", "7320", "materials/testing-application"),
    _Cue("失效分析 理化检验 力学性能", "", "", "6-31-03-02"),
    _Cue(
        "质量监督检验 检验检测 质检院 计量院 检测院 检测研究院 质量技术监督 检验技术研究院 特种设备检验 特检院",
        "74",
        "",
        "",
        1.2,
    ),
    _Cue("特种设备检验 特种设备检测 特种设备", "", "", "2-02-31-04"),
    _Cue("检测", "74", "", "", 0.3),
    # General machinery and parts
    _Cue("电梯 三菱电梯 奥的斯 迅达 通力电梯 自动扶梯", "3435", "", "6-29-03-03"),
    _Cue("工程机械 挖掘机 盾构机 桩工机械 重机 混凝土机械", "3514"),
    _Cue("维保", "", "", "6-29-03-03", 0.4),
    _Cue("机床 磨床 车床 铣床 数控机床 机床厂 加工中心 工业母机", "3421", "equipment/machine-tools"),
    _Cue("机床装调 磨床装调 机床维修", "", "", "6-20-03-01"),
    _Cue("刀具 工具厂 量具 刃具", "3321", "", "", 0.9),
    _Cue("磨削 刃磨 精密磨削", "", "", "6-18-01-04"),
    _Cue("液压 气动 液压件 液压气动", "3444", "equipment/basic-parts"),
    _Cue("轴承", "3451", "equipment/basic-parts"),
    _Cue("齿轮 减速器 减速机", "3453", "equipment/basic-parts", "", 0.8),
    _Cue("紧固件 标准件", "3482", "equipment/basic-parts"),
    _Cue("模具", "3525", "equipment/machine-tools", "6-18-04-01", 0.6),
    _Cue("铸造 铸件", "3391", "equipment/basic-processes", "6-18-02-01", 0.8),
    _Cue("锻造 锻件", "3393", "equipment/basic-processes", "6-18-02-02", 0.8),
    _Cue("热处理", "3360", "equipment/basic-processes", "6-18-02-03", 0.8),
    _Cue("上海电气 电气集团", "3411", "", "", 0.3),
    # Trades that any sector may name
    _Cue("数控 数控加工 数控技术 数控编程 五轴", "", "", "6-18-01-07", 0.8),
    _Cue("焊接 电焊 氩弧焊 焊接技术 焊接工艺 焊工", "", "", "6-18-02-04"),
    _Cue("钳工 装配钳工", "", "", "6-20-01-01"),
    _Cue("装配", "", "", "6-20-01-01", 0.3),
    _Cue("点检 设备点检 状态诊断", "", "equipment/mro", "6-31-01-01", 0.8),
    _Cue("设备维护 设备维修 预防性保养 预防性维护", "", "", "6-31-01-10", 0.6),
    _Cue("质量检验 质检 品质检验", "", "", "6-31-03-05", 0.8),
    _Cue("无损检测 探伤", "", "", "6-31-03-04"),
    _Cue("化验 化学分析", "", "", "6-31-03-01"),
    _Cue("电气调试 电气安装", "", "", "6-29-03-02", 0.7),
    _Cue("涂装 喷漆", "", "", "6-18-03-03"),
    _Cue("车削", "", "", "6-18-01-01"),
    _Cue("铣削", "", "", "6-18-01-02"),
    _Cue("注塑", "2929", "", "", 0.6),
    _Cue("电机装配 电机测试", "", "", "6-24-01-00"),
)

# Divisions (and groups) whose evidence, given without a class, stands for a typical class.
# A division absent here, or whose default the taxonomy lacks, stays the division.
_DEFAULT_CLASS = {
    "17": "1711",
    "18": "1819",
    "19": "1952",
    "26": "2614",
    "27": "2720",
    "28": "2822",
    "29": "2929",
    "30": "3021",
    "31": "3120",
    "32": "3240",
    "33": "3311",
    "34": "3484",
    "35": "3599",
    "36": "3611",
    "37": "3731",
    "38": "3823",
    "39": "3990",
    "40": "4011",
    "43": "4390",
    "44": "4420",
    "63": "6311",
    "65": "6513",
    "73": "7320",
    "75": "7519",
    "84": "8411",
    "841": "8411",
    "85": "8514",
}

# Class → segment pairs listed in chains.json that a class alone does not imply (a power supplier is
# not a charging studio; an application software house is not a digital-medicine studio).
_NO_LINK = frozenset(
    {
        ("4420", "auto/charging"),
        ("6432", "health/digital"),
        ("6513", "health/digital"),
        ("6513", "auto/intelligent"),
        ("6513", "ai/perception"),
        ("6560", "health/digital"),
        ("8411", "biomed/clinical"),
        ("8415", "biomed/clinical"),
        ("3973", "ai/chips"),
        ("6520", "ai/chips"),
        ("3911", "ai/compute"),
        ("3983", "ai/perception"),
        ("3983", "auto/intelligent"),
        ("6599", "ai/data"),
        ("6511", "ai/models"),
        ("6512", "ai/models"),
        ("6512", "ic/eda-ip"),
        ("3491", "ai/robots"),
        ("3914", "ic/applications"),
        ("3921", "ic/applications"),
        ("3962", "ic/applications"),
        ("3982", "ic/applications"),
        ("2619", "ic/materials"),
        ("2661", "ic/materials"),
        ("4028", "ic/equipment"),
        ("3824", "auto/e-drive"),
        ("3985", "auto/battery"),
        ("3130", "auto/materials"),
        ("3252", "auto/materials"),
        ("2929", "auto/materials"),
        ("4014", "biomed/bioprocess"),
        ("3587", "health/equipment-aids"),
        ("7491", "fashion/design"),
        ("3962", "ai/autonomous"),
    }
)
# Where a class lists several segments, the one it implies when the text names none.
_PREFERRED_SEGMENT = {"6531": "electronics/software", "3914": "equipment/control", "2822": "fashion/textiles"}

_INDUSTRY_SUFFIXES = ("制造", "加工", "服务", "生产", "开发", "业")
_TRADE_SUFFIXES = (
    "工程技术人员",
    "技术人员",
    "工程师",
    "技术员",
    "操作工",
    "操作员",
    "教师",
    "医师",
    "医生",
    "技师",
    "人员",
)
_PARENTHESES = re.compile(r"[(（][^)）]*[)）]")
_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
# After these characters a trade name's final 工 starts the next word: 刻蚀工艺 is 刻蚀 + 工艺, not 刻蚀工.
_GONG_WORDS = frozenset("艺程作业厂具序装位种匠会资期")


_BOILERPLATE = re.compile("上海市?|工作室")


def _normalise(text: str) -> str:
    """NFKC (full-width → half-width), lower-case ASCII, and 上海 and 工作室 replaced by a separator.

    Nearly every employer starts with 上海 and every studio name ends with 工作室; left in, they join
    their neighbours into false words (上海工具厂 would read 海工, offshore engineering; 王海工作室
    too).
    """
    return _BOILERPLATE.sub("|", unicodedata.normalize("NFKC", text).strip().lower())


def _industry_stem(name: str) -> str:
    name = _PARENTHESES.sub("", unicodedata.normalize("NFKC", name))
    for suffix in _INDUSTRY_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _trade_stem(name: str) -> str | None:
    for suffix in _TRADE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 3:
            return name[: -len(suffix)]
    if name[-1:] in ("工", "员", "师") and len(name) >= 5:
        return name[:-1]
    return None


def _strength(score: float, kind: int) -> float:
    return 1.0 - math.exp(-score / _TAU[kind])


class _Scores:
    """Evidence for one studio: scores per target and the matched words behind them."""

    __slots__ = ("evidence", "scores")

    def __init__(self) -> None:
        self.scores: tuple[defaultdict[str, float], ...] = (defaultdict(float), defaultdict(float), defaultdict(float))
        self.evidence: list[tuple[int, str, float, str]] = []


class Classifier:
    """Propose industry, trades and segments for studios from their roster text.

    Built once (it compiles its lexicon in the constructor), then called for any number of studios;
    it holds no state between calls and is safe to share between threads.

    Parameters
    ----------
    industries : iterable of Industry, optional
        The GB/T 4754-2017 codes that may be proposed. Default: ``graph.taxonomy.industries()``.
    trades : iterable of Trade, optional
        The trades that may be proposed. Default: ``graph.taxonomy.trades()``.
    segments : iterable of Segment, optional
        The chain segments that may be proposed. Default: ``graph.taxonomy.segments()``.
    min_confidence : float, default 0.2
        Nothing whose confidence is below this is proposed; an industry, trade or segment is either
        proposed with at least this confidence or left out.
    classes_only : bool, default False
        Propose an industry only when it is a class (小类). By default a division is proposed where
        the taxonomy does not subdivide it (54 道路运输业 for a metro operator).

    Notes
    -----
    Building takes O(T) for T the total length of the terms (a few thousand, from the taxonomies and
    the curated cues). :meth:`classify` takes O(L · k + m) for L the length of the text, k the number
    of distinct term lengths that start with a given character (at most about a dozen) and m the
    number of matches, independent of the size of the lexicon.

    Examples
    --------
    >>> clf = Classifier()
    >>> got = clf.classify(name="王立新劳模创新工作室", employer="上海华力微电子有限公司")
    >>> got.industry_code, got.segment_ids
    ('3973', ('ic/wafer-fab',))
    """

    def __init__(
        self,
        industries: Iterable[Industry] | None = None,
        trades: Iterable[Trade] | None = None,
        segments: Iterable[Segment] | None = None,
        *,
        min_confidence: float = 0.2,
        classes_only: bool = False,
    ) -> None:
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be in [0, 1], not {min_confidence}")
        self.min_confidence = min_confidence
        self.classes_only = classes_only
        industry_list = tuple(taxonomy.industries() if industries is None else industries)
        trade_list = tuple(taxonomy.trades() if trades is None else trades)
        segment_list = tuple(taxonomy.segments() if segments is None else segments)

        self._codes = {i.code for i in industry_list}
        self._classes = {i.code for i in industry_list if i.level is IndustryLevel.CLASS}
        self._trade_codes = {t.code for t in trade_list}
        self._segment_ids = {s.id for s in segment_list}
        self._segment_industries: dict[str, tuple[str, ...]] = {}
        for s in segment_list:
            resolved = (self._resolve(c) for c in s.industry_codes)
            self._segment_industries[s.id] = tuple(dict.fromkeys(c for c in resolved if c is not None))
        # class → segments it implies, in file order; the preferred one first
        self._linked: dict[str, list[str]] = defaultdict(list)
        for s in segment_list:
            for code in self._segment_industries[s.id]:
                if (code, s.id) not in _NO_LINK:
                    self._linked[code].append(s.id)
        for code, sid in _PREFERRED_SEGMENT.items():
            if sid in self._linked.get(code, ()):
                self._linked[code].remove(sid)
                self._linked[code].insert(0, sid)

        entries: dict[str, dict[tuple[int, str], float]] = {}
        self._build_from_taxonomies(entries, industry_list, trade_list, segment_list)
        self._build_from_cues(entries)
        self._terms: dict[str, tuple[tuple[int, str, float], ...]] = {
            term: tuple((kind, key, w) for (kind, key), w in targets.items()) for term, targets in entries.items()
        }
        lengths: dict[str, set[int]] = defaultdict(set)
        for term in self._terms:
            lengths[term[0]].add(len(term))
        self._index = {ch: tuple(sorted(ls, reverse=True)) for ch, ls in lengths.items()}

    # --- building -------------------------------------------------------------------------------

    def _divisions_with_classes(self) -> set[str]:
        return {c[:2] for c in self._classes}

    def _resolve(self, code: str) -> str | None:
        """The proposable code that stands for ``code``: itself if a class or an undivided division,
        a curated default class for a subdivided division or group, else the nearest ancestor's."""
        while code:
            if code in self._classes:
                return code
            if code in self._codes:
                default = _DEFAULT_CLASS.get(code)
                if default in self._classes:
                    return default
                if len(code) == 2:
                    return code
            code = code[:-1] if len(code) > 2 else ""
        return None

    @staticmethod
    def _add(entries: dict[str, dict[tuple[int, str], float]], term: str, kind: int, key: str, w: float) -> None:
        term = _normalise(term)
        if len(term) < 2 or term in _STOP_TERMS:
            return
        targets = entries.setdefault(term, {})
        if targets.get((kind, key), 0.0) < w:
            targets[(kind, key)] = w

    def _build_from_taxonomies(
        self,
        entries: dict[str, dict[tuple[int, str], float]],
        industries: tuple[Industry, ...],
        trades: tuple[Trade, ...],
        segments: tuple[Segment, ...],
    ) -> None:
        weights = _TAXONOMY_WEIGHTS
        for s in segments:
            self._add(entries, s.name, _SEG, s.id, weights["segment_name"])
            for keyword in s.keywords:
                w = _KEYWORD_WEIGHTS.get(_normalise(keyword), weights["segment_keyword"])
                self._add(entries, keyword, _SEG, s.id, w)
        undivided = {i.code for i in industries if i.level is IndustryLevel.DIVISION} - self._divisions_with_classes()
        for i in industries:
            if i.level is IndustryLevel.CLASS or i.code in undivided:
                stem = _industry_stem(i.name)
                if not stem.startswith("其他"):
                    self._add(entries, stem, _IND, i.code, weights["industry_name"])
        for t in trades:
            self._add(entries, t.name, _TRADE, t.code, weights["trade_name"])
            for alias in t.aliases:
                self._add(entries, alias, _TRADE, t.code, weights["trade_alias"])
            for name in (t.name, *t.aliases):
                trade_stem = _trade_stem(name)
                if trade_stem:
                    self._add(entries, trade_stem, _TRADE, t.code, weights["trade_stem"])

    def _build_from_cues(self, entries: dict[str, dict[tuple[int, str], float]]) -> None:
        for cue in _CUES:
            targets: list[tuple[int, str]] = []
            if cue.industry:
                code = self._resolve(cue.industry)
                if code is not None:
                    targets.append((_IND, code))
            targets += [(_SEG, s) for s in cue.segments.split() if s in self._segment_ids]
            targets += [(_TRADE, t) for t in cue.trades.split() if t in self._trade_codes]
            for word in cue.words.split():
                for kind, key in targets:
                    self._add(entries, word, kind, key, cue.weight)

    # --- matching -------------------------------------------------------------------------------

    def _scan(self, text: str) -> list[str]:
        """The maximal lexicon terms in ``text``: at each start the longest term, minus any match that
        lies wholly inside an earlier one."""
        found: list[str] = []
        terms, index = self._terms, self._index
        n, reach = len(text), 0
        for i, ch in enumerate(text):
            lengths = index.get(ch)
            if lengths is None:
                continue
            for length in lengths:
                end = i + length
                if end <= reach:
                    break  # this and every shorter term lie inside an earlier match
                term = text[i:end]
                if end <= n and term in terms:
                    if term[0] in _ASCII_WORD and not self._ascii_bounded(text, i, end):
                        continue  # "ai" inside "mail", "led" inside "oled" is not the word
                    if term[-1] == "工" and end < n and text[end] in _GONG_WORDS:
                        continue
                    found.append(term)
                    reach = end
                    break
        return found

    @staticmethod
    def _ascii_bounded(text: str, start: int, end: int) -> bool:
        before = text[start - 1] if start > 0 else ""
        after = text[end] if end < len(text) else ""
        return not (before.isascii() and before.isalpha()) and not (
            after.isascii() and after.isalpha() and text[end - 1].isalpha()
        )

    # --- answering ------------------------------------------------------------------------------

    def classify(self, *, name: str, employer: str = "", expertise: str = "", needs: str = "") -> Inference:
        """Propose the industry, trades and segments of one studio.

        Parameters
        ----------
        name : str
            The studio's name (工作室名称), e.g. ``"张丽护理创新工作室"``.
        employer : str, default ""
            The employer (所在单位), the strongest cue to the industry.
        expertise : str, default ""
            Free text on what the studio does (技术专长), the strongest cue to trades and segments.
        needs : str, default ""
            Free text on what it wants help with (攻关需求); weighs little.

        Returns
        -------
        Inference
            Every code and id in it exists in the taxonomies the classifier was built with; when
            nothing reaches ``min_confidence`` it is empty with confidence 0.

        Notes
        -----
        O(L · k + m) time for L characters of text; see the class notes.
        """
        scores = _Scores()
        for f, text in enumerate((name, employer, expertise, needs)):
            if not text:
                continue
            field_weights, label = _FIELD_WEIGHTS[f], _FIELD_LABELS[f]
            in_field: dict[tuple[int, str], list[float]] = {}
            for term in self._scan(_normalise(text)):
                for kind, key, w in self._terms[term]:
                    amount = w * field_weights[kind]
                    in_field.setdefault((kind, key), []).append(amount)
                    scores.evidence.append((kind, key, amount, f"{label}:{term.strip('|')}"))
            for (kind, key), amounts in in_field.items():
                # several cues in one field for one target say little more than the strongest one
                top = max(amounts)
                scores.scores[kind][key] += top + _REPEAT_SHARE * (sum(amounts) - top)
        if not scores.evidence:
            return _EMPTY

        industry_scores = scores.scores[_IND]
        for sid, s in list(scores.scores[_SEG].items()):
            codes = self._segment_industries.get(sid, ())
            for code in codes:
                industry_scores[code] += _SEGMENT_TO_INDUSTRY * s / len(codes)

        industry, industry_conf = self._choose_industry(industry_scores)
        segments, segment_conf = self._choose_segments(scores.scores[_SEG], industry, industry_conf)
        trades, trade_conf = self._choose_trades(scores.scores[_TRADE])
        if industry is None and not segments and not trades:
            return _EMPTY
        confidence = industry_conf if industry is not None else max(segment_conf, trade_conf)
        return Inference(
            industry_code=industry,
            trade_codes=trades,
            segment_ids=segments,
            confidence=round(min(1.0, max(0.0, confidence)), 4),
            basis=self._basis(scores, industry, trades, segments),
        )

    def classify_many(self, rows: Iterable[Mapping[str, str]]) -> list[Inference]:
        """Classify many studios; each row has the keys ``name``, ``employer``, ``expertise``, ``needs``.

        Parameters
        ----------
        rows : iterable of mapping
            A missing key or a ``None`` value counts as empty text.

        Returns
        -------
        list of Inference
            One per row, in order.

        Notes
        -----
        O(Σ rows' text length); several thousand studios a second on one core.
        """
        return [
            self.classify(
                name=row.get("name") or "",
                employer=row.get("employer") or "",
                expertise=row.get("expertise") or "",
                needs=row.get("needs") or "",
            )
            for row in rows
        ]

    def _choose_industry(self, scores: Mapping[str, float]) -> tuple[str | None, float]:
        """Best division by the sum of its codes' scores, then its best code."""
        if not scores:
            return None, 0.0
        by_division: defaultdict[str, float] = defaultdict(float)
        for code, s in scores.items():
            by_division[code[:2]] += s
        ranked = sorted(by_division.items(), key=lambda kv: (-kv[1], kv[0]))
        division, total = ranked[0]
        rival = ranked[1][1] if len(ranked) > 1 else 0.0
        code, best = min(((c, s) for c, s in scores.items() if c[:2] == division), key=lambda cs: (-cs[1], cs[0]))
        share = best / total if total > 0 else 0.0
        confidence = _strength(total, _IND) * (total / (total + rival)) * (0.7 + 0.3 * share)
        if confidence < self.min_confidence or (self.classes_only and code not in self._classes):
            return None, 0.0
        return code, confidence

    def _choose_segments(
        self, keyword_scores: Mapping[str, float], industry: str | None, industry_conf: float
    ) -> tuple[tuple[str, ...], float]:
        scores: dict[str, float] = dict(keyword_scores)
        if industry is not None:
            for rank, sid in enumerate(self._linked.get(industry, ())):
                bonus = _LINK_PREFERRED if rank == 0 else _LINK_OTHER
                scores[sid] = scores.get(sid, 0.0) + bonus * industry_conf
            division = industry[:2]
            for sid in scores:
                if not any(c[:2] == division for c in self._segment_industries.get(sid, ())):
                    scores[sid] *= _OFF_DIVISION
        return self._top_two(scores, _SEG)

    def _choose_trades(self, scores: Mapping[str, float]) -> tuple[tuple[str, ...], float]:
        return self._top_two(scores, _TRADE)

    def _top_two(self, scores: Mapping[str, float], kind: int) -> tuple[tuple[str, ...], float]:
        ranked = sorted(((k, s) for k, s in scores.items() if s > 0), key=lambda kv: (-kv[1], kv[0]))
        if not ranked:
            return (), 0.0
        first, s1 = ranked[0]
        rival = ranked[1][1] if len(ranked) > 1 else 0.0
        confidence = _strength(s1, kind) * math.sqrt(s1 / (s1 + rival))
        if confidence < self.min_confidence:
            return (), 0.0
        chosen = [first]
        if len(ranked) > 1:
            second, s2 = ranked[1]
            if s2 >= _SECOND_SHARE * s1 and _strength(s2, kind) >= self.min_confidence:
                chosen.append(second)
        return tuple(chosen), confidence

    def _basis(
        self, scores: _Scores, industry: str | None, trades: tuple[str, ...], segments: tuple[str, ...]
    ) -> tuple[str, ...]:
        support: defaultdict[str, float] = defaultdict(float)
        for kind, key, amount, label in scores.evidence:
            if (
                (kind == _IND and key == industry)
                or (kind == _TRADE and key in trades)
                or (kind == _SEG and (key in segments or industry in self._segment_industries.get(key, ())))
            ):
                support[label] += amount
        ranked = sorted(support.items(), key=lambda kv: (-kv[1], kv[0]))
        return tuple(label for label, _ in ranked[:_BASIS_LIMIT])
