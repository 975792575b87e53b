"""The audit trail: who changed what, when — for the municipal union."""

from __future__ import annotations

from graph.model import AuditEntry
from graph.store import BaseStore

from .policy import Actor, require_municipal


def audit_trail(
    store: BaseStore, actor: Actor, *, subject: str | None = None, limit: int | None = None
) -> list[AuditEntry]:
    """Every audit entry (about ``subject``, when given), newest first."""
    require_municipal(actor)
    entries = [e for e in store.list(AuditEntry) if subject is None or e.subject_key == subject]
    entries.sort(key=lambda e: (e.at, e.id), reverse=True)
    return entries if limit is None else entries[:limit]
