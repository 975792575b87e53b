"""The embedded store: the graph in memory on networkx, persisted to one JSON-lines file.

Every write is committed by writing the whole graph to a temporary file beside the store file,
``fsync``-ing it, and renaming it over the old file (then ``fsync``-ing the folder), so a crash at any
moment leaves either the old state or the new one on disk, never a mix. Writers take an exclusive
``flock`` on ``<file>.lock`` and reload first if another process committed since, so a server and a
command line can share one file without losing each other's writes.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, Concatenate, ParamSpec, TypeVar

import networkx as nx
import orjson

from .errors import StoreUnavailable
from .model import Link, Node
from .schema import LINK_SPECS, REL_TYPES, SPECS, LinkSpec, NodeSpec, Props
from .store import DEFAULT_BATCH_SIZE, BaseStore, NodeRef, RelRef, StudioFilter, Subgraph, touches_projection

FORMAT = "studio-alliances/filestore"
VERSION = 1

NodeId = tuple[str, str]
P = ParamSpec("P")
R = TypeVar("R")


def _guarded(method: Callable[Concatenate[FileStore, P], R]) -> Callable[Concatenate[FileStore, P], R]:
    """Run a read under the store's in-process mutex: a write in another thread of the same process
    (a server's request while a background refit reads the projection) mutates the graph in place."""

    @functools.wraps(method)
    def guarded(store: FileStore, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with store._mutex:
            return method(store, *args, **kwargs)

    return guarded


class FileStore(BaseStore):
    """:class:`graph.store.BaseStore` kept in memory (networkx) and saved atomically to ``path``.

    Parameters
    ----------
    path:
        The store file; created (with its folder) on the first write.
    batch_size:
        Records applied per chunk, counted in :attr:`stats` ``.queries`` like Neo4j statements.
    """

    def __init__(self, path: str | os.PathLike[str], *, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        super().__init__(batch_size=batch_size)
        self.path = Path(path).expanduser().absolute()
        self._lock_path = self.path.with_name(self.path.name + ".lock")
        self._mutex = threading.RLock()
        """Threads of this process: one writes or reads at a time (``flock`` orders processes)."""
        self._graph: nx.MultiDiGraph[NodeId] = nx.MultiDiGraph()
        self._by_label: dict[str, dict[str, NodeId]] = {label: {} for label in SPECS}
        self._signature: tuple[int, int, int] | None = None
        self._version = 0
        """Counts the writes that changed the projection (kept in the file's header)."""
        self._matched: tuple[tuple[StudioFilter, tuple[int, int, int] | None], list[str]] | None = None
        self._counted: tuple[tuple[int, int, int] | None, dict[str, int]] | None = None
        self._refresh()

    @property
    def location(self) -> str:
        return str(self.path)

    # -- file handling ------------------------------------------------------------------------
    def _file_signature(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _refresh(self) -> None:
        """Reload if the file changed since we last read or wrote it (another process committed)."""
        signature = self._file_signature()
        if signature != self._signature:
            self._load()

    def _load(self) -> None:
        graph: nx.MultiDiGraph[NodeId] = nx.MultiDiGraph()
        by_label: dict[str, dict[str, NodeId]] = {label: {} for label in SPECS}
        signature = self._file_signature()
        version = 0
        if signature is not None:
            try:
                with open(self.path, "rb") as fh:
                    header = orjson.loads(fh.readline() or b"null")
                    if not isinstance(header, dict) or header.get("format") != FORMAT:
                        raise StoreUnavailable(f"{self.path} is not a studio-alliances store file")
                    if header.get("version") != VERSION:
                        found = header.get("version")
                        raise StoreUnavailable(f"{self.path} has store format {found}, this program reads {VERSION}")
                    version = int(header.get("projection_version", 0))
                    for number, line in enumerate(fh, start=2):
                        item = orjson.loads(line)
                        if item[0] == "N":
                            _, label, key, props = item
                            node = (label, key)
                            graph.add_node(node, **props)
                            by_label[label][key] = node
                        elif item[0] == "R":
                            _, rel_type, slabel, skey, tlabel, tkey, ident, props = item
                            graph.add_edge((slabel, skey), (tlabel, tkey), key=(rel_type, *ident), **props)
                        else:
                            raise StoreUnavailable(f"{self.path} line {number}: not a node or a relationship")
            except (OSError, orjson.JSONDecodeError, ValueError, KeyError) as exc:
                raise StoreUnavailable(f"cannot read store file {self.path}: {exc}") from exc
        self._graph, self._by_label, self._signature, self._version = graph, by_label, signature, version

    def _write_lines(self, fh: BinaryIO) -> None:
        """The store as JSON lines (a header, then one node or relationship a line), streamed:
        no second copy of the graph is built in memory to save it."""
        fh.write(orjson.dumps({"format": FORMAT, "version": VERSION, "projection_version": self._version}) + b"\n")
        nodes = self._graph.nodes
        for label in SPECS:
            for key, node in self._by_label[label].items():
                fh.write(orjson.dumps(["N", label, key, nodes[node]]) + b"\n")
        for s, t, ekey, props in self._graph.edges(keys=True, data=True):
            fh.write(orjson.dumps(["R", ekey[0], s[0], s[1], t[0], t[1], list(ekey[1:]), props]) + b"\n")

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb", buffering=1 << 20) as fh:
                self._write_lines(fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
            _fsync_dir(self.path.parent)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        self._signature = self._file_signature()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._mutex:
            try:
                fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise StoreUnavailable(f"cannot open lock file {self._lock_path}: {exc}") from exc
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                self._refresh()
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """Apply changes in memory and commit them to the file; on any failure, reload the file."""
        with self._locked():
            try:
                yield
                self._save()
            except BaseException:
                self._load()
                raise
            self.stats.transactions += 1

    # -- primitives ----------------------------------------------------------------------------
    def _targets(self, spec: NodeSpec, node: NodeId) -> dict[str, list[str]]:
        found: dict[tuple[bool, str, str], list[str]] = {}
        if any(not rel.incoming for rel in spec.rels):
            for other, keyed in self._graph.succ[node].items():
                for ekey in keyed:
                    found.setdefault((False, ekey[0], other[0]), []).append(other[1])
        if any(rel.incoming for rel in spec.rels):
            for other, keyed in self._graph.pred[node].items():
                for ekey in keyed:
                    found.setdefault((True, ekey[0], other[0]), []).append(other[1])
        return {rel.field: sorted(found.get((rel.incoming, rel.type, rel.target), [])) for rel in spec.rels}

    @_guarded
    def _fetch_nodes(self, spec: NodeSpec, keys: Sequence[str] | None) -> list[tuple[Props, dict[str, list[str]]]]:
        self._refresh()
        index = self._by_label[spec.label]
        nodes = index.values() if keys is None else [index[k] for k in keys if k in index]
        return [(dict(self._graph.nodes[n]), self._targets(spec, n)) for n in nodes]

    @_guarded
    def _fetch_links(self, spec: LinkSpec) -> list[tuple[str, str, Props]]:
        self._refresh()
        out = []
        for s, t, ekey, props in self._graph.edges(keys=True, data=True):
            if ekey[0] == spec.type and s[0] == spec.source and t[0] == spec.target:
                out.append((s[1], t[1], dict(props)))
        return out

    @_guarded
    def _existing_keys(self, label: str, keys: Sequence[str]) -> set[str]:
        self._refresh()
        index = self._by_label[label]
        return {k for k in keys if k in index}

    @_guarded
    def _keys_by_name(self, label: str, names: Sequence[str]) -> list[tuple[str, str]]:
        self._refresh()
        wanted = set(names)
        g = self._graph
        return [
            (g.nodes[n].get("name"), k) for k, n in self._by_label[label].items() if g.nodes[n].get("name") in wanted
        ]

    def _apply(self, nodes: dict[str, list[tuple[Node, bool]]], links: dict[str, list[Link]]) -> None:
        g = self._graph
        with self._transaction():
            if touches_projection([*nodes, *links]):
                self._version += 1
            for label, changes in nodes.items():
                spec = SPECS[label]
                for chunk_start in range(0, len(changes), self.batch_size):
                    self.stats.queries += 1
                    for record, _existed in changes[chunk_start : chunk_start + self.batch_size]:
                        node = (label, record.key)
                        props = spec.to_props(record)
                        if node in g:
                            attrs = g.nodes[node]
                            attrs.clear()
                            attrs.update(props)
                        else:
                            g.add_node(node, **props)
                            self._by_label[label][record.key] = node
            for label, changes in nodes.items():
                spec = SPECS[label]
                for record, existed in changes:
                    node = (label, record.key)
                    targets = spec.to_targets(record)
                    for rel in spec.rels:
                        if existed:
                            edges = g.in_edges(node, keys=True) if rel.incoming else g.out_edges(node, keys=True)
                            stale = [
                                (s, t, k)
                                for s, t, k in edges
                                if k[0] == rel.type and (s if rel.incoming else t)[0] == rel.target
                            ]
                            g.remove_edges_from(stale)
                        for target in targets[rel.field]:
                            other = (rel.target, target)
                            if rel.incoming:
                                g.add_edge(other, node, key=(rel.type,))
                            else:
                                g.add_edge(node, other, key=(rel.type,))
            for rel_type, changed in links.items():
                lspec = LINK_SPECS[rel_type]
                for chunk_start in range(0, len(changed), self.batch_size):
                    self.stats.queries += 1
                    for link in changed[chunk_start : chunk_start + self.batch_size]:
                        source, target = link.ends
                        ekey = (rel_type, *(getattr(link, f) for f in lspec.merge_fields))
                        s, t = (lspec.source, source), (lspec.target, target)
                        if g.has_edge(s, t, ekey):
                            g.remove_edge(s, t, ekey)
                        g.add_edge(s, t, key=ekey, **lspec.to_props(link))

    def _matching_studios(self, where: StudioFilter) -> list[str]:
        """Keys of the studios matching ``where``; the last answer is kept until the file changes
        (a page counts, then lists: one scan of 150,000 studios instead of two)."""
        self._refresh()
        memo = self._matched
        if memo is not None and self._signature is not None and memo[0] == (where, self._signature):
            return memo[1]
        out = self._scan_studios(where)
        self._matched = ((where, self._signature), out)
        return out

    def _scan_studios(self, where: StudioFilter) -> list[str]:
        g = self._graph
        industries: set[str] | None = None
        if where.industry is not None:
            industries = self._industry_descendants(where.industry)
        chain_segments: set[str] | None = None
        if where.chain is not None:
            chain_node = ("Chain", where.chain)
            chain_segments = (
                {s[1] for s, _, k in g.in_edges(chain_node, keys=True) if k[0] == "PART_OF" and s[0] == "Segment"}
                if chain_node in g
                else set()
            )
        out = []
        for key, node in self._by_label["Studio"].items():
            props = g.nodes[node]
            if where.status is not None and props.get("status") != where.status.value:
                continue
            if where.level is not None and props.get("level") != where.level.value:
                continue
            if where.district is not None and props.get("district") != where.district:
                continue
            if where.name is not None and where.name not in props.get("name", ""):
                continue
            if not self._related(node, "BELONGS_TO", "Union", where.union):
                continue
            if not self._related(node, "PRACTISES", "Trade", where.trade):
                continue
            if not self._related(node, "WORKS_IN", "Segment", where.segment):
                continue
            if industries is not None and not self._out_keys(node, "IN_INDUSTRY", "Industry") & industries:
                continue
            if chain_segments is not None and not self._out_keys(node, "WORKS_IN", "Segment") & chain_segments:
                continue
            out.append(key)
        return sorted(out)

    def _out_keys(self, node: NodeId, rel_type: str, label: str) -> set[str]:
        return {t[1] for _, t, k in self._graph.out_edges(node, keys=True) if k[0] == rel_type and t[0] == label}

    def _related(self, node: NodeId, rel_type: str, label: str, key: str | None) -> bool:
        return key is None or self._graph.has_edge(node, (label, key), (rel_type,))

    def _industry_descendants(self, code: str) -> set[str]:
        g = self._graph
        start = ("Industry", code)
        if start not in g:
            return set()
        seen = {code}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for child, _, k in g.in_edges(node, keys=True):
                if k[0] == "SUBCLASS_OF" and child[1] not in seen:
                    seen.add(child[1])
                    queue.append(child)
        return seen

    @_guarded
    def _studio_keys(self, where: StudioFilter, limit: int | None, offset: int) -> list[str]:
        keys = self._matching_studios(where)
        return keys[offset : None if limit is None else offset + limit]

    @_guarded
    def _count_studios(self, where: StudioFilter) -> int:
        return len(self._matching_studios(where))

    def _ref(self, node: NodeId) -> NodeRef:
        return NodeRef(node[0], node[1], str(self._graph.nodes[node].get("name", "")))

    @_guarded
    def _neighbourhood(self, label: str, key: str, depth: int, limit: int) -> Subgraph:
        self._refresh()
        g = self._graph
        center = (label, key)
        hops: dict[NodeId, int] = {center: 0}
        frontier = [center]
        truncated = False
        for hop in range(1, depth + 1):
            found: set[NodeId] = set()
            for node in frontier:
                found.update(n for n in g.successors(node) if n not in hops)
                found.update(n for n in g.predecessors(node) if n not in hops)
            ordered = sorted(found)
            room = limit - (len(hops) - 1)
            if len(ordered) > room:
                ordered, truncated = ordered[:room], True
            for n in ordered:
                hops[n] = hop
            frontier = ordered
            if truncated:
                break
        rels = [
            RelRef(s, ekey[0], t, tuple(sorted(props.items())))
            for s, t, ekey, props in g.edges(list(hops), keys=True, data=True)
            if t in hops
        ]
        nodes = sorted((h, self._ref(n)) for n, h in hops.items() if n != center)
        return Subgraph(self._ref(center), tuple(nodes), tuple(sorted(rels)), truncated)

    def _delete(self, label: str, keys: Sequence[str]) -> int:
        with self._transaction():
            present = [k for k in keys if k in self._by_label[label]]
            if present and touches_projection([label]):
                self._version += 1
            self.stats.queries += 1
            for key in present:
                self._graph.remove_node((label, key))
                del self._by_label[label][key]
        return len(present)

    @_guarded
    def _counts(self) -> dict[str, int]:
        self._refresh()
        cached = self._counted
        if cached is not None and cached[0] == self._signature and self._signature is not None:
            return dict(cached[1])
        counts: dict[str, int] = {label: len(index) for label, index in self._by_label.items()}
        rel_counts: dict[str, int] = dict.fromkeys(sorted(REL_TYPES), 0)
        for _, _, ekey in self._graph.edges(keys=True):
            rel_counts[ekey[0]] += 1
        # the graph only changes with the file, whose signature every commit and reload sets
        self._counted = (self._signature, counts | rel_counts)
        return counts | rel_counts

    def clear(self) -> None:
        with self._transaction():
            self._version += 1
            self._graph.clear()
            for index in self._by_label.values():
                index.clear()

    @_guarded
    def data_version(self) -> str:
        """The projection's write count, from the file's first line when another process wrote since
        this one last read (the rest of the file is not read)."""
        signature = self._file_signature()
        if signature is None:
            return "0"
        if signature == self._signature:
            return str(self._version)
        try:
            with open(self.path, "rb") as fh:
                header = orjson.loads(fh.readline() or b"null")
        except (OSError, orjson.JSONDecodeError) as exc:
            raise StoreUnavailable(f"cannot read store file {self.path}: {exc}") from exc
        return str(header.get("projection_version", 0)) if isinstance(header, dict) else "0"

    def close(self) -> None:
        """Nothing to release: every write is already on disk."""


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
