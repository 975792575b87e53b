"""A studio named by a person: by its id, else by its exact name. Written once, for every door
(``alliances suggest 李斌劳模创新工作室``, the console's what-if form, a roster's collaboration row).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


class StudioLookup:
    """Studios by id and by exact name, indexed once."""

    def __init__(self, studios: Iterable[tuple[str, str]]) -> None:
        """``studios``: (id, name) pairs."""
        self._ids: set[str] = set()
        by_name: dict[str, list[str]] = defaultdict(list)
        for studio_id, name in studios:
            self._ids.add(studio_id)
            by_name[name].append(studio_id)
        self._by_name = dict(by_name)

    def matches(self, text: str) -> list[str]:
        """The ids ``text`` may mean: itself when it is an id, else every studio of that exact name."""
        return [text] if text in self._ids else list(self._by_name.get(text, ()))

    def one(self, text: str) -> str:
        """The one studio ``text`` names; :class:`KeyError` when none does, :class:`ValueError`
        (naming the candidates) when several studios share the name."""
        found = self.matches(text)
        if not found:
            raise KeyError(text)
        if len(found) > 1:
            raise ValueError(f"several studios are named {text!r}: {', '.join(found)} / 多个工作室同名，请用编号")
        return found[0]
