"""Each user's tasks walked in Debian's Chromium against the real app (uvicorn on loopback): sign in
as each role, find a studio, open its suggestions, accept a proposal, upload a broken workbook and
see row 3 named, upload the fixed one, run a what-if, download XLSX files and open them. Nothing
may leave the machine, no console error, no dialog from a hostile name. A screenshot of every page
is kept in ``.alliances/test-artefacts/console-*.png``."""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from api.app import create_app
from graph.file_store import FileStore
from graph.keys import create_key
from graph.model import Alliance, AllianceStatus, Role, Studio
from tests.visualizations.browser import ARGS, ARTEFACTS, CHROMIUM, live_server, require_chromium
from tests.visualizations.browser import watch as watch_page

from .test_console import HOSTILE, _roster, hostile_records

LONG = "上海市浦东新区张江高科技园区集成电路产业链晶圆制造工艺与装备国产化协同攻关" * 3 + "劳模创新工作室"
"""A studio name of 120 characters without a space: it must wrap, not push the page sideways."""


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, FileStore, dict[str, str]]]:
    path = tmp_path_factory.mktemp("console") / "graph.json"
    store = FileStore(path)
    store.write(
        [
            *hostile_records(),
            Studio(
                id="long",
                name=LONG,
                union_id="u-pd",
                district="浦东新区",
                industry_code="3973",
                segment_ids=("ic/fab",),
                expertise=LONG * 3,
            ),
        ]
    )
    tokens = {
        "municipal": create_key(store, "市总工会·王主任", Role.MUNICIPAL)[1],
        "union": create_key(store, "浦东新区总工会·张三", Role.UNION, union_id="u-pd")[1],
        "studio": create_key(store, "李斌劳模创新工作室·李斌", Role.STUDIO, studio_id="s1")[1],
    }
    with live_server(create_app(str(path))) as base:
        yield base, store, tokens


@dataclass
class Watch:
    """What the browser saw go wrong."""

    external: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    expected_status: set[int] = field(default_factory=set)

    def clean(self) -> None:
        unexpected = [
            e
            for e in self.console_errors
            if not any(f"status of {s} " in e for s in self.expected_status)  # an error page we asked for
        ]
        assert not self.external, self.external
        assert not unexpected, unexpected
        assert not self.page_errors, self.page_errors
        assert not self.dialogs, self.dialogs


@pytest.fixture
def browser(live: Any) -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_page(browser: Any) -> tuple[Any, Watch]:
    watch = Watch()
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    watch_page(context, page, watch)  # the context's route also sees the embedded views' requests
    return page, watch


def shot(page: Any, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"console-{name}.png"), full_page=True)


def poll(page: Any, expression: str, timeout: float = 30.0) -> Any:
    """Poll with page.evaluate (wait_for_function evals inside the page, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        time.sleep(0.1)


def sign_in(page: Any, base: str, token: str) -> None:
    """Sign in with an API key: the sign-in page's second way, behind its link."""
    page.goto(f"{base}/")
    assert page.url.startswith(f"{base}/console/signin")
    assert page.is_visible("#login") and page.is_visible("#password")
    page.click("text=使用 API 密钥登录")
    page.fill("#key", token)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/console/")


def sign_in_with_password(page: Any, base: str, login: str, password: str) -> None:
    page.goto(f"{base}/console/signin")
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("form button[type=submit]")


def view_drawn(page: Any, fragment: str) -> int:
    """Nodes drawn in the embedded view whose URL contains ``fragment``."""
    frame = next(f for f in page.frames if fragment in f.url)
    frame.wait_for_load_state("load")
    deadline = time.monotonic() + 30
    while not frame.evaluate("!!(window.__view && window.__view.drawn)"):
        assert time.monotonic() < deadline, f"the view {fragment} did not draw"
        time.sleep(0.1)
    return int(frame.evaluate("network.body.data.nodes.length"))


def download(page: Any, link: str) -> Any:
    with page.expect_download() as info:
        page.click(link)
    data = Path(info.value.path()).read_bytes()
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return sheet


