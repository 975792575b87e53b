"""``form``, ``alliance …``, ``gaps``, ``what-if``, ``coverage`` and ``studios delist`` as a user
runs them, on the sample roster."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.file_store import FileStore
from graph.model import Alliance, AllianceStatus, Studio, StudioStatus

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = [ROOT / "samples/shanghai-roster-illustrative.xlsx", ROOT / "samples/naming-list-2024-illustrative.csv"]

runner = CliRunner()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "graph.json"
    result = runner.invoke(app, ["--store", str(path), "ingest", *map(str, SAMPLES), "--json"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def store(loaded: Path, tmp_path: Path) -> str:
    copy = tmp_path / "graph.json"
    shutil.copy(loaded, copy)
    return str(copy)


def _json(args: list[str], store: str, code: int = 0, **env: str) -> Any:
    result = runner.invoke(app, ["--store", store, *args, "--json"], env=env or None)
    assert result.exit_code == code, result.output
    return json.loads(result.stdout) if code == 0 else None


def test_form_stores_proposals_once_and_dry_run_stores_nothing(store: str) -> None:
    before = len(FileStore(store).list(Alliance))
    dry = _json(["form", "--dry-run"], store)
    assert dry["dry_run"] and {p["saved"] for p in dry["proposals"]} == {"would-create"}
    assert len(FileStore(store).list(Alliance)) == before
    first = _json(["form"], store, ALLIANCES_ACTOR="市总工会·王五")
    kinds = {p["kind"] for p in first["proposals"]}
    assert kinds == {"project", "chain", "same-trade", "same-industry"}
    for p in first["proposals"]:
        assert {"kind", "members", "lead", "score", "covered", "uncovered", "reasons"} <= set(p)
    assert [p["id"] for p in first["proposals"]] == [p["id"] for p in dry["proposals"]]
    stored = FileStore(store).get_many(Alliance, [p["id"] for p in first["proposals"]])
    assert all(a.status is AllianceStatus.PROPOSED for a in stored.values())
    assert len(stored) == len(first["proposals"])
    again = _json(["form"], store)
    assert {p["saved"] for p in again["proposals"]} == {"existing"}
    shown = _json(["alliance", "show", first["proposals"][0]["id"]], store)
    assert shown["history"][0]["actor"] == "市总工会·王五"


def test_one_chain_or_one_project(store: str) -> None:
    chain = _json(["form", "--chain", "ic", "--dry-run"], store)
    (proposal,) = chain["proposals"]
    assert proposal["kind"] == "chain" and proposal["chain_id"] == "ic"
    segments = {g["segment"] for g in _json(["gaps", "--chain", "ic"], store)["gaps"] if g["status"] != "barrier"}
    assert set(proposal["covered"]) | set(proposal["uncovered"]) == segments
    project = _json(["form", "--project", "XM00001", "--dry-run"], store)["proposals"]
    assert [p["project_id"] for p in project] == ["XM00001"]
    _json(["form", "--chain", "nowhere"], store, code=4)


def test_accept_reject_dissolve_and_their_history(store: str) -> None:
    proposals = _json(["form"], store)["proposals"]
    first, second = proposals[0]["id"], proposals[1]["id"]
    accepted = _json(["alliance", "accept", first, "--by", "市总工会·张三", "--note", "同意组建"], store)
    assert accepted["status"] == "formed"
    _json(["alliance", "accept", first], store, code=5)  # already formed: a conflict
    _json(["alliance", "reject", first], store, code=5)
    assert _json(["alliance", "reject", second, "--by", "李四"], store)["status"] == "rejected"
    assert _json(["alliance", "dissolve", first, "--by", "张三"], store)["status"] == "dissolved"
    shown = _json(["alliance", "show", first], store)
    assert [(e["action"], e["actor"]) for e in shown["history"]] == [
        ("proposed", shown["history"][0]["actor"]),
        ("accepted", "市总工会·张三"),
        ("dissolved", "张三"),
    ]
    assert shown["history"][1]["note"] == "同意组建"
    _json(["alliance", "accept", "no-such-alliance"], store, code=4)
    listed = _json(["alliance", "list", "--status", "rejected"], store)
    assert [a["id"] for a in listed] == [second]


def test_delisting_a_studio_takes_it_out_of_live_alliances(store: str) -> None:
    proposals = _json(["form", "--kind", "chain"], store)["proposals"]
    member = proposals[0]["members"][0]
    result = _json(["studios", "delist", member, "--reason", "领衔人退休"], store)
    assert proposals[0]["id"] in result["left_alliances"]
    alliance = FileStore(store).get(Alliance, proposals[0]["id"])
    assert member not in alliance.member_ids and member in alliance.former_member_ids
    again = _json(["form", "--kind", "chain"], store)
    assert all(member not in p["members"] for p in again["proposals"])


def test_gaps_json_and_filters(store: str) -> None:
    report = _json(["gaps"], store)
    assert report["chains"][0]["priority"] == 1
    statuses = {g["status"] for g in report["gaps"]}
    assert statuses <= {"gap", "weak", "covered", "barrier"} and "gap" in statuses
    for g in report["gaps"]:
        if g["status"] == "gap":
            assert g["studios"] == 0 and g["candidates"], g
    assert report["projects"]
    open_only = _json(["gaps", "--open-only", "--weak-below", "2"], store)
    assert "covered" not in {g["status"] for g in open_only["gaps"]}
    _json(["gaps", "--chain", "nowhere"], store, code=4)
    table = runner.invoke(app, ["--store", store, "gaps", "--chain", "ic"], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "集成电路" in table.stdout and "空白" in table.stdout


def test_what_if_writes_nothing_unless_applied(store: str) -> None:
    report = _json(["gaps"], store)
    gap = next(g for g in report["gaps"] if g["status"] == "gap")
    candidate = gap["candidates"][0]["studio_id"]
    pair = f"{candidate}:{gap['segment']}"
    result = _json(["what-if", "--name-in", pair, "--chain", gap["chain"]], store)
    change = next(c for c in result["changes"] if c["segment"] == gap["segment"] and "downstream" not in c)
    assert change["before"] == "gap" and change["after"] in ("weak", "covered")
    assert result["applied"] == []
    assert gap["segment"] not in FileStore(store).get(Studio, candidate).segment_ids
    applied = _json(["what-if", "--name-in", pair, "--apply"], store)
    assert applied["applied"] == [pair]
    assert gap["segment"] in FileStore(store).get(Studio, candidate).segment_ids
    _json(["what-if", "--delist", "nobody"], store, code=4)
    assert runner.invoke(app, ["--store", store, "what-if"]).exit_code == 2


def test_what_if_delist_applied_really_delists(store: str) -> None:
    sid = FileStore(store).list_studios()[0].id
    _json(["what-if", "--delist", sid], store)
    assert FileStore(store).get(Studio, sid).status is StudioStatus.ACTIVE
    _json(["what-if", "--delist", sid, "--apply", "--by", "测试"], store)
    assert FileStore(store).get(Studio, sid).status is StudioStatus.DELISTED


def test_coverage_by_year(store: str) -> None:
    data = _json(["coverage"], store)
    ic = next(c for c in data if c["chain"] == "ic")
    years = sorted(ic["by_year"], key=int)
    counts = [ic["by_year"][y] for y in years]
    assert counts == sorted(counts)  # nothing was delisted: coverage only grows
    assert 0 < counts[-1] <= ic["segments"]


@pytest.mark.neo4j
def test_neo4j_gives_the_same_proposals_and_keeps_their_history(
    neo4j_store: object, neo4j_setting: tuple[str, tuple[str, str] | None], store: str
) -> None:
    uri, auth = neo4j_setting
    target = uri if auth else f"{uri}{'&' if '?' in uri else '?'}auth=none"
    env = {"NEO4J_USER": auth[0], "NEO4J_PASSWORD": auth[1]} if auth else {}
    loaded = runner.invoke(app, ["--store", target, "ingest", *map(str, SAMPLES), "--json"], env=env)
    assert loaded.exit_code == 0, loaded.output
    on_neo4j = _json(["form"], target, **env)
    on_file = _json(["form"], store)
    assert [p["id"] for p in on_neo4j["proposals"]] == [p["id"] for p in on_file["proposals"]]
    assert _json(["gaps"], target, **env) == _json(["gaps"], store)
    chain = next(p for p in on_neo4j["proposals"] if p["kind"] == "chain")
    _json(["alliance", "accept", chain["id"], "--by", "市总工会"], target, **env)
    member = chain["members"][0]
    _json(["studios", "delist", member, "--reason", "领衔人退休"], target, **env)
    shown = _json(["alliance", "show", chain["id"]], target, **env)
    assert member in shown["former_member_ids"] and member not in shown["member_ids"]
    assert [e["action"] for e in shown["history"]] == ["proposed", "accepted", "member-left"]


def test_out_writes_the_json_as_a_spreadsheet_with_chinese_headers(store: str, tmp_path: Path) -> None:
    import csv

    from openpyxl import load_workbook

    _json(["form"], store)
    suggestions = _json(["suggest", "SH000101", "--top", "3", "--out", str(tmp_path / "s.xlsx")], store)["suggestions"]
    sheet = load_workbook(tmp_path / "s.xlsx").active
    assert sheet is not None and sheet["D1"].value == "伙伴名称"
    assert [r[3] for r in sheet.iter_rows(min_row=2, values_only=True)] == [s["partner_name"] for s in suggestions]
    gaps = _json(["gaps", "--chain", "ic", "--out", str(tmp_path / "g.csv")], store)
    with open(tmp_path / "g.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][4] == "环节" and [r[4] for r in rows[1:]] == [g["segment_name"] for g in gaps["gaps"]]
    proposed = _json(["alliance", "list", "--status", "proposed", "--out", str(tmp_path / "a.xlsx")], store)
    sheet = load_workbook(tmp_path / "a.xlsx").active
    assert sheet is not None
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [a["id"] for a in proposed]
    bad = runner.invoke(app, ["--store", store, "gaps", "--out", str(tmp_path / "g.pdf")])
    assert bad.exit_code == 2 and ".xlsx or .csv" in bad.output
