"""The command line, run as a user runs it (through typer's runner and as a real process)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from api.cli import app
from graph import taxonomy

runner = CliRunner()


def test_init_loads_the_taxonomies_and_is_idempotent(tmp_path: Path) -> None:
    store = str(tmp_path / "g.json")
    first = runner.invoke(app, ["--store", store, "init", "--json"])
    assert first.exit_code == 0, first.output
    kinds = json.loads(first.output)["kinds"]
    assert kinds["Industry"]["created"] == len(taxonomy.industries())
    assert kinds["SUPPLIES"]["created"] == len(taxonomy.supplies())
    second = runner.invoke(app, ["init", "--store", store, "--json"])
    assert all(k["created"] == 0 and k["updated"] == 0 for k in json.loads(second.output)["kinds"].values())
    status = runner.invoke(app, ["status", "--json"], env={"ALLIANCES_STORE": store})
    counts = json.loads(status.output)["counts"]
    assert counts["Trade"] == len(taxonomy.trades())
    assert counts["Chain"] == len(taxonomy.chains())


def test_tables_show_chinese_names(tmp_path: Path) -> None:
    store = str(tmp_path / "g.json")
    runner.invoke(app, ["--store", store, "init"])
    from graph.file_store import FileStore
    from graph.model import Studio

    FileStore(store).write([Studio(id="s1", name="李斌劳模创新工作室", district="浦东新区", industry_code="3973")])
    shown = runner.invoke(app, ["--store", store, "studios", "list", "--industry", "39"])
    assert shown.exit_code == 0, shown.output
    assert "李斌劳模创新工作室" in shown.output
    assert "1 studio(s)" in shown.output


def test_an_unreachable_neo4j_is_one_line_and_a_nonzero_exit() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "api.cli", "--store", "bolt://127.0.0.1:1?auth=none", "status"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "not reachable" in lines[0]


def test_a_bad_setting_exits_with_the_configuration_code() -> None:
    result = runner.invoke(app, ["--store", "ftp://x", "status"])
    assert result.exit_code == 2
    assert "unknown scheme" in result.output


def test_ingest_from_the_command_line_is_quiet_without_a_terminal(tmp_path: Path) -> None:
    roster = tmp_path / "名单.csv"
    roster.write_bytes("工作室名称,领衔人,所在单位\n甲劳模创新工作室,张三,上海甲公司\n".encode("gb18030"))
    store = str(tmp_path / "g.json")
    proc = subprocess.run(
        [sys.executable, "-m", "api.cli", "--store", store, "ingest", str(roster)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", "no progress bar without a terminal"
    assert "Studio" in proc.stdout


def test_ingest_json_report_and_exit_code_for_bad_input(tmp_path: Path) -> None:
    roster = tmp_path / "bad.csv"
    roster.write_text("工作室名称,领衔人,所在单位,命名年份\n甲,张三,乙,明年\n", encoding="utf-8")
    store = str(tmp_path / "g.json")
    result = runner.invoke(app, ["--store", store, "ingest", str(roster), "--json"])
    assert result.exit_code == 6
    report = json.loads(result.output)
    assert report["ok"] is False
    assert report["written"] is False
    [problem] = report["problems"]
    assert (problem["row"], problem["column"], problem["value"]) == (2, "命名年份", "明年")
    assert "不是年份" in problem["message_zh"]
    assert not Path(store).exists(), "nothing was written, not even an empty store file"


def test_the_sample_roster_loads_from_the_command_line(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    store = str(tmp_path / "g.json")
    result = runner.invoke(
        app,
        ["--store", store, "ingest", str(root / "samples" / "shanghai-roster-illustrative.xlsx"),
         str(root / "samples" / "naming-list-2024-illustrative.csv"), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["kinds"]["Studio"]["created"] >= 340
    assert report["kinds"]["Alliance"]["created"] >= 8
    assert report["inferred"] >= 40, "the bare naming list gets proposed industries"


def test_suggest_prints_partners_with_reasons(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    store = str(tmp_path / "g.json")
    runner.invoke(app, ["--store", store, "ingest", str(root / "samples" / "shanghai-roster-illustrative.xlsx")])
    result = runner.invoke(app, ["--store", store, "suggest", "SH000101", "--kind", "chain", "--top", "3", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["studio_id"] == "SH000101" and answer["excluded"] is None
    found = answer["suggestions"]
    assert 1 <= len(found) <= 3
    for item in found:
        assert {"studio_id", "partner_id", "partner_name", "kind", "score", "components", "reasons"} <= set(item)
        assert item["kind"] == "chain"
        assert item["studio_id"] == "SH000101"
    assert runner.invoke(app, ["--store", store, "suggest", "没有这个工作室"]).exit_code == 4
    assert runner.invoke(app, ["--store", store, "suggest", "SH000101", "--kind", "nonsense"]).exit_code == 2


def test_a_studio_whose_leader_left_is_told_why_and_suggested_to_nobody(tmp_path: Path) -> None:
    """Article 9 through the command line: record a death with its year, see the studio excluded
    with its reason, see it gone from every other studio's list, and find the change audited."""
    root = Path(__file__).resolve().parents[2]
    store = str(tmp_path / "g.json")
    runner.invoke(app, ["--store", store, "ingest", str(root / "samples" / "shanghai-roster-illustrative.xlsx")])

    def partners_of(studio: str) -> set[str]:
        result = runner.invoke(app, ["--store", store, "suggest", studio, "--top", "20", "--json"])
        assert result.exit_code == 0, result.output
        return {x["partner_id"] for x in json.loads(result.output)["suggestions"]}

    before = partners_of("SH000101")
    target = sorted(before)[0]
    recorded = runner.invoke(
        app, ["--store", store, "studios", "leader", target, "--status", "deceased", "--year", "2025",
              "--by", "测试员", "--json"],
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.output
    assert target in json.loads(recorded.output)["studios"]
    own = json.loads(runner.invoke(app, ["--store", store, "suggest", target, "--json"]).output)
    assert own["suggestions"] == [] and own["excluded"]["code"] == "leader-deceased"
    assert "2025" in own["excluded"]["reason"] and "去世" in own["excluded"]["reason"]
    assert target not in partners_of("SH000101")
    shown = runner.invoke(app, ["--store", store, "suggest", target])
    assert "第九条" in shown.output
    audit = json.loads(runner.invoke(app, ["--store", store, "audit", "--subject", target, "--json"]).output)
    assert [(a["action"], a["actor"]) for a in audit] == [("leader.status", "测试员")]
    # a new, serving leader brings it back
    appointed = runner.invoke(app, ["--store", store, "studios", "leader", target, "--new", "新领衔人", "--json"])
    assert appointed.exit_code == 0, appointed.output
    assert json.loads(runner.invoke(app, ["--store", store, "suggest", target, "--json"]).output)["excluded"] is None
    again = runner.invoke(app, ["--store", store, "studios", "leader", target, "--new", "新领衔人"])
    assert again.exit_code != 0 and "已是" in again.output


def test_suggest_takes_weights_from_a_file(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    store = str(tmp_path / "g.json")
    runner.invoke(app, ["--store", store, "ingest", str(root / "samples" / "shanghai-roster-illustrative.xlsx")])
    weights = tmp_path / "w.json"
    weights.write_text('{"chain": {"chain": 1.0}}', encoding="utf-8")
    result = runner.invoke(
        app, ["--store", store, "suggest", "SH000101", "--kind", "chain", "--weights", str(weights), "--json"]
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)["suggestions"]
    assert found
    assert all(abs(x["score"] - x["components"]["chain"]) < 1e-3 for x in found), "score is the chain strength alone"
    weights.write_text('{"chain": {"nonsense": 1.0}}', encoding="utf-8")
    bad = runner.invoke(app, ["--store", store, "suggest", "SH000101", "--weights", str(weights)])
    assert bad.exit_code == 2
    assert "no component" in bad.output


def test_tune_learns_stores_audits_and_suggest_uses_it(tmp_path: Path) -> None:
    from graph.file_store import FileStore
    from tests.matching.test_tune import _world

    store = str(tmp_path / "g.json")
    FileStore(tmp_path / "g.json").write(_world(planted=True))
    dry = runner.invoke(app, ["--store", store, "tune", "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.output)["written"] is False
    hand = json.loads(runner.invoke(app, ["--store", store, "suggest", "s00", "--kind", "same-trade", "--json"]).output)
    assert not any("权重由历史合作学习" in r for x in hand["suggestions"] for r in x["reasons"])
    done = runner.invoke(app, ["--store", store, "tune", "--by", "测试员", "--json"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.output)
    assert report["written"] and "same-trade" in report["model"]["adopted"]
    learned = json.loads(
        runner.invoke(app, ["--store", store, "suggest", "s00", "--kind", "same-trade", "--json"]).output
    )
    assert learned["suggestions"] and all(
        any("权重由历史合作学习（v1" in r for r in x["reasons"]) for x in learned["suggestions"]
    )
    again = json.loads(runner.invoke(app, ["--store", store, "tune", "--json"]).output)
    assert again["model"]["version"] == 2
    audit = json.loads(runner.invoke(app, ["--store", store, "audit", "--json"]).output)
    assert [a["action"] for a in audit].count("ranking.tune") == 2
    shown = runner.invoke(app, ["--store", store, "tune", "--dry-run"])
    assert "hits@10" in shown.output and "dry run" in shown.output
