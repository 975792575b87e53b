"""The web console over HTTP (both stores): signing in and out, the same role checks as the API,
CSRF on every form, hostile names shown as text on every page, uploads checked, downloads equal to
the JSON, error pages without traces. The browser walks are in ``test_console_browser.py``."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from api.app import create_app
from graph.keys import create_key, revoke
from graph.model import Alliance, AllianceKind, AllianceStatus, AuditEntry, Role, Studio
from graph.store import BaseStore
from tests.graph.sample import records

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    '"><svg onload=alert(3)>',
    "<b onmouseover=alert(4)>悬停</b>",
]
RAW = ["<img src=x", "<script>alert", "<svg onload", "<b onmouseover"]
BASE = "https://testserver"
ORIGIN = {"origin": BASE}


def hostile_records() -> list[Any]:
    out = [*records()]
    for i, name in enumerate(HOSTILE):
        out.append(
            Studio(
                id=f"x{i}",
                name=name,
                district=HOSTILE[0],
                union_id="u-pd",
                industry_code="3973",
                segment_ids=("ic/design",),
                trade_codes=("6-18-01-01",),
                expertise="晶圆刻蚀；" + HOSTILE[1],
                needs="良率提升 " + HOSTILE[3],
            )
        )
    out.append(
        Alliance(
            id="ax",
            name=HOSTILE[1] + "联盟",
            kind=AllianceKind.SAME_TRADE,
            member_ids=("x0", "x1", "s1"),
            reasons=(HOSTILE[2],),
        )
    )
    return out


@pytest.fixture
def console(setting: tuple[str, BaseStore]) -> Iterator[tuple[TestClient, BaseStore, dict[str, str]]]:
    target, store = setting
    store.write(hostile_records())
    tokens = {
        "municipal": create_key(store, "市总工会·管理员", Role.MUNICIPAL)[1],
        "union": create_key(store, "浦东新区总工会·张三", Role.UNION, union_id="u-pd")[1],
        "studio": create_key(store, "李斌工作室", Role.STUDIO, studio_id="s1")[1],
    }
    with TestClient(create_app(target, cache_seconds=0), base_url=BASE, raise_server_exceptions=False) as client:
        yield client, store, tokens


def sign_in(client: TestClient, token: str) -> str:
    """Sign in as a browser would; returns the session's CSRF token."""
    client.cookies.clear()
    form = client.get("/console/signin")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf, form.text
    done = client.post(
        "/console/signin",
        data={"csrf": csrf[1], "key": token, "next": "/console/"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/console/", done.text
    home = client.get("/console/")
    assert home.status_code == 200
    found = re.search(r'name="csrf" value="([^"]+)"', home.text)
    assert found
    return found[1]


def test_a_stranger_is_sent_to_sign_in_and_back(console: Any) -> None:
    client, _, tokens = console
    assert client.get("/", follow_redirects=False).headers["location"] == "/console/"
    away = client.get("/console/studios?q=李", follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"].startswith("/console/signin?next=")
    form = client.get(away.headers["location"])
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    back = re.search(r'name="next" value="([^"]+)"', form.text)
    assert csrf and back and back[1] == "/console/studios?q=%E6%9D%8E"
    done = client.post(
        "/console/signin",
        data={"csrf": csrf[1], "key": tokens["union"], "next": back[1]},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert done.headers["location"] == back[1]
    cookie = done.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=strict" in cookie
    assert tokens["union"] not in cookie  # the key never goes to the browser
    assert "李斌劳模创新工作室" in client.get("/console/studios?q=李").text


def test_sign_in_refuses_bad_keys_foreign_forms_and_open_redirects(console: Any) -> None:
    client, _, tokens = console
    form = client.get("/console/signin")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf
    bad = client.post(
        "/console/signin", data={"csrf": csrf[1], "key": "sa_nope_nope"}, headers=ORIGIN, follow_redirects=False
    )
    assert bad.status_code == 401 and "密钥无效或已吊销" in bad.text
    assert "alliances_session" not in bad.headers.get("set-cookie", "")
    foreign = client.post(
        "/console/signin",
        data={"csrf": csrf[1], "key": tokens["municipal"]},
        headers={"origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert foreign.status_code == 403 and "alliances_session" not in foreign.headers.get("set-cookie", "")
    client.cookies.clear()
    no_cookie = client.post(
        "/console/signin", data={"csrf": csrf[1], "key": tokens["municipal"]}, headers=ORIGIN, follow_redirects=False
    )
    assert no_cookie.status_code == 403
    form = client.get("/console/signin")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf
    elsewhere = client.post(
        "/console/signin",
        data={"csrf": csrf[1], "key": tokens["municipal"], "next": "//evil.example/x"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert elsewhere.headers["location"] == "/console/"


def test_sign_out_and_revoking_the_key_end_the_session(console: Any) -> None:
    client, store, tokens = console
    csrf = sign_in(client, tokens["municipal"])
    assert client.post("/console/signout", data={}, headers=ORIGIN, follow_redirects=False).status_code == 403
    out = client.post("/console/signout", data={"csrf": csrf}, headers=ORIGIN, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/console/", follow_redirects=False).status_code == 303
    key, token = create_key(store, "临时", Role.MUNICIPAL)
    sign_in(client, token)
    revoke(store, key.id)
    assert client.get("/console/", follow_redirects=False).status_code == 303


PAGES = [
    "/console/",
    "/console/studios",
    "/console/studios?q=%3Cimg",
    "/console/studios/x0",
    "/console/studios/x1",
    "/console/studios/s1",
    "/console/proposals",
    "/console/alliances",
    "/console/alliances/ax",
    "/console/chains",
    "/console/chains/ic",
    "/console/chains/ic?name_in=x0%40ic%2Ffab&form=x1%2Cs3",
    "/console/assessment",
    "/console/ingest",
    "/console/audit",
    "/console/studios/x2/edit",
    "/console/naming?year=2025",
    "/console/funding",
    "/console/funding?short=true&year=2025",
    "/console/funding?year=&union=&short=true",  # the filter form's 全部
]
FORBIDDEN = {
    "union": {"/console/audit"},
    "studio": {"/console/audit", "/console/ingest", "/console/studios/x2/edit"},
}


@pytest.mark.parametrize("who", ["municipal", "union", "studio"])
def test_every_page_renders_for_each_role_with_hostile_names_as_text(console: Any, who: str) -> None:
    client, _, tokens = console
    sign_in(client, tokens[who])
    for path in PAGES:
        response = client.get(path)
        expected = 403 if path in FORBIDDEN.get(who, set()) else 200
        assert response.status_code == expected, (who, path, response.text[:500])
        html = response.text
        for raw in RAW:
            assert raw not in html, (who, path, raw)
        assert "Traceback" not in html
        assert response.headers["content-security-policy"].startswith("default-src 'none'; script-src 'self'")
        assert response.headers["x-frame-options"] == "DENY"
        assert "<script>" not in html  # no inline script: only <script src> and JSON data blocks
    studios = client.get("/console/studios?district=" + HOSTILE[0]).text
    assert "&lt;img src=x onerror=alert(1)&gt;" in studios and "&lt;b onmouseover=alert(4)&gt;悬停&lt;/b&gt;" in studios


def test_role_checks_are_the_apis(console: Any) -> None:
    client, store, tokens = console
    sign_in(client, tokens["studio"])
    other = client.get("/console/studios/s2/edit")
    assert other.status_code == 403 and "该密钥无权修改此工作室" in other.text
    assert client.get("/console/studios/s1/edit").status_code == 200
    assert "仅市总工会" in client.get("/console/audit").text
    assert "工作室密钥不能导入名单" in client.get("/console/ingest").text
    assert "名单导入" not in client.get("/console/").text.split("<main>")[0]  # no menu entry it cannot use
    csrf = sign_in(client, tokens["studio"])
    decide = client.post("/console/alliances/a2/accept", data={"csrf": csrf}, headers=ORIGIN)
    assert decide.status_code == 403 and store.get(Alliance, "a2").status is AllianceStatus.PROPOSED
    csrf = sign_in(client, tokens["union"])
    assert client.get("/console/studios/s2/edit").status_code == 403  # s2 belongs to another union
    assert client.get("/console/studios/s3/edit").status_code == 200
    form = client.post("/console/proposals", data={"csrf": csrf, "kinds": "chain"}, headers=ORIGIN)
    assert form.status_code == 403


def test_forms_need_the_session_token_and_our_origin(console: Any) -> None:
    client, store, tokens = console
    csrf = sign_in(client, tokens["studio"])
    before = store.get(Studio, "s1")
    for data, headers in (
        ({"expertise": "改"}, ORIGIN),
        ({"csrf": "x" * 43, "expertise": "改"}, ORIGIN),
        ({"csrf": csrf, "expertise": "改"}, {"origin": "https://evil.example"}),
        ({"csrf": csrf, "expertise": "改"}, {}),
    ):
        refused = client.post("/console/studios/s1/edit", data=data, headers=headers, follow_redirects=False)
        assert refused.status_code == 403 and "表单已过期或来源不明" in refused.text
    assert store.get(Studio, "s1") == before
    saved = client.post(
        "/console/studios/s1/edit",
        data={"csrf": csrf, "expertise": "数控加工；" + HOSTILE[0], "needs": "晶圆缺陷检测"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/console/studios/s1?saved=1"
    assert store.get(Studio, "s1").expertise == "数控加工；" + HOSTILE[0]
    page = client.get(saved.headers["location"]).text
    assert "已保存" in page and "数控加工；&lt;img src=x onerror=alert(1)&gt;" in page
    trail = [e for e in store.list(AuditEntry) if e.action == "studio.update" and e.subject_key == "s1"]
    assert len(trail) == 1 and trail[0].actor == "李斌工作室 (" + trail[0].actor.split("(")[1]
    too_long = client.post("/console/studios/s1/edit", data={"csrf": csrf, "expertise": "长" * 20_001}, headers=ORIGIN)
    assert too_long.status_code == 422 and "expertise" in too_long.text
    assert store.get(Studio, "s1").expertise == "数控加工；" + HOSTILE[0]


def test_a_proposal_is_accepted_from_the_review_page_and_shows_its_history(console: Any) -> None:
    client, store, tokens = console
    csrf = sign_in(client, tokens["union"])  # a2's members are s1 and s3, both of the union u-pd
    review = client.get("/console/proposals").text
    assert "28纳米攻关联盟" in review and 'formaction="/console/alliances/a2/accept"' in review
    done = client.post(
        "/console/alliances/a2/accept",
        data={"csrf": csrf, "note": "同意", "back": "/console/proposals"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/console/proposals"
    assert store.get(Alliance, "a2").status is AllianceStatus.FORMED
    page = client.get("/console/alliances/a2").text
    assert "已组建" in page and "同意组建" in page and "浦东新区总工会·张三" in page
    again = client.post("/console/alliances/a2/accept", data={"csrf": csrf}, headers=ORIGIN)
    assert again.status_code == 409 and "Traceback" not in again.text


def _roster(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "工作室"
    sheet.append(["工作室名称", "领衔人", "所在单位", "所属工会", "所在区", "命名年份"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_upload_names_row_3_writes_nothing_then_loads_the_fixed_file(console: Any) -> None:
    client, store, tokens = console
    csrf = sign_in(client, tokens["union"])
    rows = [
        ["张江芯片工艺创新工作室", "陈一", "上海华力微电子有限公司", "浦东新区总工会", "浦东新区", 2020],
        ["临港装备创新工作室", "周二", "上海华力微电子有限公司", "浦东新区总工会", "浦东新区", "二〇二〇年代"],
    ]
    before = len(store.list(Studio))
    broken = client.post(
        "/console/ingest",
        data={"csrf": csrf},
        headers=ORIGIN,
        files={"files": ("名单.xlsx", _roster(rows), "application/octet-stream")},
    )
    assert broken.status_code == 422
    report = broken.text
    assert "没有写入任何数据" in report and "第 3 行" in report and "命名年份" in report and "二〇二〇年代" in report
    assert len(store.list(Studio)) == before
    rows[1][5] = 2021
    good = client.post(
        "/console/ingest",
        data={"csrf": csrf},
        headers=ORIGIN,
        files={"files": ("名单.xlsx", _roster(rows), "application/octet-stream")},
    )
    assert good.status_code == 200 and "已写入" in good.text
    assert len(store.list(Studio)) == before + 2


def test_uploads_are_type_checked_and_size_limited(console: Any) -> None:
    client, store, tokens = console
    csrf = sign_in(client, tokens["municipal"])
    before = store.counts()
    for name, data, why in (
        ("a.exe", b"MZ\x90\x00", "只接受"),
        ("b.xlsx", b"not a zip at all", "不是 Excel 工作簿"),
        ("c.csv", b"\x00\x01binary", "不是文本文件"),
        ("d.csv", b"", "文件是空的"),
    ):
        refused = client.post(
            "/console/ingest",
            data={"csrf": csrf},
            headers=ORIGIN,
            files={"files": (name, data, "application/octet-stream")},
        )
        assert refused.status_code == 422 and why in refused.text, (name, refused.text[-2000:])
    huge = client.post(
        "/console/ingest",
        headers={**ORIGIN, "content-length": str(10**9), "content-type": "multipart/form-data; boundary=x"},
        content=b"--x--",
    )
    assert huge.status_code == 413 and "上传内容过大" in huge.text
    assert store.counts() == before


def test_downloads_carry_the_same_content_as_the_json(console: Any) -> None:
    client, _, tokens = console
    sign_in(client, tokens["studio"])
    as_json = client.get("/console/studios/s1/suggestions/download?format=json")
    assert as_json.status_code == 200 and "attachment" in as_json.headers["content-disposition"]
    suggestions = as_json.json()
    assert suggestions and {s["kind"] for s in suggestions} <= {"same-trade", "same-industry", "cross-field", "chain"}
    book = load_workbook(io.BytesIO(client.get("/console/studios/s1/suggestions/download?format=xlsx").content))
    sheet = book.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("工作室编号", "伙伴类型", "伙伴编号", "伙伴名称", "得分")
    assert [(r[2], r[3]) for r in rows[1:]] == [(s["partner_id"], s["partner_name"]) for s in suggestions]
    text = client.get("/console/studios/s1/suggestions/download?format=csv").content
    assert text.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert parsed[1:] and [r[3] for r in parsed[1:]] == [s["partner_name"] for s in suggestions]
    proposals = client.get("/console/proposals/download?format=json").json()
    sheet = load_workbook(io.BytesIO(client.get("/console/proposals/download?format=xlsx").content)).active
    assert sheet is not None
    names = [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(p["name"] for p in proposals) and HOSTILE[1] + "联盟" in names
    gaps = client.get("/console/chains/ic/download?format=json").json()
    sheet = load_workbook(io.BytesIO(client.get("/console/chains/ic/download?format=xlsx").content)).active
    assert sheet is not None
    assert [r[4] for r in sheet.iter_rows(min_row=2, values_only=True)] == [g["segment_name"] for g in gaps["gaps"]]
    assessment = client.get("/console/assessment/download?format=json&year=2025").json()
    sheet = load_workbook(io.BytesIO(client.get("/console/assessment/download?format=xlsx&year=2025").content)).active
    assert sheet is not None and sheet.title == "年度考核"
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        f["studio_id"] for f in assessment["findings"]
    ]


def test_a_formula_in_a_name_stays_text_in_a_download(console: Any) -> None:
    client, store, tokens = console
    formula = '=HYPERLINK("http://evil","点我")'
    store.write([store.get(Studio, "x2").model_copy(update={"name": formula})])
    sign_in(client, tokens["municipal"])
    sheet = load_workbook(io.BytesIO(client.get("/console/studios/s1/suggestions/download?format=xlsx").content)).active
    assert sheet is not None
    cells = [row[3] for row in sheet.iter_rows(min_row=2)]
    assert any(c.value == formula and c.data_type == "s" for c in cells)  # text, not a formula
    text = client.get("/console/studios/s1/suggestions/download?format=csv").content.decode("utf-8-sig")
    assert "'" + formula in {r[3] for r in csv.reader(io.StringIO(text))}


def test_what_if_and_the_assessment_apply_from_the_pages(console: Any) -> None:
    client, store, tokens = console
    csrf = sign_in(client, tokens["municipal"])
    radar = client.get("/console/chains/ic").text
    assert "缺口雷达" in radar and "推演" in radar
    tried = client.get("/console/chains/ic", params={"name_in": "s3@ic/design", "delist": "s2"}).text
    assert "推演结果（未写入）" in tried
    assert store.get(Studio, "s2").status.value == "active"  # a what-if writes nothing
    unconfirmed = client.post("/console/assessment/apply", data={"csrf": csrf, "year": "2025"}, headers=ORIGIN)
    assert unconfirmed.status_code == 422
    applied = client.post(
        "/console/assessment/apply",
        data={"csrf": csrf, "year": "2025", "confirm": "1"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert applied.status_code == 303 and "applied=" in applied.headers["location"]
    assert "已按考核结果处理" in client.get(applied.headers["location"]).text


def test_error_pages_are_in_chinese_and_never_show_a_trace(console: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client, _, tokens = console
    sign_in(client, tokens["municipal"])
    missing = client.get("/console/studios/nope")
    assert missing.status_code == 404 and "没有找到" in missing.text
    assert client.get("/console/no-such-page").status_code == 404
    assert client.get("/console/studios?page=0").status_code == 422
    from api.console import pages

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret detail /etc/passwd")

    monkeypatch.setattr(pages, "history", broken)  # not cached per fit, unlike the dashboard
    failed = client.get("/console/alliances/a1")
    assert failed.status_code == 500 and "服务器内部错误" in failed.text
    assert "secret detail" not in failed.text and "Traceback" not in failed.text


def test_the_cookie_drops_secure_only_when_told_to(
    setting: tuple[str, BaseStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    target, store = setting
    _, token = create_key(store, "市总工会·测试", Role.MUNICIPAL)
    monkeypatch.setenv("ALLIANCES_CONSOLE_INSECURE_COOKIE", "1")
    with TestClient(create_app(target), base_url="http://intranet") as client:
        form = client.get("/console/signin")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert csrf
        done = client.post(
            "/console/signin",
            data={"csrf": csrf[1], "key": token},
            headers={"origin": "http://intranet"},
            follow_redirects=False,
        )
        cookie = done.headers["set-cookie"]
        assert done.status_code == 303 and "HttpOnly" in cookie and "Secure" not in cookie
        assert client.get("/console/").status_code == 200


def test_a_union_delists_its_own_studio_from_its_page_and_a_what_if_takes_names(console: Any) -> None:
    client, store, tokens = console
    csrf = sign_in(client, tokens["studio"])
    by_name = client.get("/console/chains/ic", params={"delist": "李斌劳模创新工作室"}).text
    by_id = client.get("/console/chains/ic", params={"delist": "s1"}).text
    assert "推演结果（未写入）" in by_name
    assert (
        by_name.split('id="what-if-result"')[1].split("</section>")[0]
        == by_id.split('id="what-if-result"')[1].split("</section>")[0]
    )
    assert "确认摘牌" not in client.get("/console/studios/s1").text
    refused = client.post("/console/studios/s3/delist", data={"csrf": csrf, "reason": "领衔人退休"}, headers=ORIGIN)
    assert refused.status_code == 403 and store.get(Studio, "s3").status.value == "active"
    csrf = sign_in(client, tokens["union"])
    assert "确认摘牌" in client.get("/console/studios/s3").text
    assert "确认摘牌" not in client.get("/console/studios/s2").text  # another union's studio
    empty = client.post("/console/studios/s3/delist", data={"csrf": csrf, "reason": " "}, headers=ORIGIN)
    assert empty.status_code == 422 and store.get(Studio, "s3").status.value == "active"
    done = client.post(
        "/console/studios/s3/delist",
        data={"csrf": csrf, "reason": "领衔人退休"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/console/studios/s3?delisted=1"
    delisted = store.get(Studio, "s3")
    assert delisted.status.value == "delisted" and "s3" not in store.get(Alliance, "a1").member_ids
    page = client.get(done.headers["location"]).text
    assert "已摘牌" in page and "确认摘牌" not in page


def test_naming_and_funding_pages_and_their_downloads(console: Any) -> None:
    client, _, tokens = console
    sign_in(client, tokens["union"])
    funding = client.get("/console/funding").text
    assert "李斌劳模创新工作室" in funding and "20,000" in funding  # s1's subsidy, grouped as zh-CN writes it
    assert 'value="u-pd" selected' in funding  # a union's officer sees the union's own studios first
    rows = client.get("/console/funding/download?format=json&union=u-pd").json()
    assert [r["studio_id"] for r in rows] == ["s1"] and rows[0]["shortfall"] == 20_000
    sheet = load_workbook(io.BytesIO(client.get("/console/funding/download?format=xlsx&union=u-pd").content)).active
    assert sheet is not None and sheet["F1"].value == "配套缺口（元）" and sheet["F2"].value == 20_000
    naming = client.get("/console/naming/download?format=json&year=2025").json()
    sheet = load_workbook(io.BytesIO(client.get("/console/naming/download?format=xlsx&year=2025").content)).active
    assert sheet is not None and sheet["A1"].value == "排名"
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == [c["studio_id"] for c in naming]
    page = client.get("/console/naming?year=2025").text
    assert naming and all(c["name"] in page for c in naming)


def test_a_union_records_a_leaders_death_and_nobody_is_suggested_the_studio_at_once(console: Any) -> None:
    """Article 9 from the studio page: the studio's union records the death with its year; the
    studio's page says why it is left out, other studios' pages stop suggesting it before any refit
    has run, the audit trail has it, and a new leader brings it back."""
    client, store, tokens = console
    csrf = sign_in(client, tokens["municipal"])

    def suggested_on(page: str) -> set[str]:
        section = client.get(page).text.split('id="suggestions"')[1].split("</section>\n\n")[0]
        return set(re.findall(r'href="/console/studios/([^"]+)"', section))

    assert "s1" in suggested_on("/console/studios/x2")
    csrf = sign_in(client, tokens["studio"])
    assert "领衔人变动" not in client.get("/console/studios/s1").text
    refused = client.post("/console/studios/s1/leader", data={"csrf": csrf, "what": "deceased", "year": "2025"},
                          headers=ORIGIN)  # fmt: skip
    assert refused.status_code == 403
    csrf = sign_in(client, tokens["union"])
    assert "领衔人变动" in client.get("/console/studios/s1").text
    bad = client.post("/console/studios/s1/leader", data={"csrf": csrf, "what": "deceased", "year": "明年"},
                      headers=ORIGIN)  # fmt: skip
    assert bad.status_code == 422
    done = client.post("/console/studios/s1/leader", data={"csrf": csrf, "what": "deceased", "year": "2025"},
                       headers=ORIGIN, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == "/console/studios/s1?leader=1"
    own = client.get(done.headers["location"]).text
    assert "不参与伙伴推荐" in own and "2025 年去世" in own and "领衔人变动已登记" in own
    assert "s1" not in suggested_on("/console/studios/x2")
    audit = [e for e in store.list(AuditEntry) if e.subject_key == "s1"]
    assert [e.action for e in audit] == ["leader.status"] and "浦东新区总工会" in audit[0].actor
    again = client.post("/console/studios/s1/leader", data={"csrf": csrf, "what": "new", "new_leader": "李新",
                                                           "honours": "上海市劳动模范"}, headers=ORIGIN)  # fmt: skip
    assert again.status_code == 200 and "不参与伙伴推荐" not in again.text
    assert store.get(Studio, "s1").leader_id != "w-li"
