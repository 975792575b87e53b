"""``eligibility``, ``assess``, ``naming``, ``ledger``, ``funding`` and ``audit`` as a user runs them."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli import app
from graph.file_store import FileStore
from graph.model import (
    Alliance,
    AllianceKind,
    AllianceStatus,
    Employer,
    Funding,
    FundingSource,
    LedgerEntry,
    LedgerKind,
    ModelWorker,
    Studio,
    StudioLevel,
    StudioStatus,
    Union,
    WorkerStatus,
)

runner = CliRunner()


def _store(tmp_path: Path) -> str:
    path = tmp_path / "graph.json"
    common: dict[str, Any] = {"employer_id": "e1", "union_id": "u1", "founded_year": 2015, "venue": "实训室",
                              "funds_per_year": 30_000}  # fmt: skip
    FileStore(path).write(
        [
            Union(id="u1", name="浦东新区总工会"),
            Employer(id="e1", name="甲公司"),
            ModelWorker(id="w1", name="张伟", honours=("全国劳动模范",)),
            ModelWorker(
                id="w2", name="李娜", honours=("上海市劳动模范",), status=WorkerStatus.RETIRED, status_year=2025
            ),
            Studio(
                id="s1",
                name="张伟劳模创新工作室",
                leader_id="w1",
                level=StudioLevel.DISTRICT,
                named_year=2020,
                **common,
            ),
            Studio(id="s2", name="李娜劳模创新工作室", leader_id="w2", **common),
            Studio(id="s3", name="王强劳模创新工作室", leader_id="w1", **common),
            Alliance(
                id="al",
                name="测试联盟",
                kind=AllianceKind.SAME_TRADE,
                status=AllianceStatus.FORMED,
                member_ids=("s1", "s2", "s3"),
            ),
            LedgerEntry(
                id="l1",
                studio_id="s1",
                kind=LedgerKind.RESULT,
                year=2024,
                title="数控工艺改进",
                benefit="节约成本80万元",
                recognised_project=True,
            ),
            LedgerEntry(id="l2", studio_id="s1", kind=LedgerKind.ACTIVITY, year=2025, title="高师带徒"),
            Funding(id="f1", studio_id="s1", year=2021, source=FundingSource.MUNICIPAL, amount=20_000),
            Funding(id="f2", studio_id="s1", year=2021, source=FundingSource.UNION, amount=10_000),
        ]
    )
    return str(path)


def _json(store: str, *args: str, code: int = 0) -> Any:
    result = runner.invoke(app, ["--store", store, *args, "--json"])
    assert result.exit_code == code, result.output
    return json.loads(result.stdout) if code == 0 else None


def test_eligibility_by_id_or_name(tmp_path: Path) -> None:
    store = _store(tmp_path)
    by_id = _json(store, "eligibility", "s1", "--year", "2025")
    assert by_id["verdict"] == "met" and len(by_id["conditions"]) == 5
    by_name = _json(store, "eligibility", "王强劳模创新工作室", "--year", "2025")
    assert by_name["studio_id"] == "s3" and by_name["verdict"] == "unknown"
    _json(store, "eligibility", "nobody", code=4)
    shown = runner.invoke(app, ["--store", store, "eligibility", "s1", "--year", "2025"], env={"COLUMNS": "200"})
    assert "符合" in shown.stdout and "全国劳动模范" in shown.stdout


def test_assess_reports_then_applies_with_an_audit_trail(tmp_path: Path) -> None:
    store = _store(tmp_path)
    report = _json(store, "assess", "--year", "2025", "--out", str(tmp_path / "r.csv"))
    actions = {f["studio_id"]: f["action"] for f in report["findings"]}
    assert actions == {"s2": "delist", "s3": "complete-data"}
    assert report["applied"] == []
    assert FileStore(store).get(Studio, "s2").status is StudioStatus.ACTIVE
    with open(tmp_path / "r.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:2] == ["工作室编号", "工作室名称"] and {r[0] for r in rows[1:]} == {"s2", "s3"}
    assert _json(store, "assess", "--year", "2025", "--out", str(tmp_path / "r.xlsx"))["findings"]
    sheet = load_workbook(tmp_path / "r.xlsx").active
    assert sheet is not None and sheet["F2"].value == "摘牌"
    applied = runner.invoke(
        app, ["--store", store, "assess", "--year", "2025", "--apply", "--by", "浦东新区总工会", "--json"]
    )
    assert applied.exit_code == 0, applied.output
    assert json.loads(applied.stdout)["applied"] == ["s2"]
    assert FileStore(store).get(Studio, "s2").status is StudioStatus.DELISTED
    assert FileStore(store).get(Alliance, "al").member_ids == ("s1", "s3")
    audit = _json(store, "audit", "--subject", "s2")
    assert [(e["action"], e["actor"]) for e in audit] == [("studio.delist", "浦东新区总工会")]
    _json(store, "assess", "--union", "no-such-union", code=4)
    bad = runner.invoke(app, ["--store", store, "assess", "--out", str(tmp_path / "r.txt")])
    assert bad.exit_code == 2


def test_naming_ledger_and_funding(tmp_path: Path) -> None:
    store = _store(tmp_path)
    naming = _json(store, "naming", "--year", "2026")
    assert [c["studio_id"] for c in naming] == ["s1"] and naming[0]["national_leader"]
    ledger = _json(store, "ledger", "s1")
    assert [e["id"] for e in ledger] == ["l2", "l1"]
    assert [e["id"] for e in _json(store, "ledger", "s1", "--kind", "result")] == ["l1"]
    funding = _json(store, "funding", "--short-only")
    assert funding == [
        {"studio_id": "s1", "name": "张伟劳模创新工作室", "municipal": 20_000, "union": 10_000, "employer": 0,
         "shortfall": 10_000, "matched": False}
    ]  # fmt: skip


def test_naming_and_funding_write_spreadsheets_with_out(tmp_path: Path) -> None:
    store = _store(tmp_path)
    ranked = _json(store, "naming", "--year", "2025", "--out", str(tmp_path / "n.xlsx"))
    sheet = load_workbook(tmp_path / "n.xlsx").active
    assert sheet is not None and sheet["C1"].value == "工作室名称"
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == [c["studio_id"] for c in ranked]
    checks = _json(store, "funding", "--out", str(tmp_path / "f.csv"))
    with open(tmp_path / "f.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][5] == "配套缺口（元）" and [int(r[5]) for r in rows[1:]] == [c["shortfall"] for c in checks]
