"""Build ``terms.csv``: the words that name each GB/T 4754-2017 class's products and services.

Run by hand, never at run time, when the standard's notes or the rules below change::

    git clone https://github.com/zmshe/capital /tmp/capital
    git -C /tmp/capital show 0b8f1ae480aadd9f35aca2fd0efb934e9a7101e8:src/utils/category.js > /tmp/category.js
    python ingest/data/classifier/build_terms.py /tmp/category.js

``category.js`` (in the repository zmshe/capital, removed from it after that commit) is a
machine-readable copy of GB/T 4754-2017 国民经济行业分类: one object per section, division, group
and class with ``class1``..``class4``, ``name`` and ``remark`` (the standard's explanatory note, 说明:
"指…，包括…；不包括…"). Its codes and names are checked against ``graph/taxonomy/industries.csv``.

Every class, group and division gives terms from

- its **name**, split into the things it lists (on 、 和 及 与 或) with the activity words stripped
  (制造, 加工, 批发, 种植, 开采 …): 电线、电缆制造 gives 电线 and 电缆; a ``其他…`` class gives its
  words to its parent, since it is the catch-all of what the parent names;
- its **note**: the items the note enumerates (a list joined by 、 and ended by 等, or what a
  包括 clause lists), but nothing from a 不包括/不含 clause;
- for a manufacturing name that comes down to a single character (铝冶炼 → 铝, 酒 …), the forms
  units use: 铝业 and 铝厂 (a single character alone is never a term).

A term is weighted by where it comes from (a name says more than a note), by how generic it is (设备,
产品, 材料 … say little) and by the kind of unit it would name: a product word in an employer's name
more often names its maker than a farm, a shop or a repairer, so wholesale and retail (51, 52),
repair (43, 81) and farming (01-05) count less. A term claimed by several codes shares its strongest
claim among them in proportion to their claims, so that a word many classes claim says little about
each; a code and its own ancestor claiming the same term count once, for the more specific code.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
INDUSTRIES_CSV = HERE.parents[2] / "graph" / "taxonomy" / "industries.csv"
OUTPUT = HERE / "terms.csv"
SOURCE_REPOSITORY = "https://github.com/zmshe/capital"
SOURCE_COMMIT = "0b8f1ae480aadd9f35aca2fd0efb934e9a7101e8"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Activity words stripped from the end of a listed item, longest first, repeatedly.
ACTIVITY_SUFFIXES = tuple(
    sorted(
        _words(
            "制造业 制造 加工业 加工 精加工 初加工 生产 服务业 服务 活动 开采 洗选 采选 冶炼 "
            "精炼 压延加工 种植 养殖 饲养 捕捞 批发 零售 修理 维修 维护 工程建筑 建筑业 建筑 "
            "工程施工 施工 安装 运输业 运输 供应业 供应 管理业 管理 经营 代理 租赁 出租 培育 "
            "繁育 采集 贮存 仓储 业"
        ),
        key=len,
        reverse=True,
    )
)
# Words ending in 业 that are not an activity word after a product (企业 is not 企 + 业).
KEEP_YE = _words("企业 行业 产业 作业 商业 事业 专业 物业 职业 就业 工业 营业 实业 创业 毕业")
PREFIXES = ("其他未列明", "未列明", "其他", "各种", "各类", "相关")
# Words that name a kind of thing rather than a thing: alone they say little, and a term ending in
# one also counts without it (电线电缆设备 → 电线电缆) at a lower weight.
GENERIC = frozenset(
    _words(
        "容器 设备 产品 服务 材料 制品 用品 系统 装置 器具 器材 器械 零件 部件 配件 元件 "
        "工具 机械 仪器 用具 原料 物品 商品 产业 技术 工程 工业 项目 专业 辅助 综合 专用 "
        "通用 一般 普通 日用 设施 机构 组织 活动 行业 事务 业务 其他 中心"
    )
)
# How a fragment of a sentence starts when it is not a noun phrase.
NOT_A_START = _words("具有 主要 其 可 所 供 经 由 被 使 不 凡 如 即 属")
# Words of the notes that are never a product or a service.
NOT_TERMS = frozenset(
    _words(
        "以及 包括 还包括 主要 各种 各类 其他 相关 上述 未列明 不包括 等等 为主 用于 利用 "
        "通过 进行 从事 提供 生产 制造 加工 活动 服务 单位 企业 机构 部门 人员 社会 国家 "
        "地区 个人 家庭 专门 专业 原料 产品 制品 用品 材料 设备 其他产品 一般 各类产品 "
        "为目的 商业 工业 农业 民用 军用 家用 工程 城市 全资 控股 居民 公共 公众 客户 用户 "
        "消费者"
    )
)
# Words that name a kind of unit, not what it makes: forms.csv and the classifier deal with them.
UNIT_WORDS = frozenset(
    _words(
        "公司 企业 集团 工厂 学院 学校 大学 医院 中心 机构 单位 科技 实业 有限公司 股份 "
        "研究所 研究院 协会 学会 商会 基金会 俱乐部 工作室 门店 网点 基地"
    )
)
GENERIC_BY_LENGTH = tuple(sorted(GENERIC, key=len, reverse=True))
FUNCTION_CHARACTERS = frozenset("的对以为于在从将把其所之由向按经即而被使让给及与或和并且也还就都又等")
LISTING = re.compile(r"以及|、|和|及|与|或")
PARENTHESES = re.compile(r"[(（][^)）]*[)）]")
EXCLUDED = re.compile(r"(?:但|，|^)(?:不包括|不含|不包含).*$")

FARMING = frozenset(f"{d:02d}" for d in range(1, 6))
# Manufacturing (section C): a single-character product (铝, 钢, 酒) names a unit as 铝业 or 铝厂.
MANUFACTURING = frozenset(f"{d:02d}" for d in range(13, 44))
SINGLE_NOT_PRODUCTS = frozenset("商工物书带包索篷")

# How much a term from each place says, before sharing.
FROM_NAME = 1.0
FROM_NOTE = 0.3
FROM_FORM = 0.9
GENERIC_FACTOR = 0.1
STRIPPED_GENERIC_FACTOR = 0.7
MODIFIER_FACTOR = 0.3
MIN_WEIGHT = 0.02


def role(code: str) -> float:
    """How often a product word names a unit of this code rather than its maker."""
    division = code[:2]
    if division in ("51", "52"):
        return 0.3  # wholesale and retail: their names list the goods makers make
    if division in ("43", "81"):
        return 0.3  # repair of what others make
    if division in FARMING:
        return 0.5  # 茶叶 names a tea processor more often than a tea farm
    return 1.0


@dataclass(frozen=True)
class Record:
    code: str
    level: str
    name: str
    remark: str


def read_category_js(path: Path) -> list[Record]:
    """The objects of ``category.js``, as records (code, level, name, remark)."""
    text = path.read_text(encoding="utf-8")
    records: list[Record] = []
    seen: set[str] = set()
    for body in re.findall(r"\{(.*?)\}", text, re.S):
        fields = dict(re.findall(r"(\w+):\s*'((?:[^'\\]|\\.)*)'", body, re.S))
        level = fields["level"]
        code = fields[f"class{level}"]
        name = fields["name"].strip()
        if code in seen:
            if (code, name) != ("374", "飞机制造"):
                raise SystemExit(f"{path}: {code} {name} is listed twice")
            code, level = "3741", "4"  # the copy lists class 3741 as a second row of group 374
        seen.add(code)
        remark = unicodedata.normalize("NFKC", fields.get("remark", "")).strip()
        records.append(Record(code, {"1": "section", "2": "division", "3": "group", "4": "class"}[level], name, remark))
    return records


def read_industries() -> dict[str, tuple[str, str]]:
    lines = [line for line in INDUSTRIES_CSV.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {r["code"]: (r["level"], r["name"]) for r in csv.DictReader(lines)}


def check_against_taxonomy(records: list[Record], industries: dict[str, tuple[str, str]]) -> None:
    theirs = {r.code: (r.level, r.name) for r in records}
    if theirs != industries:
        differ = sorted(set(theirs.items()) ^ set(industries.items()))[:10]
        raise SystemExit(f"category.js and industries.csv disagree, e.g. {differ}")


def strip_item(item: str) -> str:
    """An item without its leading qualifiers (其他, 各种 …) and trailing activity words; "" when it is
    no noun phrase (主要供室内…, 具有燃烧…)."""
    item = item.strip(" ，,。；;：:“”\"'")
    if item.startswith(NOT_A_START):
        return ""
    changed = True
    while changed:
        changed = False
        for prefix in PREFIXES:
            if item.startswith(prefix) and len(item) > len(prefix):
                item, changed = item[len(prefix) :], True
        if item.endswith("的") and len(item) > 2:  # 牛的饲养 → 牛
            item, changed = item[:-1], True
        for suffix in ACTIVITY_SUFFIXES:
            if item.endswith(suffix) and len(item) > len(suffix) and not item.endswith(KEEP_YE):
                item, changed = item[: -len(suffix)], True
                break
    return item


def generic_tail(item: str) -> str:
    """The generic words an item ends with: 非金属加工专用设备 → 专用设备 (非金属加工 is what it is for)."""
    tail = ""
    while True:
        for word in GENERIC_BY_LENGTH:
            if item.endswith(word) and len(item) > len(word):
                item, tail = strip_item(item[: -len(word)]), word + tail
                break
        else:
            return tail


def name_items(name: str) -> list[tuple[str, float]]:
    """The things a class name lists, with how much each says: 电线、电缆制造 → 电线, 电缆.

    When the last item of a list joined by 、 ends with a generic head the earlier ones share it
    (化工、木材、非金属加工专用设备 are 化工专用设备 …), as they do in any list whose head is
    equipment for something and whose other items are bare fields of two characters (电子和电工机械
    专用设备; 计算器及货币专用设备 are two things): each is claimed with that head, and alone only as
    a modifier.
    """
    name = PARENTHESES.sub("", unicodedata.normalize("NFKC", name))
    parts = re.split(f"({LISTING.pattern})", name)  # items and the separators between them
    items = [item for item in (strip_item(part) for part in parts[::2]) if item]
    if len(items) < 2:
        return [(item, 1.0) for item in items]
    # a list joined by 、 shares its head, and so does any list whose head is for something (专用设备:
    # 电子和电工机械专用设备 are equipment for electronics); 钟表与计时仪器 are two things
    tail = generic_tail(items[-1])
    if parts[-2] != "、" and ("专用" not in tail or any(len(item) > 2 for item in items[:-1])):
        tail = ""
    if not tail:
        return [(item, 1.0) for item in items]
    out = [(items[-1], 1.0)]
    for item in items[:-1]:
        out += [(item + tail, 1.0), (item, MODIFIER_FACTOR)]
    return out


def note_items(remark: str) -> list[str]:
    """The items a note enumerates, outside its 不包括 clauses."""
    items: list[str] = []
    for clause in re.split(r"[；;。]", PARENTHESES.sub("", remark)):
        clause = EXCLUDED.sub("", clause)
        clause = re.sub(r"^(?:本类|也|还)?(?:包括|包含|含|指)", "", clause.strip())
        for phrase in re.split(r"[，,：:]", clause):
            listed = phrase.split("等")[0] if "等" in phrase else phrase
            if "、" not in listed and "包括" not in phrase:
                continue  # a sentence, not a list
            parts = LISTING.split(listed)
            for part in parts:
                # keep the noun phrase after the last verb or preposition: 对铝矿山原料 → 铝矿山原料
                part = re.split(r"[对以将把从用在为]|通过|利用|进行|经过|采用", part)[-1]
                part = strip_item(part)
                if 2 <= len(part) <= 6 and not (set(part) & FUNCTION_CHARACTERS) and part not in NOT_TERMS:
                    items.append(part)
    return items


def claims_of(records: list[Record]) -> dict[str, dict[str, float]]:
    """term → {code: weight before sharing}, from names, notes and single-character forms."""
    parent = {r.code: _parent_code(r.code, {x.code for x in records}) for r in records}
    claims: dict[str, dict[str, float]] = defaultdict(dict)

    def claim(term: str, code: str, weight: float) -> None:
        if weight > claims[term].get(code, 0.0):
            claims[term][code] = weight

    named = {item for r in records if r.level != "section" for item, _ in name_items(r.name)}
    for r in records:
        if r.level == "section":
            continue
        target = parent[r.code] if r.name.startswith("其他") and parent[r.code] else r.code
        for item, factor in name_items(r.name):
            add_with_forms(claim, item, target, FROM_NAME * factor)
        for item in note_items(r.remark):
            # a two-character word of a note is too often no product (车内, 科技) unless a name uses it
            if item not in UNIT_WORDS and (len(item) > 2 or item in named):
                add_with_forms(claim, item, r.code, FROM_NOTE)
    return claims


def add_with_forms(claim: Callable[[str, str, float], None], item: str, code: str, weight: float) -> None:
    """Claim ``item`` for ``code``, its form without a generic tail, and a single character's unit forms."""
    if len(item) == 1:
        if code[:2] in MANUFACTURING and item not in SINGLE_NOT_PRODUCTS:
            for form in ("业", "厂"):  # 铝业, 铝厂; a single character alone is never a term
                claim(item + form, code, FROM_FORM * weight)
        return
    factor = GENERIC_FACTOR if item in GENERIC else 1.0
    claim(item, code, weight * factor)
    for tail in GENERIC_BY_LENGTH:
        if item.endswith(tail) and len(item) - len(tail) >= 3:  # 电线电缆设备 → 电线电缆, not 医疗设备 → 医疗
            stem = item[: -len(tail)]
            claim(stem, code, weight * STRIPPED_GENERIC_FACTOR * (GENERIC_FACTOR if stem in GENERIC else 1.0))
            break


