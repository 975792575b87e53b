"""The domain model's own rules: validation, and reading honours into a level (Articles 3 and 7)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from graph.model import Alliance, Collaboration, HonourLevel, Industry, Studio, Supplies, honour_level


@pytest.mark.parametrize(
    ("honours", "level"),
    [
        (["全国劳动模范"], HonourLevel.NATIONAL),
        (["全国劳模"], HonourLevel.NATIONAL),
        (["全国五一劳动奖章"], HonourLevel.NATIONAL),
        (["全国先进工作者"], HonourLevel.NATIONAL),
        (["上海市劳动模范（2015年）", "全国五一劳动奖章"], HonourLevel.NATIONAL),
        (["上海市劳动模范"], HonourLevel.PROVINCIAL),
        (["上海市五一劳动奖章"], HonourLevel.PROVINCIAL),
        (["上海市先进工作者"], HonourLevel.PROVINCIAL),
        (["交通运输部劳动模范"], HonourLevel.PROVINCIAL),
        (["浦东新区劳动模范"], HonourLevel.OTHER),
        (["全国技术能手"], HonourLevel.OTHER),
        (["集团公司劳动模范"], HonourLevel.OTHER),
        ([], HonourLevel.NONE),
        (["  "], HonourLevel.NONE),
    ],
)
def test_honours_are_read_into_a_level(honours: list[str], level: HonourLevel) -> None:
    assert honour_level(honours) is level


def test_records_refuse_what_the_domain_forbids() -> None:
    with pytest.raises(ValidationError, match="must not be empty"):
        Studio(id=" ", name="甲")
    with pytest.raises(ValidationError, match="after named_year"):
        Studio(id="s", name="甲", founded_year=2020, named_year=2018)
    with pytest.raises(ValidationError):
        Studio(id="s", name="甲", members=0)
    with pytest.raises(ValidationError, match="not a member"):
        Alliance(id="a", name="联盟", kind="chain", member_ids=("s1",), lead_studio_id="s2")
    with pytest.raises(ValidationError, match="cannot supply itself"):
        Supplies(upstream_id="x", downstream_id="x")
    with pytest.raises(ValidationError, match="itself"):
        Collaboration(studio_a="s", studio_b="s", year=2020)
    with pytest.raises(ValidationError, match="is a class"):
        Industry(code="3973", name="集成电路制造", level="division", parent_code="39")
    with pytest.raises(ValidationError):
        Studio(id="s", name="甲", unknown_field=1)


def test_sets_of_keys_are_held_sorted_so_equal_sets_compare_equal() -> None:
    a = Studio(id="s", name="甲", trade_codes=("b", "a", "b"))
    b = Studio(id="s", name="甲", trade_codes=("a", "b"))
    assert a == b
    assert a.trade_codes == ("a", "b")
