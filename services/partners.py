"""Partners (伙伴, Article 12): for one studio, named by id or exact name, the best partners of each
kind — same trade, same industry, across fields, up and down a chain — each with its score and its
reasons, on a :class:`services.fits.Fit`. A studio that takes no part in matching (Article 9) gets
none, and says why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graph.errors import Invalid, NotFound
from graph.exclusion import Exclusion
from graph.model import AllianceKind
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
) -> Partners:
    """The ``top`` partners of each kind (default every kind) of ``studio``. An unknown studio is
    :class:`NotFound`; a name several studios share is :class:`Invalid`."""
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
    found = {k: suggester.suggest(studio_id, k, top, filters, include_allied=include_allied) for k in chosen}
    return Partners(studio_id, features.names[row], suggester.exclusion(studio_id), found)
