"""The domain model: every node and relationship kind of the studio graph, typed and validated.

Glossary (each Chinese term has one English name, used in code, Cypher and the API):

========================  ==================  ==============================================
Chinese                   English             in the graph
========================  ==================  ==============================================
劳模创新工作室            studio              ``Studio``
领衔人 / 劳模             leader / model      ``ModelWorker``, ``(Studio)-[:LED_BY]->``
                          worker
所在单位                  employer            ``Employer``, ``(Studio)-[:HOSTED_BY]->``
工会 / 区局（产业）工会   union               ``Union``, ``(Studio)-[:BELONGS_TO]->``
工种                      trade               ``Trade``, ``(Studio)-[:PRACTISES]->``
行业                      industry            ``Industry`` (GB/T 4754-2017), ``SUBCLASS_OF``
产业链                    chain               ``Chain``
环节                      segment             ``Segment``, ``(Segment)-[:SUPPLIES]->(Segment)``
联盟                      alliance            ``Alliance``, ``(Studio)-[:MEMBER_OF]->``
重点项目 / 重大工程       project             ``Project``, ``(Studio)-[:CONTRIBUTES_TO]->``
合作                      collaboration       ``(Studio)-[:COLLABORATED_WITH {year}]->(Studio)``
联盟记录                  alliance event      ``AllianceEvent``, ``(AllianceEvent)-[:ABOUT]->``
空白点                    gap                 a segment without an active studio
壁垒                      barrier             a ``SUPPLIES`` edge with studios at both ends
                                              and no collaboration or alliance across it
摘牌                      delist              ``Studio.status = delisted`` (Article 9)
========================  ==================  ==============================================

Records are immutable pydantic models. A record carries the keys of the nodes it points at
(``Studio.trade_codes``, ``Segment.chain_id`` …); the store turns them into relationships, and a
record is the whole truth about the relationships it owns: upserting a studio with two trades leaves
it with exactly those two ``PRACTISES`` relationships.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import unicodedata
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)


def clean_text(value: str) -> str:
    """NFC-normalise and trim text; Chinese stays Chinese (no transliteration, no ASCII folding)."""
    return unicodedata.normalize("NFC", value).strip()


_CONTROL = re.compile(r"[\n\r\t]")


def _key(value: str) -> str:
    value = clean_text(value)
    if not value:
        raise ValueError("must not be empty")
    if _CONTROL.search(value):
        raise ValueError("must be one line")
    return value


def _name(value: str) -> str:
    value = clean_text(value)
    if not value:
        raise ValueError("must not be empty")
    return value


Key = Annotated[str, AfterValidator(_key), Field(max_length=200)]
"""A node key: non-empty, one line, trimmed."""
Name = Annotated[str, AfterValidator(_name), Field(max_length=500)]
"""A display name in any script: non-empty, trimmed, NFC."""
Text = Annotated[str, AfterValidator(clean_text), Field(max_length=20_000)]
"""Free text (expertise, needs, capabilities); may be empty."""


def this_year() -> int:
    return _dt.date.today().year


def _year(value: int | None) -> int | None:
    if value is not None and not 1949 <= value <= this_year() + 1:
        raise ValueError(f"year {value} is outside 1949–{this_year() + 1}")
    return value


Year = Annotated[int | None, AfterValidator(_year)]


def _iso_date(value: str) -> str:
    try:
        return _dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from exc


IsoDate = Annotated[str, AfterValidator(_iso_date)]
"""A calendar day as ``YYYY-MM-DD`` text (both stores keep it alike)."""


class StudioStatus(StrEnum):
    """Article 9: a studio is active, flagged at the yearly assessment, or delisted (摘牌)."""

    ACTIVE = "active"
    FLAGGED = "flagged"
    DELISTED = "delisted"


class StudioLevel(StrEnum):
    """The level that named the studio (命名级别)."""

    NATIONAL = "national"  # 全国
    MUNICIPAL = "municipal"  # 市级
    DISTRICT = "district"  # 区局级 (district or industry union)
    ENTERPRISE = "enterprise"  # 企业级


class WorkerStatus(StrEnum):
    """The leader's status (领衔人状态); Article 9 delists a studio whose leader left, retired or died."""

    SERVING = "serving"  # 在职
    RETIRED = "retired"  # 退休
    LEFT = "left"  # 离职
    DECEASED = "deceased"  # 已故


