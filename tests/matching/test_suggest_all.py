"""``Suggester.suggest_all`` (blocks of rows, grouped, split and ranked together) gives every studio
exactly what ``suggest`` gives it alone, for every kind, on a generated 300-studio roster with past
collaborations and live alliances."""

from __future__ import annotations

import json
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest

from graph.file_store import FileStore
from graph.model import AllianceKind
from graph.store import Projection
from ingest import synthetic
from ingest.pipeline import ingest
from matching.suggest import KINDS, SWITCH_INTERVAL, Filters, Suggester, Suggestion


@pytest.fixture(scope="module")
def projection() -> Projection:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.xlsx"
        synthetic.write_xlsx(synthetic.generate(300, seed=2019), path)
        store = FileStore(Path(tmp) / "g.json")
        assert ingest([path], store).ok
        projection = store.projection()
    assert projection.collaborations and projection.alliances
    return projection


@pytest.fixture(scope="module")
def roster(projection: Projection) -> Suggester:
    # small blocks, so that groups are mixed, split and cut across blocks
    return Suggester(block=24, year=2026).fit(projection)


def _json(found: list[Suggestion]) -> str:
    return json.dumps([x.to_json() for x in found], ensure_ascii=False, sort_keys=True)


@pytest.mark.parametrize("kind", KINDS, ids=[k.value for k in KINDS])
@pytest.mark.parametrize("allied", [False, True], ids=["", "allied"])
def test_suggest_all_equals_suggest(roster: Suggester, kind: AllianceKind, allied: bool) -> None:
    every = dict(roster.suggest_all(kind, 10, include_allied=allied))
    assert sorted(every) == sorted(roster.features_.ids)
    assert any(every.values())
    for sid in roster.features_.ids:
        assert _json(every[sid]) == _json(roster.suggest(sid, kind, 10, include_allied=allied)), sid


@pytest.mark.parametrize("kind", KINDS, ids=[k.value for k in KINDS])
def test_suggest_all_with_filters_and_rows(roster: Suggester, kind: AllianceKind) -> None:
    f = roster.features_
    filters = Filters(district=f.district_names[0])
    rows = list(range(0, f.n, 3))
    some = dict(roster.suggest_all(kind, 5, filters, rows=rows))
    assert sorted(some) == sorted(f.ids[r] for r in rows)
    for sid, found in some.items():
        assert _json(found) == _json(roster.suggest(sid, kind, 5, filters))


def test_commonest_row_as_numpy_unique_finds_it() -> None:
    import numpy as np

    from matching.suggest import _commonest, _unique_rows

    rng = np.random.default_rng(7)
    for width, top in ((1, 5), (2, 4), (3, 3), (4, 1600), (9, 10**6)):  # the last one is too wide to encode
        for _ in range(40):
            table = rng.integers(-1, top, size=(int(rng.integers(1, 60)), width))
            table[rng.random(table.shape) < 0.3] = -1
            rows, which, counts = np.unique(table, axis=0, return_inverse=True, return_counts=True)
            assert (_commonest(table) == (which.ravel() == np.argmax(counts))).all()
            got_rows, got_which, got_counts = _unique_rows(table)
            assert (got_rows == rows).all() and (got_which == which.ravel()).all() and (got_counts == counts).all()