def test_municipal_officer_finds_reviews_accepts_tries_and_downloads(browser: Any, live: Any) -> None:
    base, store, tokens = live
    page, watch = open_page(browser)
    sign_in(page, base, tokens["municipal"])
    charts = poll(page, "Object.keys(window.consoleCharts || {}).length === 5 && Object.keys(window.consoleCharts)")
    assert sorted(charts) == ["chart-chain", "chart-coverage", "chart-district", "chart-gaps", "chart-section"]
    title = page.evaluate("window.consoleCharts['chart-district'].getOption().title[0].text")
    assert title == "各区在册工作室（家）"
    districts = page.evaluate("window.consoleCharts['chart-district'].getOption().yAxis[0].data")
    assert "浦东新区" in districts and HOSTILE[0] in districts  # a hostile district is a label on the canvas
    assert view_drawn(page, "/console/views/network") >= 4
    shot(page, "municipal-home")

    page.click("nav >> text=工作室")
    page.fill("input[name=q]", "李斌")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/console/studios?q=*")
    shot(page, "municipal-studios-search")
    page.click("table.list >> text=李斌劳模创新工作室")
    page.wait_for_url("**/console/studios/s1")
    kinds = page.locator("#suggestions h3").all_inner_texts()
    assert kinds and all(k.endswith("伙伴") for k in kinds)
    assert page.locator("#suggestions ol.suggestions > li").count() >= 1
    assert view_drawn(page, "/console/views/studio/s1") >= 2
    shot(page, "municipal-studio")
    sheet = download(page, "#suggestions >> text=Excel")
    assert [c.value for c in sheet[1]][:4] == ["工作室编号", "伙伴类型", "伙伴编号", "伙伴名称"] and sheet.max_row >= 2

    page.click("nav >> text=联盟建议")
    card = page.locator("article.proposal", has_text="28纳米攻关联盟")
    assert card.count() == 1
    shot(page, "municipal-proposals")
    sheet = download(page, ".toolbar >> text=Excel")
    assert [c.value for c in sheet[1]][:3] == ["联盟编号", "联盟名称", "类型"]
    card.locator("input[name=note]").fill("同意组建，请浦东新区总工会牵头")
    card.locator("button", has_text="同意组建").click()
    page.wait_for_load_state("load")
    assert store.get(Alliance, "a2").status is AllianceStatus.FORMED
    page.goto(f"{base}/console/alliances/a2")
    assert "已组建" in page.inner_text("h1") and "同意组建，请浦东新区总工会牵头" in page.inner_text("main")
    assert view_drawn(page, "/console/views/alliance/a2") >= 2
    shot(page, "municipal-alliance")

    page.goto(f"{base}/console/chains/ic")
    assert view_drawn(page, "/console/views/chain/ic") >= 3
    poll(page, "!!(window.consoleCharts || {})['chart-coverage']")
    shot(page, "municipal-chain")
    page.locator("table.radar input[type=checkbox]").first.check()
    page.click("text=推演 >> nth=-1")
    page.wait_for_selector("#what-if-result")
    assert "推演结果（未写入）" in page.inner_text("#what-if-result")
    shot(page, "municipal-what-if")

    page.click("nav >> text=年度考核")
    sheet = download(page, "text=Excel")
    assert sheet.title == "年度考核" and sheet["A1"].value == "工作室编号"
    shot(page, "municipal-assessment")
    page.click("nav >> text=命名候选")
    assert "市级命名候选" in page.inner_text("h1")
    shot(page, "municipal-naming")
    page.click("nav >> text=经费")
    assert "20,000" in page.inner_text("table.list")
    sheet = download(page, "text=Excel")
    assert sheet.title == "经费配套" and sheet["A2"].value == "s1"
    shot(page, "municipal-funding")
    page.click("nav >> text=审计日志")
    assert "同意组建联盟" in page.inner_text("table.list")
    shot(page, "municipal-audit")
    for sid in ("x0", "x1", "x2", "x3"):  # the hostile names' own pages
        page.goto(f"{base}/console/studios/{sid}")
        assert store.get(Studio, sid).name in page.inner_text("h1")  # shown as text
        assert page.locator("img, svg[onload], b[onmouseover]").count() == 0
    shot(page, "municipal-hostile-studio")
    page.goto(f"{base}/console/alliances/ax")
    assert HOSTILE[1] in page.inner_text("h1")
    for path in ("/console/studios/long", "/console/studios?q=张江高科技", "/console/chains/ic", "/console/assessment"):
        page.goto(base + path)
        assert LONG in page.inner_text("main")
        wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert wide <= 0, f"{path} is {wide}px wider than the window"
    shot(page, "municipal-long-name")
    watch.clean()