def _parent_code(code: str, codes: set[str]) -> str:
    if not code[0].isdigit() or len(code) == 2:
        return ""
    if len(code) == 4 and code[:3] in codes:
        return code[:3]
    return code[:2]


def shared_weights(claims: dict[str, dict[str, float]]) -> list[tuple[str, str, float]]:
    """(term, code, weight): each claim weighed by its code's role, then the strongest shared among the
    claimants in proportion to their claims; an ancestor's claim is folded into its descendants'."""
    out: list[tuple[str, str, float]] = []
    for term, by_code in claims.items():
        kept: dict[str, float] = {}
        for code, w in by_code.items():
            descendants = [other for other in by_code if other != code and other.startswith(code)]
            if not descendants:
                kept[code] = max([w] + [by_code[a] for a in by_code if a != code and code.startswith(a)])
        weighed = {code: w * role(code) for code, w in kept.items()}
        strongest, total = max(weighed.values()), sum(weighed.values())
        for code, w in weighed.items():
            weight = round(w * strongest / total, 3)
            if weight >= MIN_WEIGHT:
                out.append((term, code, weight))
    return sorted(out, key=lambda t: (t[1], t[0]))


HEADER = f"""\
# Source: GB/T 4754-2017 国民经济行业分类 (National Industries Classification, a public national standard) and its
#   explanatory notes (说明), from the machine-readable copy in {SOURCE_REPOSITORY} (src/utils/category.js at commit
#   {SOURCE_COMMIT}), checked against graph/taxonomy/industries.csv. Generated by build_terms.py (run by hand; do not
#   edit). The rules that turn names and notes into weighted terms are the project's own work; licence Apache-2.0.
# Columns: term (a word that names the code's products or services), industry (a GB/T 4754-2017 class, group or
#   division; a group or division stands for its default class), weight (what the term says for this code, shared
#   among the codes that claim it).
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("category_js", type=Path, help="src/utils/category.js of zmshe/capital")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    records = read_category_js(args.category_js)
    check_against_taxonomy(records, read_industries())
    rows = shared_weights(claims_of(records))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["term", "industry", "weight"])
    writer.writerows((term, code, f"{weight:g}") for term, code, weight in rows)
    args.out.write_text(HEADER + buffer.getvalue(), encoding="utf-8")
    print(f"{len(rows)} terms for {len({c for _, c, _ in rows})} codes → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
