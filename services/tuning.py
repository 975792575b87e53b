"""Learning the suggestion weights (学习推荐权重) from the store's outcomes — past collaborations and
alliances accepted or rejected — backtested against the hand weights on a time split
(:mod:`matching.tune`). The municipal union's job; the model is stored with its audit entry in one
write, and every fit after it uses the learned weights where they did better."""

from __future__ import annotations

from graph.model import AllianceEvent, AuditEntry, RankingModel
from graph.store import BaseStore
from matching.tune import Tuner, TuneReport, latest

from .policy import Actor, require_municipal


def tune(store: BaseStore, actor: Actor, *, dry_run: bool = False) -> TuneReport:
    """Learn and backtest the next version of the ranking model; store it unless ``dry_run``."""
    require_municipal(actor)
    previous = latest(store.list(RankingModel))
    version = previous.version + 1 if previous else 1
    report = Tuner().tune(store.projection(), store.list(AllianceEvent), version=version, actor=actor.name)
    model = report.model
    if model is not None and not dry_run:
        note = f"v{model.version}: adopted {', '.join(model.adopted) or 'none'}"
        store.write([model, AuditEntry.of(actor.name, "ranking.tune", "RankingModel", model.id, note)])
    return report
