"""The HTTP API through FastAPI's test client, on both stores: keys and roles, errors, reads, an
edit with its audit entry, the views; and an unreachable store answering 503."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.keys import revoke
from graph.model import AuditEntry, Studio

from .conftest import _as


def test_health_and_openapi_need_no_key(api: Any) -> None:
    client, _, _ = api
    health = client.get("/health")
    assert health.status_code == 200 and health.json()["counts"]["Studio"] == 4
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200


def test_everything_else_needs_a_live_key(api: Any) -> None:
    client, store, tokens = api
    missing = client.get("/studios")
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "unauthorized"
    assert client.get("/studios", headers={"X-API-Key": "sa_nope_nope"}).status_code == 401
    assert client.get("/studios", headers={"Authorization": f"Bearer {tokens['municipal']}"}).status_code == 200
    key_id = tokens["union"].split("_")[1]
    revoke(store, key_id)
    assert client.get("/studios", headers=_as(tokens, "union")).status_code == 401


def test_studios_list_search_page_and_get(api: Any) -> None:
    client, _, tokens = api
    h = _as(tokens, "studio")
    page = client.get("/studios", headers=h, params={"name": "李斌"}).json()
    assert page["total"] == 1 and page["items"][0]["id"] == "s1"
    first = client.get("/studios", headers=h, params={"limit": 2}).json()
    second = client.get("/studios", headers=h, params={"limit": 2, "offset": 2}).json()
    assert first["total"] == 4 and len(first["items"]) == 2
    assert {s["id"] for s in first["items"]} | {s["id"] for s in second["items"]} == {"s1", "s2", "s3", "s4"}
    assert client.get("/studios/s2", headers=h).json()["name"] == "王晓芳劳模创新工作室"
    missing = client.get("/studios/nope", headers=h)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not-found"
    bad = client.get("/studios", headers=h, params={"limit": 0})
    assert bad.status_code == 422 and "limit" in bad.json()["error"]["message"]


@pytest.mark.parametrize(
    ("who", "studio", "body", "status"),
    [
        ("studio", "s1", {"expertise": "数控加工；晶圆缺陷检测"}, 200),
        ("studio", "s2", {"expertise": "x"}, 403),  # not its own studio
        ("studio", "s1", {"name": "改名"}, 403),  # only expertise and needs
        ("union", "s3", {"name": "封装测试劳模创新工作室"}, 200),  # s3 belongs to u-pd
        ("union", "s2", {"needs": "y"}, 403),  # s2 belongs to another union
        ("municipal", "s2", {"members": 9}, 200),
        ("municipal", "s2", {"members": 0}, 422),
        ("municipal", "s2", {"colour": "red"}, 422),
        ("municipal", "nope", {"needs": "y"}, 404),
    ],
)
def test_edits_follow_the_roles_and_are_audited(
    api: Any, who: str, studio: str, body: dict[str, Any], status: int
) -> None:
    client, store, tokens = api
    response = client.patch(f"/studios/{studio}", headers=_as(tokens, who), json=body)
    assert response.status_code == status, response.json()
    if status == 200:
        field, value = next(iter(body.items()))
        assert getattr(store.get(Studio, studio), field) == value
        (audit,) = [e for e in store.list(AuditEntry) if e.subject_key == studio and e.action == "studio.update"]
        assert tokens[who].split("_")[1] in audit.actor
    elif status == 422:
        assert response.json()["error"]["problems"]
    else:
        assert "error" in response.json()


def test_suggestions_taxonomies_alliances_and_gaps(api: Any) -> None:
    client, _, tokens = api
    h = _as(tokens, "union")
    allied = client.get("/studios/s1/suggestions", headers=h, params={"kind": "chain"}).json()
    assert allied == []  # its chain partners are all in its alliance
    params: dict[str, Any] = {"kind": "chain", "top": 5, "include_allied": True}
    suggestions = client.get("/studios/s1/suggestions", headers=h, params=params).json()
    assert {s["partner_id"] for s in suggestions} == {"s2", "s3"}
    assert all(s["kind"] == "chain" and s["reasons"] for s in suggestions)
    assert client.get("/studios/nope/suggestions", headers=h).status_code == 404
    chains = client.get("/taxonomies/chains", headers=h).json()
    assert chains[0]["id"] == "ic" and len(chains[0]["supplies"]) == 2
    assert {t["code"] for t in client.get("/taxonomies/trades", headers=h).json()} == {"6-18-01-01", "SA-001"}
    tree = client.get("/taxonomies/industries/tree", headers=h).json()
    assert [n["code"] for n in tree] == ["C", "I"]
    assert tree[0]["children"][0]["children"][0]["children"][0]["name"] == "集成电路制造"
    alliance = client.get("/alliances/a1", headers=h).json()
    assert alliance["member_ids"] == ["s1", "s2", "s3"] and alliance["history"][0]["actor"] == "上海市总工会"
    gaps = client.get("/gaps", headers=h, params={"chain": "ic"}).json()
    assert {g["segment"] for g in gaps["gaps"]} >= {"ic/design", "ic/fab", "ic/packaging"}
    assert client.get("/gaps", headers=h, params={"chain": "nope"}).status_code == 404


def test_views_are_served_with_a_strict_content_security_policy(api: Any) -> None:
    client, _, tokens = api
    h = _as(tokens, "studio")
    for path in ("/views/studio/s1", "/views/alliance/a1", "/views/chain/ic", "/views/network?color_by=district"):
        page = client.get(path, headers=h)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert "connect-src 'none'" in page.headers["content-security-policy"]
    assert client.get("/views/studio/nope", headers=h).status_code == 404
    assert client.get("/views/studio/s1").status_code == 401


def test_an_unreachable_store_is_503_with_retry_after() -> None:
    with TestClient(create_app("bolt://127.0.0.1:1?auth=none")) as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json()["error"]["code"] == "store-unavailable"
    assert "Traceback" not in response.text


def test_requests_are_logged_as_json_with_an_id(api: Any, caplog: pytest.LogCaptureFixture) -> None:
    import json
    import logging

    from api.logs import JsonFormatter

    client, _, tokens = api
    with caplog.at_level(logging.INFO, logger="alliances.api"):
        response = client.get("/studios/s1", headers={**_as(tokens, "studio"), "X-Request-Id": "req-42"})
    assert response.headers["x-request-id"] == "req-42"
    record = next(r for r in caplog.records if getattr(r, "request_id", None) == "req-42")
    line = json.loads(JsonFormatter().format(record))
    assert line["status"] == 200 and line["path"] == "/studios/s1" and line["method"] == "GET"
    assert line["key_id"] == tokens["studio"].split("_")[1]
    assert tokens["studio"].split("_", 2)[2] not in JsonFormatter().format(record)  # never the secret


def test_every_operation_documents_its_answer(api: Any) -> None:
    client, _, _ = api
    spec = client.get("/openapi.json").json()
    untyped = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            ok = next(v for k, v in op["responses"].items() if k.startswith("2"))
            content = ok.get("content", {})
            if "text/html" in content:
                continue
            schema = content.get("application/json", {}).get("schema", {})
            if not ({"$ref", "type", "items", "anyOf"} & set(schema)) or schema.get("additionalProperties") is True:
                untyped.append(f"{method.upper()} {path}")
            assert op.get("summary"), f"{method.upper()} {path} has no summary"
    assert untyped == []