class HonourLevel(StrEnum):
    """The highest honour a model worker holds, as Articles 3 and 7 weigh it."""

    NATIONAL = "national"  # 全国劳动模范, 全国五一劳动奖章, 全国先进工作者 …
    PROVINCIAL = "provincial"  # provincial/ministerial: 上海市劳动模范, 上海市五一劳动奖章 …
    OTHER = "other"
    NONE = "none"


class UnionKind(StrEnum):
    MUNICIPAL = "municipal"  # 市总工会
    DISTRICT = "district"  # 区总工会
    INDUSTRY = "industry"  # 产业（局）工会
    ENTERPRISE = "enterprise"  # 基层工会


class IndustryLevel(StrEnum):
    """GB/T 4754-2017 levels: 门类 section, 大类 division, 中类 group, 小类 class."""

    SECTION = "section"
    DIVISION = "division"
    GROUP = "group"
    CLASS = "class"


class ChainTier(StrEnum):
    """Shanghai's "3+6" system: three leading industries and six key industries."""

    LEADING = "leading"
    KEY = "key"


class Stage(StrEnum):
    UPSTREAM = "upstream"
    MIDSTREAM = "midstream"
    DOWNSTREAM = "downstream"


class AllianceKind(StrEnum):
    """Article 12's kinds of alliance, plus alliances formed around one key project."""

    SAME_TRADE = "same-trade"  # 同工种
    SAME_INDUSTRY = "same-industry"  # 同行业
    CROSS_FIELD = "cross-field"  # 跨领域、跨专业
    CHAIN = "chain"  # 产业链上下游
    PROJECT = "project"  # 重点项目


class AllianceStatus(StrEnum):
    """``proposed`` → ``formed`` (accepted) or ``rejected``; ``formed`` → ``dissolved``."""

    PROPOSED = "proposed"
    FORMED = "formed"
    REJECTED = "rejected"
    DISSOLVED = "dissolved"

    @property
    def is_live(self) -> bool:
        """Proposed and formed alliances are live: their members count as allied."""
        return self in (AllianceStatus.PROPOSED, AllianceStatus.FORMED)


class AllianceAction(StrEnum):
    """What an :class:`AllianceEvent` records."""

    PROPOSED = "proposed"  # 提议
    ACCEPTED = "accepted"  # 同意组建
    REJECTED = "rejected"  # 不予组建
    DISSOLVED = "dissolved"  # 解散
    MEMBER_LEFT = "member-left"  # 成员退出 (a delisted studio leaves every live alliance)


_NATIONAL_HONOURS = ("全国劳动模范", "全国劳模", "全国五一劳动奖章", "全国先进工作者", "全国劳动模范和先进工作者")
_PROVINCIAL_MARKERS = ("劳动模范", "劳模", "五一劳动奖章", "先进工作者")
_PROVINCIAL_SCOPES = ("上海市", "省", "自治区", "直辖市", "部", "中央企业", "央企", "全国总工会", "行业")


def honour_level(honours: tuple[str, ...] | list[str]) -> HonourLevel:
    """The highest level among free-text honours.

    National: 全国劳动模范, 全国五一劳动奖章, 全国先进工作者. Provincial/ministerial: a model-worker or
    May Day honour given by a province-level body (上海市劳动模范, 上海市五一劳动奖章, 某某部劳动模范 …).
    Anything else that is given is ``OTHER``; no honours is ``NONE``.

    >>> honour_level(["上海市劳动模范", "全国五一劳动奖章"])
    <HonourLevel.NATIONAL: 'national'>
    """
    texts = [clean_text(h) for h in honours if clean_text(h)]
    if not texts:
        return HonourLevel.NONE
    if any(text.startswith("全国") and any(m in text for m in _PROVINCIAL_MARKERS) for text in texts):
        return HonourLevel.NATIONAL
    if any(
        any(m in text for m in _PROVINCIAL_MARKERS) and any(s in text for s in _PROVINCIAL_SCOPES) for text in texts
    ):
        return HonourLevel.PROVINCIAL
    return HonourLevel.OTHER


