"""The store contract: every test here runs on the FileStore and on a real Neo4j, with the same
expectations, so that the two stores are interchangeable."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from graph import taxonomy
from graph.errors import DanglingReference, NotFound, ValidationError
from graph.file_store import FileStore
from graph.model import (
    NODE_KINDS,
    Alliance,
    Collaboration,
    Link,
    ModelWorker,
    Node,
    Segment,
    Studio,
    StudioLevel,
    StudioStatus,
    Supplies,
    Trade,
)
from graph.neo4j_store import Neo4jStore
from graph.schema import REL_TYPES, SPECS
from graph.store import BaseStore, NodeRef, StudioFilter

from .sample import records, studio_batch

Reopen = Callable[[BaseStore], BaseStore]


def _by_kind(recs: list) -> dict[type, list]:
    out: dict[type, list] = {}
    for r in recs:
        out.setdefault(type(r), []).append(r)
    return out


def test_round_trip_of_every_kind_keeps_chinese_text(store: BaseStore) -> None:
    recs = records()
    summary = store.write(recs)
    expected = _by_kind(recs)
    for kind in NODE_KINDS:
        wanted = sorted(expected[kind], key=lambda r: r.key)
        assert store.list(kind) == wanted, kind.label
        for record in wanted:
            assert store.get(kind, record.key) == record
    assert store.links(Supplies) == sorted(expected[Supplies], key=lambda link: link.identity)
    assert store.links(Collaboration) == sorted(expected[Collaboration], key=lambda link: link.identity)
    s1 = store.get(Studio, "s1")
    assert s1.name == "李斌劳模创新工作室"
    assert s1.extra == {"备注": "首批命名", "联系电话": "021-00000000"}
    assert summary.kinds["Studio"].created == 4
    assert summary.kinds["COLLABORATED_WITH"].created == 3


def test_counts_name_every_label_and_relationship(store: BaseStore) -> None:
    store.write(records())
    counts = store.counts()
    assert counts["Studio"] == 4
    assert counts["Alliance"] == 2
    assert counts["MEMBER_OF"] == 5
    assert counts["PRACTISES"] == 4
    assert counts["SUPPLIES"] == 2
    assert counts["COLLABORATED_WITH"] == 3
    assert counts["SUBCLASS_OF"] == 6
    assert counts["IN_INDUSTRY"] == 3 + 2 + 3  # studios, employers, segments


def test_rewriting_the_same_records_changes_nothing(store: BaseStore) -> None:
    store.write(records())
    before = store.counts()
    transactions = store.stats.transactions
    summary = store.write(records())
    assert store.counts() == before
    assert summary.changed == 0
    assert all(k.created == 0 and k.updated == 0 for k in summary.kinds.values())
    assert store.stats.transactions == transactions, "an unchanged write must not open a write transaction"


def test_an_update_replaces_the_relationships_a_record_owns(store: BaseStore) -> None:
    store.write(records())
    s3 = store.get(Studio, "s3")
    moved = s3.model_copy(update={"trade_codes": ("SA-001",), "segment_ids": ("ic/fab",), "union_id": "u-jd"})
    summary = store.write([Studio.model_validate(moved.model_dump())])
    assert summary.kinds["Studio"].updated == 1
    again = store.get(Studio, "s3")
    assert again.trade_codes == ("SA-001",)
    assert again.segment_ids == ("ic/fab",)
    assert again.union_id == "u-jd"
    assert store.counts()["PRACTISES"] == 3
    a1 = store.get(Alliance, "a1")
    store.write([Alliance.model_validate({**a1.model_dump(), "member_ids": ("s1", "s2")})])
    assert store.get(Alliance, "a1").member_ids == ("s1", "s2")
    assert store.counts()["MEMBER_OF"] == 4


def test_collaborations_are_one_per_pair_and_year(store: BaseStore) -> None:
    store.write(records())
    store.write([Collaboration(studio_a="s2", studio_b="s1", year=2022, title="设计—制造协同优化（二期）")])
    collabs = store.links(Collaboration)
    assert len(collabs) == 3
    assert Collaboration(studio_a="s1", studio_b="s2", year=2022, title="设计—制造协同优化（二期）") in collabs


def test_delist_keeps_the_studio_but_takes_it_out_of_active_lists(store: BaseStore) -> None:
    store.write(records())
    delisted = store.delist("s2", "领衔人离职")
    assert delisted.status is StudioStatus.DELISTED
    assert store.get(Studio, "s2").status_reason == "领衔人离职"
    active = [s.id for s in store.list_studios(StudioFilter(status=StudioStatus.ACTIVE))]
    assert active == ["s1", "s3"]
    with pytest.raises(NotFound):
        store.delist("nope")


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (StudioFilter(), ["s1", "s2", "s3", "s4"]),
        (StudioFilter(union="u-pd"), ["s1", "s3", "s4"]),
        (StudioFilter(district="浦东新区"), ["s1", "s2"]),
        (StudioFilter(trade="SA-001"), ["s2", "s3"]),
        (StudioFilter(industry="3973"), ["s1", "s3"]),
        (StudioFilter(industry="39"), ["s1", "s3"]),
        (StudioFilter(industry="C"), ["s1", "s3"]),
        (StudioFilter(industry="I"), ["s2"]),
        (StudioFilter(segment="ic/design"), ["s2"]),
        (StudioFilter(chain="ic"), ["s1", "s2", "s3"]),
        (StudioFilter(status=StudioStatus.DELISTED), ["s4"]),
        (StudioFilter(level=StudioLevel.NATIONAL), ["s1"]),
        (StudioFilter(name="劳模"), ["s1", "s2"]),
        (StudioFilter(union="u-pd", district="闵行区", status=StudioStatus.ACTIVE), ["s3"]),
        (StudioFilter(trade="nothing-like-this"), []),
    ],
)
def test_filtered_listing(store: BaseStore, where: StudioFilter, expected: list[str]) -> None:
    store.write(records())
    assert [s.id for s in store.list_studios(where)] == expected
    assert store.count_studios(where) == len(expected)


def test_listing_pages_in_id_order(store: BaseStore) -> None:
    store.write(records())
    assert [s.id for s in store.list_studios(limit=2)] == ["s1", "s2"]
    assert [s.id for s in store.list_studios(limit=2, offset=2)] == ["s3", "s4"]
    assert store.list_studios(limit=2, offset=10) == []
    assert [t.code for t in store.list(Trade, limit=1, offset=1)] == ["SA-001"]


def test_neighbourhood_of_a_studio(store: BaseStore) -> None:
    store.write(records())
    sub = store.neighbourhood(Studio, "s3")
    assert sub.center == NodeRef("Studio", "s3", "封装测试创新工作室")
    near = {ref.key for hop, ref in sub.nodes if hop == 1}
    assert near == {"e-zx", "u-pd", "6-18-01-01", "SA-001", "3973", "ic/packaging", "a1", "a2", "s1"}
    types = Counter(rel.type for rel in sub.relationships)
    assert types["MEMBER_OF"] == 4  # s3 and s1 are both in a1 and a2; all four edges lie among the nodes
    assert not sub.truncated
    two = store.neighbourhood(Studio, "s3", depth=2)
    assert {ref.key for hop, ref in two.nodes if hop == 2} >= {"s2", "ic", "p-28nm", "u-sh", "397"}
    capped = store.neighbourhood(Studio, "s3", depth=2, limit=4)
    assert capped.truncated and len(capped.nodes) == 4
    with pytest.raises(NotFound):
        store.neighbourhood(Studio, "missing")


def test_dangling_references_are_refused_and_nothing_is_written(store: BaseStore) -> None:
    store.write(records())
    before = store.counts()
    bad = [
        Studio(id="s9", name="新工作室", trade_codes=("no-such-trade",), union_id="u-pd"),
        ModelWorker(id="w9", name="新劳模"),
        Collaboration(studio_a="s1", studio_b="ghost", year=2024),
    ]
    with pytest.raises(DanglingReference) as caught:
        store.write(bad)
    missing = {(p.extra["target"], p.value) for p in caught.value.problems}
    assert missing == {("Trade", "no-such-trade"), ("Studio", "ghost")}
    assert store.counts() == before
    with pytest.raises(NotFound):
        store.get(ModelWorker, "w9")


def test_references_inside_one_batch_resolve(store: BaseStore) -> None:
    store.write([Trade(code="SA-777", name="新工种"), Studio(id="x1", name="甲", trade_codes=("SA-777",))])
    assert store.get(Studio, "x1").trade_codes == ("SA-777",)


def test_two_different_records_with_one_key_are_refused(store: BaseStore) -> None:
    with pytest.raises(ValidationError):
        store.write([Studio(id="dup", name="甲"), Studio(id="dup", name="乙")])
    assert store.count_studios() == 0


def test_delete_removes_nodes_and_their_relationships(store: BaseStore) -> None:
    store.write(records())
    assert store.delete(Studio, ["s3", "nope"]) == 1
    with pytest.raises(NotFound):
        store.get(Studio, "s3")
    counts = store.counts()
    assert counts["Studio"] == 3
    assert counts["COLLABORATED_WITH"] == 2
    assert store.get(Alliance, "a1").member_ids == ("s1", "s2")


def test_data_survives_reopening(store: BaseStore, reopen: Reopen) -> None:
    store.write(records())
    expected = store.projection()
    store.close()
    again = reopen(store)
    try:
        assert again.projection() == expected
        again.write([Studio(id="s5", name="重新打开后写入的工作室")])
    finally:
        again.close()
    third = reopen(store)
    try:
        assert third.get(Studio, "s5").name == "重新打开后写入的工作室"
    finally:
        third.close()


def test_projection_holds_every_kind_sorted(store: BaseStore) -> None:
    store.write(records())
    proj = store.projection()
    assert [s.id for s in proj.studios] == ["s1", "s2", "s3", "s4"]
    assert [s.id for s in proj.segments] == ["ic/design", "ic/fab", "ic/packaging"]
    assert len(proj.industries) == 8
    assert [(s.upstream_id, s.downstream_id) for s in proj.supplies] == [
        ("ic/design", "ic/fab"),
        ("ic/fab", "ic/packaging"),
    ]
    assert [a.id for a in proj.alliances] == ["a1", "a2"]
    assert len(proj.collaborations) == 3


def test_reference_taxonomies_load_into_the_store(store: BaseStore) -> None:
    recs = taxonomy.reference_records()
    summary = store.write(recs)
    assert summary.kinds["Industry"].created == len(taxonomy.industries())
    assert store.counts()["Segment"] == len(taxonomy.segments())
    assert store.counts()["SUPPLIES"] == len(taxonomy.supplies())
    assert store.write(recs).changed == 0
    ic = store.list_studios(StudioFilter(chain="ic"))
    assert ic == []
    fab = [s for s in store.list(Segment) if "3973" in s.industry_codes]
    assert fab, "some segment belongs to 3973 集成电路制造"


BULK = 20_000
# 20,000 studios and their 20,000 leaders are 40,052 records and 80,000 relationships: one statement
# per row would be over 100,000 statements. Batched, a store stays under these bounds (Neo4j may
# commit a large write in a few transactions: it caps one transaction's rows, max_transaction_rows).
MAX_TRANSACTIONS = 10
MAX_STATEMENTS = 100


def test_twenty_thousand_studios_are_written_in_batches(store: BaseStore) -> None:
    recs = studio_batch(BULK)
    store.stats.transactions = store.stats.queries = 0
    summary = store.write(recs)
    assert summary.kinds["Studio"].created == BULK
    counts = store.counts()
    assert counts["Studio"] == BULK
    assert counts["LED_BY"] == BULK
    assert counts["HOSTED_BY"] == BULK
    assert counts["PRACTISES"] == BULK
    assert 1 <= store.stats.transactions < MAX_TRANSACTIONS, store.stats.transactions
    assert store.stats.queries < MAX_STATEMENTS, store.stats.queries
    if isinstance(store, FileStore):
        assert store.stats.transactions == 1, "one write, one atomic file commit"
    print(
        f"\n{type(store).__name__}: {BULK} studios -> {store.stats.transactions} transaction(s), "
        f"{store.stats.queries} statement(s)/batches"
    )
    store.stats.transactions = store.stats.queries = 0
    assert store.write(recs).changed == 0
    assert store.stats.transactions == 0


def test_link_identity_orders_collaboration_ends() -> None:
    link: Link = Collaboration(studio_a="b", studio_b="a", year=2020)
    assert link.ends == ("a", "b")
    assert isinstance(Supplies(upstream_id="x", downstream_id="y"), Link)
    assert issubclass(Studio, Node)


@pytest.mark.neo4j
def test_both_stores_give_equal_answers_for_the_same_input(
    file_store: FileStore, neo4j_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # delisting records an alliance event stamped with the time: the same time in both stores
    monkeypatch.setattr("graph.store.now", lambda: "2026-11-25T00:00:00.000000Z")
    for st in (file_store, neo4j_store):
        st.write(records())
        st.write(studio_batch(300))
        st.delist("s3", "年度考核未通过")
    assert file_store.projection() == neo4j_store.projection()
    assert file_store.counts() == neo4j_store.counts()
    for key in ("s1", "s3"):
        for depth in (1, 2):
            assert file_store.neighbourhood(Studio, key, depth=depth, limit=40) == neo4j_store.neighbourhood(
                Studio, key, depth=depth, limit=40
            )
    for where in (StudioFilter(industry="C", status=StudioStatus.ACTIVE), StudioFilter(union="u-bulk", name="9号")):
        assert file_store.list_studios(where, limit=50, offset=5) == neo4j_store.list_studios(where, limit=50, offset=5)
        assert file_store.count_studios(where) == neo4j_store.count_studios(where)
    assert file_store.neighbourhood(Trade, "6-18-01-01", limit=25) == neo4j_store.neighbourhood(
        Trade, "6-18-01-01", limit=25
    )


def test_an_empty_store_counts_zero_for_every_name(store: BaseStore) -> None:
    counts = store.counts()
    assert set(counts) == set(SPECS) | REL_TYPES
    assert set(counts.values()) == {0}
