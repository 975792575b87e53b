"""The Neo4j store: the system of record, over the official driver.

- One driver per store, and one store per process (the API and CLI open it once).
- Parameterised Cypher only. Labels and relationship types are not parameters in Cypher, so they
  come from the allow-list in :mod:`graph.schema` and never from input.
- Writes run in one managed transaction (``execute_write``, retried by the driver on transient
  errors) as batched ``UNWIND`` statements, nodes first, then relationships.
- Uniqueness constraints and indexes are created idempotently (``IF NOT EXISTS``) when it opens.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any, LiteralString

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j import exceptions as neo4j_errors

from .errors import AlliancesError, ConfigurationError, Conflict, StoreUnavailable
from .model import Link, Node
from .schema import (
    INDEXED_PROPS,
    LINK_SPECS,
    REL_TYPES,
    SPECS,
    TEXT_INDEXED,
    LinkSpec,
    NodeSpec,
    Props,
    check_label,
    check_rel_type,
)
from .store import DEFAULT_BATCH_SIZE, BaseStore, NodeRef, RelRef, StudioFilter, Subgraph, chunks, touches_projection

DEFAULT_TRANSACTION_ROWS = 100_000
"""About 150 MB of transaction state on Neo4j 5.26: well inside a 1 GB heap's transaction pool."""


def _q(text: str) -> LiteralString:
    """Mark a query built only from allow-listed names and constants as safe for the driver."""
    return text  # mypy treats LiteralString as str; the driver's type hints ask for it


def _key_expr(var: str) -> str:
    return f"coalesce({var}.id, {var}.code)"


def _reason(exc: BaseException) -> str:
    """The driver's message in one line, with the OS reason when there is one."""
    text = " ".join(str(exc).split())
    marker = "reason "
    if marker in text:
        return text[text.rindex(marker) + len(marker) :].strip("() ")
    return text


_BUMP = (
    "MERGE (m:StoreVersion {id: 'projection'}) ON CREATE SET m.epoch = randomUUID(), m.value = 0 "
    "SET m.value = m.value + 1"
)
"""Counts the writes that change the projection, in the same transaction (see ``data_version``)."""


