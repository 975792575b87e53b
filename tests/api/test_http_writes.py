"""Writes and lifecycle over HTTP, on both stores: creating and delisting studios, proposing and
deciding alliances, what-ifs, the assessment, and the audit trail, each within the key's scope."""

from __future__ import annotations

from typing import Any

import pytest

from graph.model import Alliance, AllianceStatus, AuditEntry, Studio, StudioStatus

from .conftest import _as


def test_creating_studios_follows_the_roles(api: Any) -> None:
    client, store, tokens = api
    body = {"id": "s9", "name": "新建劳模创新工作室", "union_id": "u-pd", "trade_codes": ["6-18-01-01"]}
    assert client.post("/studios", headers=_as(tokens, "studio"), json=body).status_code == 403
    assert client.post("/studios", headers=_as(tokens, "union"), json={**body, "union_id": "u-jd"}).status_code == 403
    created = client.post("/studios", headers=_as(tokens, "union"), json=body)
    assert created.status_code == 201 and created.json()["name"] == "新建劳模创新工作室"
    assert store.get(Studio, "s9").trade_codes == ("6-18-01-01",)
    assert client.post("/studios", headers=_as(tokens, "union"), json=body).status_code == 409
    dangling = client.post(
        "/studios", headers=_as(tokens, "municipal"), json={**body, "id": "s10", "trade_codes": ["X-1"]}
    )
    assert dangling.status_code == 422 and dangling.json()["error"]["problems"]
    assert client.post("/studios", headers=_as(tokens, "municipal"), json={"id": "a b", "name": "x"}).status_code == 422


def test_delisting_over_http_leaves_alliances_and_is_audited(api: Any) -> None:
    client, store, tokens = api
    assert client.post("/studios/s2/delist", headers=_as(tokens, "union"), json={"reason": "x"}).status_code == 403
    done = client.post("/studios/s3/delist", headers=_as(tokens, "union"), json={"reason": "领衔人退休"})
    assert done.status_code == 200 and done.json()["status"] == "delisted"
    assert "s3" in store.get(Alliance, "a1").former_member_ids
    assert client.post("/studios/s3/delist", headers=_as(tokens, "union"), json={"reason": "again"}).status_code == 409
    audit = client.get("/audit", headers=_as(tokens, "municipal"), params={"subject": "s3"}).json()
    assert [e["action"] for e in audit] == ["studio.delist"]
    assert client.get("/audit", headers=_as(tokens, "union")).status_code == 403