def test_union_officer_uploads_a_broken_roster_then_the_fixed_one(browser: Any, live: Any, tmp_path: Path) -> None:
    base, store, tokens = live
    page, watch = open_page(browser)
    watch.expected_status = {403, 422}
    sign_in(page, base, tokens["union"])
    rows = [
        ["张江芯片工艺创新工作室", "陈一", "上海华力微电子有限公司", "浦东新区总工会", "浦东新区", 2020],
        ["临港装备创新工作室", "周二", "上海华力微电子有限公司", "浦东新区总工会", "浦东新区", "二〇二〇年代"],
    ]
    broken = tmp_path / "浦东新区名单.xlsx"
    broken.write_bytes(_roster(rows))
    before = len(store.list(Studio))
    page.click("nav >> text=名单导入")
    page.set_input_files("#files", str(broken))
    page.click("form.upload button[type=submit]")
    page.wait_for_selector("#report")
    report = page.inner_text("#report")
    assert "没有写入任何数据" in report and "第 3 行" in report and "二〇二〇年代" in report
    assert len(store.list(Studio)) == before
    shot(page, "union-ingest-broken")
    rows[1][5] = 2021
    broken.write_bytes(_roster(rows))
    page.set_input_files("#files", str(broken))
    page.click("form.upload button[type=submit]")
    page.wait_for_selector("#report")
    assert "已写入" in page.inner_text("#report")
    assert len(store.list(Studio)) == before + 2
    shot(page, "union-ingest-done")
    page.goto(f"{base}/console/audit")
    assert "无权访问" in page.inner_text("h1") and "仅市总工会" in page.inner_text("main")
    shot(page, "union-forbidden-audit")
    watch.clean()


def test_studio_leader_edits_its_own_profile_only(browser: Any, live: Any) -> None:
    base, store, tokens = live
    page, watch = open_page(browser)
    watch.expected_status = {403}
    sign_in(page, base, tokens["studio"])
    assert "我的工作室" in page.inner_text("main")
    assert page.locator("nav >> text=名单导入").count() == 0
    shot(page, "studio-home")
    page.click("text=修改专长与需求")
    page.fill("#needs", "晶圆缺陷检测算法；环节：封装测试")
    page.click("form.edit button[type=submit]")
    page.wait_for_url("**/console/studios/s1?saved=1")
    assert "已保存" in page.inner_text("main")
    assert store.get(Studio, "s1").needs == "晶圆缺陷检测算法；环节：封装测试"
    shot(page, "studio-saved")
    page.goto(f"{base}/console/studios/s2/edit")
    assert "无权访问" in page.inner_text("h1") and "该密钥无权修改此工作室" in page.inner_text("main")
    shot(page, "studio-forbidden-edit")
    page.click("text=退出")
    page.wait_for_url("**/console/signin")
    page.goto(f"{base}/console/")
    assert page.url.startswith(f"{base}/console/signin")
    watch.clean()


def test_the_administrator_opens_an_account_the_officer_changes_the_password_and_is_then_disabled(
    browser: Any, live: Any
) -> None:
    """Issue 18's walk: an account made in 账户管理, its one-time password shown once; the officer
    signs in, must change it, sees the own union's studios; disabled, the officer's session ends."""
    from services import accounts
    from services.policy import Actor

    base, store, _ = live
    admin_password = "市总工会王主任的长密码"
    with contextlib.suppress(Exception):
        accounts.create_user(store, Actor.operator("setup"), "wang.admin", Role.MUNICIPAL, name="王主任",
                             password=admin_password)  # fmt: skip
    admin, watch = open_page(browser)
    sign_in_with_password(admin, base, "wang.admin", admin_password)
    admin.wait_for_url(f"{base}/console/")
    admin.click("nav >> text=账户管理")
    admin.wait_for_url(f"{base}/console/accounts")
    admin.fill("input[name=login]", "pd.zhangsan")
    admin.fill("input[name=name]", "浦东新区总工会·张三")
    admin.select_option("select[name=role]", "union")
    admin.select_option("select[name=union]", "u-pd")
    admin.click("text=开设账户 >> xpath=self::button")
    one_time = admin.text_content("[data-testid=one-time]")
    assert one_time and len(one_time.strip()) == 12
    shot(admin, "accounts-created")

    officer, officer_watch = open_page(browser)
    sign_in_with_password(officer, base, "pd.zhangsan", one_time.strip())
    officer.wait_for_url("**/console/password**")
    assert "一次性密码" in officer.text_content("main")
    new = "张三自己设置的新密码"
    officer.fill("#old", one_time.strip())
    officer.fill("#new", new)
    officer.fill("#again", new)
    officer.click("main form button[type=submit]")
    officer.wait_for_url(f"{base}/console/?password=changed")
    officer.click("nav >> text=工作室")
    officer.wait_for_url("**/console/studios**")
    listed = officer.text_content("main") or ""
    own = [s for s in store.list(Studio) if s.union_id == "u-pd"]
    others = [s for s in store.list(Studio) if s.union_id not in (None, "u-pd")]
    assert own and all(s.name[:20] in listed for s in own)
    assert others and not any(s.name in listed for s in others)
    shot(officer, "officer-studios")

    admin.goto(f"{base}/console/accounts")
    admin.click("form[action='/console/accounts/users/pd.zhangsan/disable'] button")
    admin.wait_for_url("**/console/accounts?done=**")
    assert "已停用" in (admin.text_content("main") or "")
    officer.reload()
    assert "/console/signin" in officer.url
    watch.clean()
    officer_watch.clean()