class Neo4jStore(BaseStore):
    """:class:`graph.store.BaseStore` on a Neo4j server.

    Parameters
    ----------
    uri:
        ``bolt://``, ``neo4j://`` (or their ``+s``/``+ssc`` variants).
    auth:
        ``(user, password)``, or ``None`` for a server with authentication off.
    database:
        The database to use; ``None`` means the server's default (``neo4j``).
    batch_size:
        Rows per ``UNWIND`` statement.
    max_transaction_rows:
        Rows per write transaction; a write with more is committed in several (see ``_write_tx``).
    """

    def __init__(
        self,
        uri: str,
        auth: tuple[str, str] | None = None,
        *,
        database: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_transaction_rows: int = DEFAULT_TRANSACTION_ROWS,
        connection_timeout: float = 10.0,
        retry_seconds: float = 15.0,
    ) -> None:
        super().__init__(batch_size=batch_size)
        self.max_transaction_rows = max_transaction_rows
        self.uri = uri
        self.database = database
        try:
            self._driver = GraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=connection_timeout,
                max_transaction_retry_time=retry_seconds,
                notifications_min_severity="OFF",  # "label does not exist yet" on an empty graph is not news
            )
        except (ValueError, neo4j_errors.ConfigurationError) as exc:
            raise ConfigurationError(f"bad Neo4j URI {uri!r}: {exc}") from exc
        try:
            with self._errors():
                self._driver.verify_connectivity()
            self._ensure_schema()
        except BaseException:
            self._driver.close()
            raise

    @property
    def location(self) -> str:
        return self.uri + (f" (database {self.database})" if self.database else "")

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn driver exceptions into the product's own."""
        try:
            yield
        except AlliancesError:
            raise
        except neo4j_errors.AuthError as exc:
            raise ConfigurationError(
                f"Neo4j at {self.uri} refused the credentials (set NEO4J_USER / NEO4J_PASSWORD): {exc.message}"
            ) from exc
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as exc:
            raise StoreUnavailable(
                f"Neo4j at {self.uri} is not reachable ({_reason(exc)}); start it (alliances db start) or check the URI"
            ) from exc
        except neo4j_errors.ConstraintError as exc:
            raise Conflict(f"the write clashes with stored data: {exc.message}") from exc
        except neo4j_errors.DriverError as exc:
            raise StoreUnavailable(f"Neo4j driver error talking to {self.uri}: {exc}") from exc
        except neo4j_errors.Neo4jError as exc:
            if exc.is_retryable():
                raise StoreUnavailable(f"Neo4j at {self.uri} is busy: {exc.message}") from exc
            raise AlliancesError(f"Neo4j error {exc.code}: {exc.message}") from exc

    def _read(self, query: str, **params: Any) -> list[neo4j.Record]:
        self.stats.queries += 1
        with self._errors():
            records, _, _ = self._driver.execute_query(
                _q(query), params, database_=self.database, routing_=RoutingControl.READ
            )
        return list(records)

    def _write_tx(self, work: list[tuple[str, dict[str, Any]]]) -> None:
        """Run statements in managed write transactions of at most ``max_transaction_rows`` rows.

        Most writes fit one transaction. A bigger one (a national roster) is split, because the
        server caps the memory of one transaction; every record was validated before the first
        commit, and writes are idempotent, so re-running an interrupted write completes it.
        """
        groups: list[list[tuple[str, dict[str, Any]]]] = [[]]
        rows_in_group = 0
        for statement in work:
            rows = len(statement[1].get("rows", ())) or 1
            if groups[-1] and rows_in_group + rows > self.max_transaction_rows:
                groups.append([])
                rows_in_group = 0
            groups[-1].append(statement)
            rows_in_group += rows

        def run(tx: neo4j.ManagedTransaction, statements: list[tuple[str, dict[str, Any]]]) -> None:
            for query, params in statements:
                tx.run(_q(query), params).consume()

        with self._errors(), self._driver.session(database=self.database) as session:
            for group in groups:
                session.execute_write(run, group)
                self.stats.transactions += 1
                self.stats.queries += len(group)

    def _ensure_schema(self) -> None:
        statements: list[str] = []
        for label, spec in SPECS.items():
            statements.append(
                f"CREATE CONSTRAINT {label.lower()}_{spec.key}_unique IF NOT EXISTS "
                f"FOR (n:{check_label(label)}) REQUIRE n.{spec.key} IS UNIQUE"
            )
        for label, props in INDEXED_PROPS.items():
            for prop in props:
                statements.append(
                    f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{check_label(label)}) ON (n.{prop})"
                )
        for label, props in TEXT_INDEXED.items():
            for prop in props:
                statements.append(
                    f"CREATE TEXT INDEX {label.lower()}_{prop}_text IF NOT EXISTS "
                    f"FOR (n:{check_label(label)}) ON (n.{prop})"
                )
        with self._errors(), self._driver.session(database=self.database) as session:
            for statement in statements:
                session.run(_q(statement)).consume()
            session.run(_q("CALL db.awaitIndexes(300)")).consume()

    # -- reading -------------------------------------------------------------------------------
    @staticmethod
    def _return_node(spec: NodeSpec, var: str = "n") -> str:
        parts = []
        for rel in spec.rels:
            target_key = SPECS[rel.target].key
            arrow = f"<-[:{check_rel_type(rel.type)}]-" if rel.incoming else f"-[:{check_rel_type(rel.type)}]->"
            parts.append(f"{rel.field}: [({var}){arrow}(t:{check_label(rel.target)}) | t.{target_key}]")
        return f"RETURN {var} {{.*}} AS props, {{{', '.join(parts)}}} AS targets"

    def _fetch_nodes(self, spec: NodeSpec, keys: Sequence[str] | None) -> list[tuple[Props, dict[str, list[str]]]]:
        label = check_label(spec.label)
        if keys is None:
            query = f"MATCH (n:{label}) {self._return_node(spec)}"
            records = self._read(query)
        else:
            query = f"UNWIND $keys AS k MATCH (n:{label} {{{spec.key}: k}}) {self._return_node(spec)}"
            records = self._read(query, keys=list(keys))
        return [(dict(r["props"]), dict(r["targets"])) for r in records]

    def _fetch_links(self, spec: LinkSpec) -> list[tuple[str, str, Props]]:
        query = (
            f"MATCH (a:{check_label(spec.source)})-[r:{check_rel_type(spec.type)}]->(b:{check_label(spec.target)}) "
            f"RETURN a.{spec.source_key} AS a, b.{spec.target_key} AS b, properties(r) AS props"
        )
        return [(r["a"], r["b"], dict(r["props"])) for r in self._read(query)]

    def _existing_keys(self, label: str, keys: Sequence[str]) -> set[str]:
        spec = SPECS[label]
        query = f"UNWIND $keys AS k MATCH (n:{check_label(label)} {{{spec.key}: k}}) RETURN k"
        return {r["k"] for r in self._read(query, keys=list(keys))}

    def _keys_by_name(self, label: str, names: Sequence[str]) -> list[tuple[str, str]]:
        spec = SPECS[label]
        query = f"UNWIND $names AS nm MATCH (n:{check_label(label)} {{name: nm}}) RETURN nm, n.{spec.key} AS k"
        return [(r["nm"], r["k"]) for r in self._read(query, names=list(names))]

    # -- writing -------------------------------------------------------------------------------
    def _apply(self, nodes: dict[str, list[tuple[Node, bool]]], links: dict[str, list[Link]]) -> None:
        work: list[tuple[str, dict[str, Any]]] = []
        for label, changes in nodes.items():
            spec = SPECS[label]
            merge = f"UNWIND $rows AS r MERGE (n:{check_label(label)} {{{spec.key}: r.key}}) SET n = r.props"
            for chunk in chunks(changes, self.batch_size):
                rows = [{"key": record.key, "props": spec.to_props(record)} for record, _ in chunk]
                work.append((merge, {"rows": rows}))
        for label, changes in nodes.items():
            spec = SPECS[label]
            # each record's targets once, not once per relationship kind and row list
            owned = [(record, existed, spec.to_targets(record)) for record, existed in changes]
            for rel in spec.rels:
                target = SPECS[rel.target]
                node = f"(n:{check_label(label)} {{{spec.key}: r.key}})"
                other = f"(t:{check_label(rel.target)})"
                rtype = check_rel_type(rel.type)
                old = f"{node}<-[old:{rtype}]-{other}" if rel.incoming else f"{node}-[old:{rtype}]->{other}"
                new = f"(n)<-[:{rtype}]-(t)" if rel.incoming else f"(n)-[:{rtype}]->(t)"
                prune = f"UNWIND $rows AS r MATCH {old} WHERE NOT t.{target.key} IN r.targets DELETE old"
                match = (
                    f"UNWIND $rows AS r MATCH {node} UNWIND r.targets AS tk "
                    f"MATCH (t:{check_label(rel.target)} {{{target.key}: tk}}) "
                )
                # A node created by this write has no relationships yet: CREATE them (no check);
                # a node that existed may keep some: MERGE those.
                add_new, add_old = match + f"CREATE {new}", match + f"MERGE {new}"
                for chunk in chunks(owned, self.batch_size):
                    stale_rows = [
                        {"key": record.key, "targets": targets[rel.field]}
                        for record, existed, targets in chunk
                        if existed
                    ]
                    if stale_rows:
                        work.append((prune, {"rows": stale_rows}))
                    for existed_before, query in ((False, add_new), (True, add_old)):
                        rows = [
                            {"key": record.key, "targets": targets[rel.field]}
                            for record, existed, targets in chunk
                            if existed is existed_before and targets[rel.field]
                        ]
                        if rows:
                            work.append((query, {"rows": rows}))
        for rel_type, changed in links.items():
            lspec = LINK_SPECS[rel_type]
            merge_props = ", ".join(f"{f}: r.props.{f}" for f in lspec.merge_fields)
            pattern = f"[x:{check_rel_type(rel_type)}" + (f" {{{merge_props}}}]" if merge_props else "]")
            query = (
                f"UNWIND $rows AS r MATCH (a:{check_label(lspec.source)} {{{lspec.source_key}: r.a}}) "
                f"MATCH (b:{check_label(lspec.target)} {{{lspec.target_key}: r.b}}) "
                f"MERGE (a)-{pattern}->(b) SET x = r.props"
            )
            for chunk in chunks(changed, self.batch_size):
                rows = [{"a": link.ends[0], "b": link.ends[1], "props": lspec.to_props(link)} for link in chunk]
                work.append((query, {"rows": rows}))
        if touches_projection([*nodes, *links]):
            work.append((_BUMP, {}))
        self._write_tx(work)

    # -- studio listing --------------------------------------------------------------------------
    @staticmethod
    def _where(where: StudioFilter) -> tuple[str, dict[str, Any]]:
        clauses: list[str] = []
        params: dict[str, Any] = {}
        if where.status is not None:
            clauses.append("n.status = $status")
            params["status"] = where.status.value
        if where.level is not None:
            clauses.append("n.level = $level")
            params["level"] = where.level.value
        if where.district is not None:
            clauses.append("n.district = $district")
            params["district"] = where.district
        if where.name is not None:
            clauses.append("n.name CONTAINS $name")
            params["name"] = where.name
        if where.union is not None:
            clauses.append("EXISTS { (n)-[:BELONGS_TO]->(:Union {id: $union}) }")
            params["union"] = where.union
        if where.trade is not None:
            clauses.append("EXISTS { (n)-[:PRACTISES]->(:Trade {code: $trade}) }")
            params["trade"] = where.trade
        if where.segment is not None:
            clauses.append("EXISTS { (n)-[:WORKS_IN]->(:Segment {id: $segment}) }")
            params["segment"] = where.segment
        if where.chain is not None:
            clauses.append("EXISTS { (n)-[:WORKS_IN]->(:Segment)-[:PART_OF]->(:Chain {id: $chain}) }")
            params["chain"] = where.chain
        if where.industry is not None:
            clauses.append(
                "EXISTS { (n)-[:IN_INDUSTRY]->(:Industry)-[:SUBCLASS_OF*0..3]->(:Industry {code: $industry}) }"
            )
            params["industry"] = where.industry
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _studio_keys(self, where: StudioFilter, limit: int | None, offset: int) -> list[str]:
        clause, params = self._where(where)
        page = " SKIP $offset" + (" LIMIT $limit" if limit is not None else "")
        query = f"MATCH (n:Studio) {clause} RETURN n.id AS id ORDER BY id{page}"
        return [r["id"] for r in self._read(query, offset=offset, limit=limit, **params)]

    def _count_studios(self, where: StudioFilter) -> int:
        clause, params = self._where(where)
        return int(self._read(f"MATCH (n:Studio) {clause} RETURN count(n) AS c", **params)[0]["c"])

    # -- neighbourhood ---------------------------------------------------------------------------
    def _neighbourhood(self, label: str, key: str, depth: int, limit: int) -> Subgraph:
        spec = SPECS[label]
        center_rows = self._read(
            f"MATCH (c:{check_label(label)} {{{spec.key}: $key}}) RETURN elementId(c) AS eid, c.name AS name", key=key
        )
        center_eid = center_rows[0]["eid"]
        center = NodeRef(label, key, str(center_rows[0]["name"] or ""))
        hops: dict[str, tuple[int, NodeRef]] = {center_eid: (0, center)}
        frontier = [center_eid]
        truncated = False
        for hop in range(1, depth + 1):
            room = limit - (len(hops) - 1)
            rows = self._read(
                "UNWIND $frontier AS eid MATCH (n) WHERE elementId(n) = eid MATCH (n)--(m) "
                "WHERE NOT elementId(m) IN $seen "
                f"WITH DISTINCT m RETURN elementId(m) AS eid, labels(m)[0] AS label, {_key_expr('m')} AS key, "
                "m.name AS name ORDER BY label, key LIMIT $room",
                frontier=frontier,
                seen=list(hops),
                room=room + 1,
            )
            found = sorted(rows, key=lambda r: (r["label"], r["key"]))
            if len(found) > room:
                found, truncated = found[:room], True
            for r in found:
                hops[r["eid"]] = (hop, NodeRef(r["label"], r["key"], str(r["name"] or "")))
            frontier = [r["eid"] for r in found]
            if truncated or not frontier:
                break
        rows = self._read(
            "UNWIND $eids AS eid MATCH (a) WHERE elementId(a) = eid MATCH (a)-[r]->(b) WHERE elementId(b) IN $eids "
            "RETURN elementId(a) AS a, type(r) AS type, elementId(b) AS b, properties(r) AS props",
            eids=list(hops),
        )
        rels = []
        for r in rows:
            a, b = hops[r["a"]][1], hops[r["b"]][1]
            rels.append(RelRef((a.label, a.key), r["type"], (b.label, b.key), tuple(sorted(r["props"].items()))))
        nodes = sorted((h, ref) for eid, (h, ref) in hops.items() if eid != center_eid)
        return Subgraph(center, tuple(nodes), tuple(sorted(rels)), truncated)

    # -- the rest --------------------------------------------------------------------------------
    def _delete(self, label: str, keys: Sequence[str]) -> int:
        spec = SPECS[label]
        query = f"UNWIND $keys AS k MATCH (n:{check_label(label)} {{{spec.key}: k}}) DETACH DELETE n"
        existing = len(self._existing_keys(label, keys)) if keys else 0
        if existing:
            self._write_tx([(query, {"keys": list(keys)}), *([(_BUMP, {})] if touches_projection([label]) else [])])
        return existing

    def _counts(self) -> dict[str, int]:
        # count in a WITH first: a literal beside count() in RETURN is a grouping key, and an empty
        # match has no groups, so it would give no row instead of a zero
        parts = [f"MATCH (n:{check_label(label)}) WITH count(n) AS c RETURN '{label}' AS name, c" for label in SPECS]
        parts += [
            f"MATCH ()-[r:{check_rel_type(t)}]->() WITH count(r) AS c RETURN '{t}' AS name, c"
            for t in sorted(REL_TYPES)
        ]
        return {r["name"]: int(r["c"]) for r in self._read(" UNION ALL ".join(parts))}

    def clear(self) -> None:
        with self._errors(), self._driver.session(database=self.database) as session:
            # relationships first: a node with 150,000 of them (an industry, a union) deleted with them
            # in one inner transaction exceeds the server's transaction memory
            session.run(_q("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS")).consume()
            session.run(_q("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS")).consume()
        self.stats.transactions += 1
        self.stats.queries += 2

    def data_version(self) -> str:
        """The projection's write count, with the epoch of its counter (a cleared store starts anew)."""
        query = "MATCH (m:StoreVersion {id: 'projection'}) RETURN m.epoch AS epoch, m.value AS value"
        with self._errors(), self._driver.session(database=self.database) as session:
            row = session.run(_q(query)).single()
        return "0" if row is None else f"{row['epoch']}:{row['value']}"

    def close(self) -> None:
        self._driver.close()
