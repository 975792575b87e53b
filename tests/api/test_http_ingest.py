"""``POST /ingest``: the CLI's validation and all-or-nothing write over HTTP, within the key's scope."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.keys import create_key
from graph.model import Role, Studio, Union

from .conftest import _as

ROOT = Path(__file__).resolve().parents[2]
HEADER = "工作室名称,领衔人,所在单位,所属工会,所在区\r\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\r\n" for r in rows)).encode("utf-8")


def test_upload_validates_writes_and_dry_runs(api: Any) -> None:
    client, store, tokens = api
    naming = (ROOT / "samples/naming-list-2024-illustrative.csv").read_bytes()  # GBK, as published
    dry = client.post(
        "/ingest",
        headers=_as(tokens, "municipal"),
        params={"dry_run": True},
        files={"files": ("命名名单.csv", naming, "text/csv")},
    )
    assert dry.status_code == 200 and dry.json()["ok"] and not dry.json()["written"]
    before = len(store.list(Studio))
    assert before == 4
    done = client.post(
        "/ingest", headers=_as(tokens, "municipal"), files={"files": ("命名名单.csv", naming, "text/csv")}
    )
    body = done.json()
    assert body["ok"] and body["written"] and body["files"] == ["命名名单.csv"]
    assert len(store.list(Studio)) == before + body["kinds"]["Studio"]["created"] > before
    trail = client.get("/audit", headers=_as(tokens, "municipal")).json()
    assert [e["subject_key"] for e in trail if e["action"] == "ingest"] == ["命名名单.csv"]
    bad = client.post(
        "/ingest",
        headers=_as(tokens, "municipal"),
        files={"files": ("roster.csv", b"\x00\x01\x02\xff" * 50, "text/csv")},
    )
    assert bad.status_code == 200 and not bad.json()["ok"]
    assert bad.json()["problems"][0]["file"] == "roster.csv"
    assert (
        client.post("/ingest", headers=_as(tokens, "studio"), files={"files": ("x.csv", b"a", "text/csv")}).status_code
        == 403
    )


def test_a_union_key_loads_its_own_studios_only(api: Any) -> None:
    client, store, tokens = api
    seed = client.post(
        "/ingest",
        headers=_as(tokens, "municipal"),
        files={
            "files": (
                "seed.csv",
                _csv(
                    "甲劳模创新工作室,张一,甲公司,闵行区总工会,闵行区",
                    "乙劳模创新工作室,李二,乙公司,徐汇区总工会,徐汇区",
                ),
                "text/csv",
            )
        },
    )
    assert seed.json()["written"]
    minhang = next(u for u in store.list(Union) if u.name == "闵行区总工会")
    _, token = create_key(store, "闵行区总工会·王五", Role.UNION, union_id=minhang.id)
    h = {"X-API-Key": token}
    own = client.post(
        "/ingest",
        headers=h,
        files={"files": ("mine.csv", _csv("丙劳模创新工作室,赵三,丙公司,闵行区总工会,闵行区"), "text/csv")},
    )
    assert own.json()["ok"] and own.json()["written"]
    count = len(store.list(Studio))
    mixed = client.post(
        "/ingest",
        headers=h,
        files={
            "files": (
                "mixed.csv",
                _csv(
                    "丁劳模创新工作室,钱四,丁公司,闵行区总工会,闵行区",
                    "戊劳模创新工作室,孙五,戊公司,徐汇区总工会,徐汇区",
                ),
                "text/csv",
            )
        },
    )
    assert not mixed.json()["ok"] and not mixed.json()["written"]
    assert any("戊劳模创新工作室" in (p["value"] or "") for p in mixed.json()["problems"])
    assert len(store.list(Studio)) == count  # nothing written, not even the studio in scope