def test_proposals_and_decisions(api: Any) -> None:
    client, store, tokens = api
    assert client.post("/alliances/proposals", headers=_as(tokens, "union"), json={}).status_code == 403
    dry = client.post(
        "/alliances/proposals",
        headers=_as(tokens, "municipal"),
        json={"chain": "ic", "dry_run": True, "include_allied": True},
    )
    assert dry.status_code == 422  # include_allied is not a field of this body
    made = client.post("/alliances/proposals", headers=_as(tokens, "municipal"), json={"project": "p-28nm"}).json()
    assert all(p["saved"] == "created" for p in made["proposals"])
    for p in made["proposals"]:
        assert store.get(Alliance, p["id"]).status is AllianceStatus.PROPOSED
    # the sample's proposed alliance a2 has members of the Pudong union: its key may decide
    assert client.post("/alliances/a2/accept", headers=_as(tokens, "studio"), json={}).status_code == 403
    accepted = client.post("/alliances/a2/accept", headers=_as(tokens, "union"), json={"note": "同意"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "formed"
    again = client.post("/alliances/a2/accept", headers=_as(tokens, "union"), json={})
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    history = client.get("/alliances/a2", headers=_as(tokens, "studio")).json()["history"]
    assert history[-1]["action"] == "accepted" and "浦东新区总工会" in history[-1]["actor"]
    assert client.post("/alliances/nope/reject", headers=_as(tokens, "municipal"), json={}).status_code == 404
    trail = client.get("/audit", headers=_as(tokens, "municipal")).json()
    assert {"alliance.propose", "alliance.accepted"} <= {e["action"] for e in trail}


def test_what_if_writes_nothing(api: Any) -> None:
    client, store, tokens = api
    result = client.post("/what-if", headers=_as(tokens, "studio"), json={"delist": ["s2"], "chain": "ic"})
    assert result.status_code == 200
    assert {(c["segment"], c["after"]) for c in result.json()["changes"]} >= {("ic/design", "gap")}
    assert store.get(Studio, "s2").status is StudioStatus.ACTIVE
    assert client.post("/what-if", headers=_as(tokens, "studio"), json={}).status_code == 422
    assert client.post("/what-if", headers=_as(tokens, "studio"), json={"delist": ["nope"]}).status_code == 404


@pytest.mark.parametrize("year", [2025])
def test_lifecycle_routes(api: Any, year: int) -> None:
    client, store, tokens = api
    h = _as(tokens, "studio")
    check = client.get("/studios/s1/eligibility", headers=h, params={"year": year}).json()
    assert [c["number"] for c in check["conditions"]] == [1, 2, 3, 4, 5]
    assert [e["id"] for e in client.get("/studios/s1/ledger", headers=h).json()] == ["lg-s1-1"]
    assessment = client.get("/assessment", headers=h, params={"year": year}).json()
    assert assessment["year"] == year and assessment["findings"]
    assert client.post("/assessment/apply", headers=_as(tokens, "union"), json={"year": year}).status_code == 403
    applied = client.post("/assessment/apply", headers=_as(tokens, "municipal"), json={"year": year}).json()
    delisted = {f["studio_id"] for f in assessment["findings"] if f["action"] == "delist"}
    assert delisted <= set(applied["changed"])
    assert all(store.get(Studio, s).status is StudioStatus.DELISTED for s in delisted)
    assert any(e.action.startswith("studio.") for e in store.list(AuditEntry))
    funding = client.get("/funding", headers=h).json()
    assert funding == [
        {
            "studio_id": "s1",
            "name": "李斌劳模创新工作室",
            "municipal": 20000,
            "union": 0,
            "employer": 0,
            "shortfall": 20000,
            "matched": False,
        }
    ]
    assert isinstance(client.get("/naming", headers=h, params={"year": 2026}).json(), list)


def test_recording_a_leaders_death_takes_effect_at_once_and_is_audited(api: Any) -> None:
    """Article 9 over HTTP: only the studio's union (or the municipal union) records it; the studio
    is told why it is left out; nobody is suggested it any more; a new leader brings it back."""
    client, store, tokens = api

    def partners(studio: str) -> set[str]:
        answer = client.get(f"/studios/{studio}/suggestions", headers=_as(tokens, "municipal"),
                            params={"top": 50, "include_allied": True})  # fmt: skip
        assert answer.status_code == 200, answer.text
        return {x["partner_id"] for x in answer.json()}

    assert "s1" in partners("s3")
    death = {"status": "deceased", "year": 2025, "note": "讣告"}
    assert client.post("/studios/s1/leader", headers=_as(tokens, "studio"), json=death).status_code == 403
    s2_union = client.post("/studios/s2/leader", headers=_as(tokens, "union"), json=death)
    assert s2_union.status_code == 403, "s2 belongs to another union"
    both = client.post("/studios/s1/leader", headers=_as(tokens, "union"), json={**death, "new_leader": "某人"})
    assert both.status_code == 422
    done = client.post("/studios/s1/leader", headers=_as(tokens, "union"), json=death)
    assert done.status_code == 200, done.text
    assert done.json()["leader_status"] == "deceased" and done.json()["studios"] == ["s1"]
    assert client.post("/studios/s1/leader", headers=_as(tokens, "union"), json=death).status_code == 409
    assert "s1" not in partners("s3")
    assert partners("s1") == set()
    excluded = client.get("/studios/s1", headers=_as(tokens, "studio")).json()["excluded"]
    assert excluded["code"] == "leader-deceased" and "2025" in excluded["reason"]
    audit = client.get("/audit", headers=_as(tokens, "municipal"), params={"subject": "s1"}).json()
    assert [e["action"] for e in audit] == ["leader.status"]
    appointed = client.post("/studios/s1/leader", headers=_as(tokens, "municipal"),
                            json={"new_leader": "李新", "honours": ["上海市劳动模范"]})  # fmt: skip
    assert appointed.status_code == 200, appointed.text
    assert client.get("/studios/s1", headers=_as(tokens, "studio")).json()["excluded"] is None
    assert "s1" in partners("s3")
    assert store.get(Studio, "s1").leader_id == appointed.json()["leader_id"]
