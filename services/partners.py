"""Partners (伙伴, Article 12): for one studio, named by id or exact name, the best partners of each
kind — same trade, same industry, across fields, up and down a chain — each with its score and its
reasons, on a :class:`services.fits.Fit`. A studio that takes no part in matching (Article 9) gets
none, and says why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graph.errors import Invalid, NotFound
from graph.exclusion import Exclusion, exclusions_now
from graph.model import AllianceKind, Studio, this_year
from graph.store import BaseStore
from matching.suggest import KINDS, Filters, Suggestion

from .fits import Fit


@dataclass(frozen=True)
class Partners:
    studio_id: str
    studio_name: str
    excluded: Exclusion | None
    """Why the studio takes no part in matching, or None."""
    by_kind: dict[AllianceKind, list[Suggestion]]

    def all(self) -> list[Suggestion]:
        return [s for found in self.by_kind.values() for s in found]


def partners(
    fit: Fit,
    studio: str,
    kinds: Sequence[AllianceKind] | None = None,
    top: int = 10,
    *,
    filters: Filters | None = None,
    include_allied: bool = False,
    store: BaseStore | None = None,
) -> Partners:
    """The ``top`` partners of each kind (default every kind) of ``studio``. An unknown studio is
    :class:`NotFound`; a name several studios share is :class:`Invalid`.

    With ``store``, the partners are checked against the records as they are now (a few lookups by
    key): a partner delisted, or whose leader left, since the fit — by another worker of the server,
    or a command — is dropped, so an older fit never sends anyone to it (Article 9)."""
    suggester = fit.suggester
    try:
        row = suggester.studio_row(studio)
    except KeyError:
        raise NotFound("Studio", studio) from None
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    features = suggester.features_
    studio_id = features.ids[row]
    chosen = [k for k in (kinds or KINDS) if k in KINDS]
    asked = top + 5 if store is not None else top  # a few spare, for partners dropped below
    found = {k: suggester.suggest(studio_id, k, asked, filters, include_allied=include_allied) for k in chosen}
    excluded = suggester.exclusion(studio_id)
    if store is not None:
        ids = sorted({studio_id, *(s.partner_id for f in found.values() for s in f)})
        gone = exclusions_now(store, store.get_many(Studio, ids).values(), this_year())
        excluded = excluded or gone.get(studio_id)
        found = {k: [] if excluded else [s for s in f if s.partner_id not in gone][:top] for k, f in found.items()}
    return Partners(studio_id, features.names[row], excluded, found)
