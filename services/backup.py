"""Backup and move (:mod:`graph.backup`): export every record of a store to one file, and import such a
file into an empty store of either kind. Only the municipal union may do either: an export holds
every union's data. Each is audited: the export after its file is whole, the import in the same write
as its records."""

from __future__ import annotations

import os

from graph import backup
from graph.backup import ExportSummary, ImportSummary
from graph.store import BaseStore

from .policy import Actor, require_municipal


def export_store(
    store: BaseStore, actor: Actor, path: str | os.PathLike[str], *, with_secrets: bool = False
) -> ExportSummary:
    """Write every record of ``store`` to ``path``; secrets (key digests, password hashes) only
    ``with_secrets``."""
    require_municipal(actor)
    return backup.export_store(store, path, actor=actor.name, with_secrets=with_secrets)


def import_store(store: BaseStore, actor: Actor, path: str | os.PathLike[str]) -> ImportSummary:
    """Load the export at ``path`` into the empty ``store``, all or nothing."""
    require_municipal(actor)
    return backup.import_export(store, path, actor=actor.name)