@pytest.mark.parametrize(("least", "top_k"), [(1, 1), (1, 3), (8, 2)])
def test_cross_field_preselection_changes_nothing(
    roster: Suggester, least: int, top_k: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blocks rank only each row's best pairs by complement (``_preselect``) and rank again on all
    pairs the rows where that might have left a top pair out; one studio alone ranks all its pairs.
    Both give the same lists, with a cut so low that most rows are cut and many ranked again."""
    import matching.suggest as suggest

    monkeypatch.setattr(suggest, "PRESELECT", least)
    cuts, again = [], []
    preselect, top = suggest._preselect, Suggester._cross_field_top

    def counting_preselect(*args: object, **kwargs: object) -> object:
        kept, cut = preselect(*args, **kwargs)  # type: ignore[arg-type]
        cuts.append(int((cut > 0).sum()))
        return kept, cut

    def counting_top(self: Suggester, rows: object, *args: object, **kwargs: object) -> object:
        if kwargs.get("floor") is None and len(rows) > 1:  # type: ignore[arg-type]
            again.append(1)
        return top(self, rows, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(suggest, "_preselect", counting_preselect)
    monkeypatch.setattr(Suggester, "_cross_field_top", counting_top)
    every = dict(roster.suggest_all(AllianceKind.CROSS_FIELD, top_k))
    assert sum(cuts) > 0, "no row was cut: the case tests nothing"
    if top_k == 3:
        assert again, "no row was ranked again"
    for sid in roster.features_.ids:
        assert _json(every[sid]) == _json(roster.suggest(sid, AllianceKind.CROSS_FIELD, top_k)), sid


def test_pairs_in_is_isin() -> None:
    import numpy as np

    from matching.suggest import _pairs_in

    rng = np.random.default_rng(3)
    for size in (0, 1, 5, 300):
        keys, pairs = rng.integers(0, 500, size=2000), rng.integers(0, 500, size=size)
        assert (_pairs_in(keys, pairs) == np.isin(keys, pairs)).all()


def _explained_at_once(s: Suggester, count: int, picks: list) -> list[list[Suggestion]]:
    """Each row's suggestions the straightforward way: every pick's entries in its order, appended to
    their rows' lists (what ``_explained`` wrote before it went row by row)."""
    out: list[list[Suggestion]] = [[] for _ in range(count)]
    for p in picks:
        for o, (slot, i, j) in enumerate(zip(p.slots, p.rows, p.partners, strict=True)):
            comps = {c: v[o] for c, v in zip(p.names, p.values, strict=True)}
            both = (p.directions[0][o], p.directions[1][o]) if p.directions else None
            out[slot].append(s._explain(i, j, p.kind, p.scores[o], comps, p.same[o], both))
    return out


@pytest.mark.parametrize("kind", KINDS, ids=[k.value for k in KINDS])
def test_explained_row_by_row_is_every_pick_at_once(roster: Suggester, kind: AllianceKind) -> None:
    import dataclasses

    import numpy as np

    f = roster.features_
    rows = np.arange(f.n)[np.argsort(roster._grouping(kind), kind="stable")][:90]
    picks = roster._pick(rows, kind, 10, Filters(), False)
    assert sum(len(p.slots) for p in picks) > 100
    # also picks whose entries do not come slot by slot: each pick's entries reversed
    turned = [dataclasses.replace(p, **{name: getattr(p, name)[::-1] for name in
                                        ("slots", "rows", "partners", "scores", "same")},
                                  values=[v[::-1] for v in p.values],
                                  directions=None if p.directions is None else
                                  (p.directions[0][::-1], p.directions[1][::-1])) for p in picks]  # fmt: skip
    for given in (picks, turned, picks[::-1]):
        expected = _explained_at_once(roster, len(rows), given)
        got = list(roster._explained(len(rows), given))
        assert [_json(x) for x in got] == [_json(x) for x in expected]


def test_quote_parts_write_what_the_quotes_format() -> None:
    from matching.suggest import _QUOTE_PARTS, _QUOTES

    for (zh, en), parts in zip(_QUOTES, _QUOTE_PARTS, strict=True):
        for offer, need in (("焊接「机器人」", "{need} 焊缝"), ("", ""), ("SMT", "IP核")):
            for template, (before, between, after) in zip((zh, en), parts, strict=True):
                assert f"{before}{offer}{between}{need}{after}" == template.format(offer=offer, need=need)


def _workers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("suggest-all")]


def test_suggest_all_picks_ahead_in_one_worker_and_leaves_nothing_behind(roster: Suggester) -> None:
    """The next block is picked in a worker thread while this one explains the block before it;
    the suggestions are those of the plain loop (above), and a caller that stops early leaves no
    worker behind and the interpreter's switch interval as it was."""
    before = sys.getswitchinterval()
    seen = []
    rows = roster.suggest_all(AllianceKind.CHAIN, 5)
    for sid, _ in rows:
        seen.append(sid)
        assert sys.getswitchinterval() == min(before, SWITCH_INTERVAL)
        assert len(_workers()) == 1
        if len(seen) == 30:  # several blocks of 24 in, more to come
            break
    rows.close()
    assert not _workers()
    assert sys.getswitchinterval() == before
    assert sorted(dict(roster.suggest_all(AllianceKind.CHAIN, 5))) == sorted(roster.features_.ids)
    assert sys.getswitchinterval() == before and not _workers()


def test_suggest_all_raises_what_picking_a_block_raises(projection: Projection) -> None:
    s = Suggester(block=24, year=2026).fit(projection)
    calls = []

    def broken(rows: Any, *args: Any) -> Any:
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("block two")
        return Suggester._pick(s, rows, *args)

    s._pick = broken  # type: ignore[method-assign]
    before = sys.getswitchinterval()
    with pytest.raises(RuntimeError, match="block two"):
        list(s.suggest_all(AllianceKind.SAME_TRADE, 5))
    assert not _workers() and sys.getswitchinterval() == before