class Record(BaseModel):
    """Base of every stored record: immutable, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)

    label: ClassVar[str]
    """The node label (or relationship type, for link records) in the graph."""


class Node(Record):
    """A record stored as one node; ``key_field`` names its key."""

    key_field: ClassVar[str] = "id"
    secret_fields: ClassVar[frozenset[str]] = frozenset()
    """Fields that hold a secret (a key's digest, a password hash): an export leaves them out unless
    asked (:mod:`graph.backup`)."""

    @property
    def key(self) -> str:
        return str(getattr(self, self.key_field))


def _sorted_unique(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(values)))


SortedKeys = Annotated[tuple[Key, ...], AfterValidator(_sorted_unique)]
"""A set of keys, held sorted so that equal sets compare equal."""


class Studio(Node):
    """A model-worker innovation studio (劳模创新工作室, Article 2)."""

    label: ClassVar[str] = "Studio"

    id: Key
    name: Name
    status: StudioStatus = StudioStatus.ACTIVE
    status_reason: Text = ""
    delisted_year: Year = None
    """The year the studio was delisted (摘牌), so coverage over time can leave it out after."""
    level: StudioLevel | None = None
    named_year: Year = None
    founded_year: Year = None
    district: Name | None = None
    expertise: Text = ""
    needs: Text = ""
    members: int | None = Field(default=None, ge=1, le=10_000)
    founded_on: IsoDate | None = None
    """The day the team started, when known (Article 3 asks for more than one year of running)."""
    venue: Text = ""
    """The studio's fixed venue (固定场所), as recorded; ``无`` records that it has none."""
    funds_per_year: int | None = Field(default=None, ge=0)
    """Dedicated funds (专项经费), RMB a year; 0 records that it has none."""
    leader_id: Key | None = None
    employer_id: Key | None = None
    union_id: Key | None = None
    trade_codes: SortedKeys = ()
    industry_code: Key | None = None
    segment_ids: SortedKeys = ()
    project_ids: SortedKeys = ()
    inferred_industry_code: Key | None = None
    """Proposed by ingest's classifier where the union entered no industry; never overrides one."""
    inferred_trade_codes: SortedKeys = ()
    inferred_segment_ids: SortedKeys = ()
    inferred_confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    inferred_basis: Text = ""
    """The words the classification rests on, for a person to check."""
    extra: dict[str, str] = Field(default_factory=dict)
    """Columns the union keeps that the model has no field for, kept as they were given."""

    @model_validator(mode="after")
    def _years_in_order(self) -> Self:
        if self.founded_on and self.founded_year and int(self.founded_on[:4]) != self.founded_year:
            raise ValueError(f"founded on {self.founded_on} but founded_year is {self.founded_year}")
        if self.founded_year and self.named_year and self.founded_year > self.named_year:
            raise ValueError(f"founded_year {self.founded_year} is after named_year {self.named_year}")
        return self

    @property
    def is_live(self) -> bool:
        """Delisted and flagged studios are never suggested as partners (Article 9)."""
        return self.status is StudioStatus.ACTIVE

    @property
    def effective_trades(self) -> tuple[str, ...]:
        """The trades entered (填报的工种), else those inferred from the studio's own words."""
        return self.trade_codes or self.inferred_trade_codes

    @property
    def effective_industry(self) -> str | None:
        """The industry entered, else the one inferred from the employer's name and the expertise."""
        return self.industry_code or self.inferred_industry_code

    @property
    def effective_segments(self) -> tuple[str, ...]:
        """The chain segments entered, else those inferred."""
        return self.segment_ids or self.inferred_segment_ids

    def delisted(self, reason: str = "") -> Studio:
        """This studio delisted (摘牌, Article 9) this year, with a reason."""
        return Studio.model_validate(
            {**self.model_dump(), "status": StudioStatus.DELISTED, "status_reason": reason.strip(),
             "delisted_year": this_year()}
        )  # fmt: skip


class ModelWorker(Node):
    """A model worker (劳动模范) who leads studios (领衔人)."""

    label: ClassVar[str] = "ModelWorker"

    id: Key
    name: Name
    honours: tuple[Name, ...] = ()
    status: WorkerStatus = WorkerStatus.SERVING
    status_year: Year = None
    """The year the leader retired, left or died, when known (Article 9 acts from that year on)."""

    @property
    def honour_level(self) -> HonourLevel:
        return honour_level(self.honours)

    def has_left_by(self, year: int) -> bool:
        """Article 9: the leader retired, left or died in ``year`` or before; a status recorded
        without a year counts as now (a retirement after ``year`` waits for its year)."""
        return self.status is not WorkerStatus.SERVING and (self.status_year is None or self.status_year <= year)


class Employer(Node):
    """The unit that hosts a studio (所在单位)."""

    label: ClassVar[str] = "Employer"

    id: Key
    name: Name
    district: Name | None = None
    industry_code: Key | None = None


class Union(Node):
    """A trade union: the municipal union, or a district or industry union (区局（产业）工会)."""

    label: ClassVar[str] = "Union"

    id: Key
    name: Name
    kind: UnionKind = UnionKind.DISTRICT
    district: Name | None = None
    parent_id: Key | None = None
    """The union this one is ``PART_OF`` (the municipal union for district and industry unions)."""


class Trade(Node):
    """A trade or occupation (工种), keyed by its 2022 national occupation code where one exists."""

    label: ClassVar[str] = "Trade"
    key_field: ClassVar[str] = "code"

    code: Key
    name: Name
    occupation_code: str | None = Field(default=None, pattern=r"^\d-\d{2}-\d{2}-\d{2}$")
    category: str = ""
    aliases: tuple[Name, ...] = ()


class Industry(Node):
    """A GB/T 4754-2017 industry at any level, ``SUBCLASS_OF`` its parent."""

    label: ClassVar[str] = "Industry"
    key_field: ClassVar[str] = "code"

    code: Key = Field(pattern=r"^([A-T]|\d{2}|\d{3}|\d{4})$")
    name: Name
    level: IndustryLevel
    parent_code: Key | None = None

    @model_validator(mode="after")
    def _level_matches_code(self) -> Self:
        expected = {1: IndustryLevel.SECTION, 2: IndustryLevel.DIVISION, 3: IndustryLevel.GROUP}.get(
            len(self.code), IndustryLevel.CLASS
        )
        if self.level is not expected:
            raise ValueError(f"code {self.code!r} is a {expected.value}, not a {self.level.value}")
        if (self.parent_code is None) != (self.level is IndustryLevel.SECTION):
            raise ValueError("every level but a section has a parent, and a section has none")
        return self


class Chain(Node):
    """An industry chain (产业链) of Shanghai's "3+6" system."""

    label: ClassVar[str] = "Chain"

    id: Key
    name: Name
    name_en: str = ""
    tier: ChainTier = ChainTier.KEY
    priority: int = Field(default=100, ge=1)
    """1 is the highest: the key industries of high-end manufacturing come first (Article 12)."""


class Segment(Node):
    """A segment (环节) of a chain; segments supply each other upstream → downstream."""

    label: ClassVar[str] = "Segment"

    id: Key
    name: Name
    name_en: str = ""
    chain_id: Key
    stage: Stage = Stage.MIDSTREAM
    industry_codes: SortedKeys = ()
    keywords: tuple[Name, ...] = ()


class Alliance(Node):
    """An alliance (联盟) of studios (Article 12)."""

    label: ClassVar[str] = "Alliance"

    id: Key
    name: Name
    kind: AllianceKind
    status: AllianceStatus = AllianceStatus.PROPOSED
    member_ids: SortedKeys = ()
    lead_studio_id: Key | None = None
    founded_year: Year = None
    chain_id: Key | None = None
    project_id: Key | None = None
    note: Text = ""
    former_member_ids: SortedKeys = ()
    """Studios that left (a delisted studio leaves every live alliance, Article 9); kept as history."""
    score: float | None = Field(default=None, ge=0.0, le=1.0)
    """For a computed proposal: its score (cohesion, or coverage for chain and project alliances)."""
    reasons: tuple[Text, ...] = ()
    """For a computed proposal: why these studios, in Chinese."""
    covered: tuple[Key, ...] = ()
    """Chain and project alliances: segment ids (and ``能力:`` capabilities) the members cover."""
    uncovered: tuple[Key, ...] = ()
    """… and those nobody in the alliance covers."""

    @model_validator(mode="after")
    def _lead_is_member(self) -> Self:
        if self.lead_studio_id is not None and self.lead_studio_id not in self.member_ids:
            raise ValueError(f"lead studio {self.lead_studio_id!r} is not a member")
        if set(self.former_member_ids) & set(self.member_ids):
            raise ValueError("a studio cannot be both a member and a former member")
        return self

    @property
    def is_live(self) -> bool:
        return self.status.is_live


def _timestamp(value: str) -> str:
    try:
        parsed = _dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not an ISO 8601 time") from exc
    if parsed.tzinfo is None:
        raise ValueError("a time must carry its UTC offset")
    return stamp(parsed)


Timestamp = Annotated[str, AfterValidator(_timestamp)]
"""A moment as ISO 8601 text in UTC, to the microsecond (``2026-11-25T08:30:00.000000Z``), so that
both stores keep it alike and text order is time order."""


def stamp(moment: _dt.datetime) -> str:
    """A :data:`Timestamp` for an aware datetime."""
    return moment.astimezone(_dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def moment_of(timestamp: str) -> _dt.datetime:
    """The aware datetime a :data:`Timestamp` stands for."""
    return _dt.datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


def now() -> str:
    return stamp(_dt.datetime.now(_dt.UTC))


class AllianceEvent(Node):
    """One step in an alliance's history: who did what, when (proposed, accepted, rejected,
    dissolved, a member leaving)."""

    label: ClassVar[str] = "AllianceEvent"

    id: Key
    alliance_id: Key
    action: AllianceAction
    actor: Name
    at: Timestamp
    studio_ids: tuple[Key, ...] = ()
    """The studios the step concerns (the member who left)."""
    note: Text = ""


class LedgerKind(StrEnum):
    """Article 8's three ledgers (台帐)."""

    ACTIVITY = "activity"  # 活动台帐: training, exchange, master–apprentice (Article 5)
    RESULT = "result"  # 创新成果台帐
    MEMBER = "member"  # 成员发展台帐


class LedgerEntry(Node):
    """One line of a studio's ledger (Article 8): an activity, a result, or a member's development."""

    label: ClassVar[str] = "LedgerEntry"

    id: Key
    studio_id: Key
    kind: LedgerKind
    year: int = Field(ge=1949, le=2100)
    date: IsoDate | None = None
    title: Name
    detail: Text = ""
    benefit: Text = ""
    """For a result: its economic and social benefit (经济社会效益), as recorded (Article 3 (4))."""
    benefit_amount: float | None = Field(default=None, ge=0)
    """… and in money, 10,000 RMB (万元), when given."""
    innovation_type: Text = ""
    """Technology, management, service or institutional innovation (Article 4)."""
    award: Text = ""
    """An award the result won or was recommended for (Article 11)."""
    recognised_project: bool = False
    """A result that is a recognised innovation or tackling project (攻关项目, Article 3 (3))."""


class FundingSource(StrEnum):
    """Who paid (Article 10)."""

    MUNICIPAL = "municipal"  # 市总工会 one-off subsidy
    UNION = "union"  # 区局（产业）工会 match
    EMPLOYER = "employer"  # 所在单位


class Funding(Node):
    """Money a studio received (Article 10): the municipal union's subsidy, the district/industry
    union's match, the employer's funds."""

    label: ClassVar[str] = "Funding"

    id: Key
    studio_id: Key
    year: int = Field(ge=1949, le=2100)
    source: FundingSource
    amount: int = Field(ge=0)
    """RMB."""
    note: Text = ""


class AuditEntry(Node):
    """One recorded write: who changed what, when (status changes of the yearly assessment, and
    every write through the API)."""

    label: ClassVar[str] = "AuditEntry"

    id: Key
    at: Timestamp
    actor: Name
    action: Name
    """What was done, e.g. ``studio.delist``, ``studio.flag``."""
    subject_label: Name
    subject_key: Key
    note: Text = ""

    @classmethod
    def of(cls, actor: str, action: str, label: str, key: str, note: str = "", *, at: str | None = None) -> Self:
        """An entry stamped now (or ``at``), its id derived from action, subject and time."""
        at = at or now()
        digest = hashlib.sha1(f"{action}|{key}|{at}".encode(), usedforsecurity=False).hexdigest()
        return cls(
            id=f"au-{digest[:16]}", at=at, actor=actor, action=action, subject_label=label, subject_key=key, note=note
        )


class Role(StrEnum):
    """Who an API key speaks for (Articles 13–17: unions at every level, and the studios)."""

    MUNICIPAL = "municipal"  # 市总工会: everything
    UNION = "union"  # 区局（产业）工会: writes its own studios and their alliances, reads all
    STUDIO = "studio"  # 工作室: reads, edits its own expertise and needs


def check_scope(role: Role, union_id: str | None, studio_id: str | None, what: str) -> None:
    """A union's key or account, and only that, names its union; a studio's, its studio."""
    if (role is Role.UNION) != (union_id is not None):
        raise ValueError(f"a union {what}, and only a union {what}, names its union")
    if (role is Role.STUDIO) != (studio_id is not None):
        raise ValueError(f"a studio {what}, and only a studio {what}, names its studio")


class ApiKey(Node):
    """An API key: only a digest of its secret is kept (the secret is shown once, at creation)."""

    label: ClassVar[str] = "ApiKey"
    secret_fields: ClassVar[frozenset[str]] = frozenset({"digest"})

    id: Key
    name: Name
    role: Role
    union_id: Key | None = None
    studio_id: Key | None = None
    digest: str = Field(pattern=r"^[0-9a-f]{64}$")
    """SHA-256 of the secret (the secret is 256 random bits: a salted slow hash adds nothing)."""
    created_at: Timestamp
    revoked_at: Timestamp | None = None
    sessions_after: Timestamp | None = None
    """Console sessions signed in with this key before this moment have ended (signing out)."""

    @model_validator(mode="after")
    def _scope_fits_role(self) -> Self:
        check_scope(self.role, self.union_id, self.studio_id, "key")
        return self


class RankingModel(Node):
    """Suggestion weights learned from the store's own outcomes by ``alliances tune``: a versioned
    model kept with the store's data (so an export or backup carries it), with when it was trained,
    on how much, and how it did against the hand weights on a time split. ``suggest`` uses the
    learned weights of a kind only when that kind is in ``adopted`` (it beat the hand weights)."""

    label: ClassVar[str] = "RankingModel"

    id: Key
    version: int = Field(ge=1)
    trained_at: Timestamp
    trained_by: Name
    method: Text = ""
    weights: Text
    """JSON: kind → component → weight (each kind's weights sum to 1)."""
    counts: Text = ""
    """JSON: kind → positives, negatives and studios the kind was trained and tested on."""
    backtest: Text = ""
    """JSON: kind → hand and learned hits@10 and MRR on the later period, the years of the split."""
    adopted: SortedKeys = ()
    """The kinds whose learned weights beat the hand weights on the backtest."""


Login = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._@-]{1,63}$")]
"""A sign-in name: 2–64 lower-case letters, digits and ``. _ @ -``, starting with a letter or digit."""


class User(Node):
    """A person's console account (账户): a login name and a password, kept only as an argon2id hash,
    with the role and scope of an API key (Articles 13–17). ``sessions_after`` ends every session
    that began before it (set by signing out, a password change, a reset and disabling)."""

    label: ClassVar[str] = "User"
    secret_fields: ClassVar[frozenset[str]] = frozenset({"password_hash"})

    id: Login
    name: Name
    role: Role
    union_id: Key | None = None
    studio_id: Key | None = None
    password_hash: str = Field(min_length=1, max_length=500)
    must_change: bool = False
    """A one-time password (a reset, or set by the administrator): change it at the next sign-in."""
    created_at: Timestamp
    created_by: Name
    disabled_at: Timestamp | None = None
    sessions_after: Timestamp | None = None
    failures: tuple[Timestamp, ...] = ()
    """The wrong passwords of the lock-out window, oldest first."""
    locked_until: Timestamp | None = None

    @model_validator(mode="after")
    def _scope_fits_role(self) -> Self:
        check_scope(self.role, self.union_id, self.studio_id, "account")
        return self


class SignInGuard(Node):
    """The wrong passwords sent from one address (its id: a digest of the address) in the lock-out
    window, kept so that every worker counts them alike."""

    label: ClassVar[str] = "SignInGuard"

    id: Key
    failures: tuple[Timestamp, ...] = ()
    locked_until: Timestamp | None = None


class ServerSecret(Node):
    """A random secret the server signs console sessions with, made once per store and shared by
    every worker (so sessions survive a restart); never exported without ``--with-secrets``."""

    label: ClassVar[str] = "ServerSecret"
    secret_fields: ClassVar[frozenset[str]] = frozenset({"value"})

    id: Key
    value: str = Field(pattern=r"^[0-9a-f]{64}$")
    created_at: Timestamp


class Project(Node):
    """A key project or major engineering (重点项目 / 重大工程) and the capabilities it needs."""

    label: ClassVar[str] = "Project"

    id: Key
    name: Name
    chain_id: Key | None = None
    segment_ids: SortedKeys = ()
    capabilities: Text = ""
    lead_union_id: Key | None = None
    year: Year = None


class Link(Record):
    """A record stored as one relationship with properties (not owned by either end)."""

    from_field: ClassVar[str]
    to_field: ClassVar[str]
    merge_fields: ClassVar[tuple[str, ...]] = ()
    """Properties that, with both ends, identify the relationship (so two years are two records)."""

    @property
    def ends(self) -> tuple[str, str]:
        return str(getattr(self, self.from_field)), str(getattr(self, self.to_field))

    @property
    def identity(self) -> tuple[Any, ...]:
        return (*self.ends, *(getattr(self, f) for f in self.merge_fields))


class Supplies(Link):
    """``(upstream:Segment)-[:SUPPLIES {weight}]->(downstream:Segment)``; weight in (0, 1]."""

    label: ClassVar[str] = "SUPPLIES"
    from_field: ClassVar[str] = "upstream_id"
    to_field: ClassVar[str] = "downstream_id"

    upstream_id: Key
    downstream_id: Key
    weight: float = Field(default=1.0, gt=0.0, le=1.0)

    @model_validator(mode="after")
    def _not_a_loop(self) -> Self:
        if self.upstream_id == self.downstream_id:
            raise ValueError("a segment cannot supply itself")
        return self


class Collaboration(Link):
    """Past joint work of two studios in a year. Symmetric: stored with the smaller id first."""

    label: ClassVar[str] = "COLLABORATED_WITH"
    from_field: ClassVar[str] = "studio_a"
    to_field: ClassVar[str] = "studio_b"
    merge_fields: ClassVar[tuple[str, ...]] = ("year",)

    studio_a: Key
    studio_b: Key
    year: int = Field(ge=1949, le=2100)
    title: Text = ""

    @model_validator(mode="before")
    @classmethod
    def _order_ends(cls, data: Any) -> Any:
        if isinstance(data, dict):
            a, b = data.get("studio_a"), data.get("studio_b")
            if isinstance(a, str) and isinstance(b, str) and a.strip() > b.strip():
                data = {**data, "studio_a": b, "studio_b": a}
        return data

    @model_validator(mode="after")
    def _two_studios(self) -> Self:
        if self.studio_a == self.studio_b:
            raise ValueError("a studio cannot collaborate with itself")
        return self


NODE_KINDS: tuple[type[Node], ...] = (
    Industry,
    Trade,
    Chain,
    Segment,
    Union,
    Employer,
    ModelWorker,
    Project,
    Studio,
    Alliance,
    AllianceEvent,
    LedgerEntry,
    Funding,
    AuditEntry,
    ApiKey,
    RankingModel,
    User,
    SignInGuard,
    ServerSecret,
)
"""Every node kind, in an order where a kind only points at kinds before it (or at itself)."""

LINK_KINDS: tuple[type[Link], ...] = (Supplies, Collaboration)

KIND_BY_LABEL: dict[str, type[Record]] = {k.label: k for k in (*NODE_KINDS, *LINK_KINDS)}
