"""The network for Gephi, with every attribute: ``network.gexf`` and ``network.graphml`` in the case folder.

Nodes are the accounts of the network (flagged, clustered, or at either end of an edge) with their profile,
scores, reasons, persona signals, cluster confidence and the analyst's verdicts; edges are the significant
pairs fused across traces (``weight`` = noisy-or of the trace weights, ``significance`` = the strongest, as in
:mod:`unmask.network.fusion`) with each trace's weight, shared objects, significance and median gap.

Both files are streamed from DuckDB in row batches, never held as a graph in memory: a case with a million
edges writes in about the time it takes to read them.  Hostile text is XML-escaped, and the characters XML 1.0
cannot hold are written as visible ``\\uXXXX`` escapes; empty values are left out, so Gephi types each column
from the declared type.  Rows come sorted, so the same workspace gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import quoteattr

import duckdb
import pyarrow as pa

from .model import ClusterView
from .tables import has_table
from .tables_export import accounts_table
from .verdicts import Verdicts

XML_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
LIST_SEPARATOR = "; "
BATCH = 50_000
EDGE_MEASURES = (("weight", "max"), ("shared_objects", "max"), ("significance", "max"), ("median_dt", "min"))
Column = tuple[str, str]  # (name, type: string | long | double | boolean)


def write_graphs(con: duckdb.DuckDBPyConnection, clusters: list[ClusterView], verdicts: Verdicts, out: Path,
                 atomic: Callable[[Path, Callable[[Path], Any]], None]) -> dict[str, Path]:
    """Write ``network.gexf`` and ``network.graphml`` into ``out`` through ``atomic``; returns them by name.

    Nothing is written when the workspace has no ``network_edges``.
    """
    if not (has_table(con, "network_edges") and has_table(con, "account_scores")):
        return {}
    nodes = node_table(con, clusters, verdicts)
    files = {"gexf": out / "network.gexf", "graphml": out / "network.graphml"}
    atomic(files["gexf"], lambda path: _write(path, lambda handle: write_gexf(handle, nodes, con)))
    atomic(files["graphml"], lambda path: _write(path, lambda handle: write_graphml(handle, nodes, con)))
    return files


def node_table(con: duckdb.DuckDBPyConnection, clusters: list[ClusterView], verdicts: Verdicts) -> pa.Table:
    """The network's accounts with every attribute, ``id`` and ``label`` first, sorted by id."""
    con.register("_graph_accounts", accounts_table(con, verdicts))
    con.register("_graph_clusters", pa.table({
        "cluster_id": pa.array([c.cluster_id for c in clusters], pa.int64()),
        "cluster_confidence": pa.array([c.confidence for c in clusters], pa.string()),
        "cluster_verdict": pa.array([c.status.verdict for c in clusters], pa.string()),
    }))
    try:
        return con.sql(
            """
            WITH ends AS (SELECT platform, source AS account_id FROM network_edges
                          UNION SELECT platform, target FROM network_edges)
            SELECT a.platform || ':' || a.account_id AS id, coalesce(a.handle, a.account_id) AS label, a.*,
                   c.cluster_confidence, c.cluster_verdict
            FROM _graph_accounts a LEFT JOIN _graph_clusters c USING (cluster_id)
            WHERE a.flagged OR a.cluster_id IS NOT NULL
               OR EXISTS (SELECT 1 FROM ends e WHERE e.platform = a.platform AND e.account_id = a.account_id)
            ORDER BY id
            """
        ).to_arrow_table()
    finally:
        con.unregister("_graph_accounts")
        con.unregister("_graph_clusters")


def edges_sql(con: duckdb.DuckDBPyConnection) -> str:
    """One row per pair: source and target node ids, fused weight and significance, traces, per-trace measures."""
    traces = [row[0] for row in con.execute("SELECT DISTINCT trace FROM network_edges ORDER BY 1").fetchall()]
    per_trace = ", ".join(
        f"{aggregate}({measure}) FILTER (WHERE trace = '{_sql_text(t)}') AS \"{_identifier(t)}_{measure}\""
        for t in traces for measure, aggregate in EDGE_MEASURES
    )
    return f"""
        SELECT platform || ':' || source AS source, platform || ':' || target AS target,
               1 - product(1 - least(greatest(weight, 0), 1)) AS weight, max(significance) AS significance,
               string_agg(trace, ',' ORDER BY trace) AS traces{', ' + per_trace if per_trace else ''}
        FROM network_edges GROUP BY platform, network_edges.source, network_edges.target
        ORDER BY source, target
    """


def write_gexf(handle: IO[str], nodes: pa.Table, con: duckdb.DuckDBPyConnection) -> None:
    """GEXF 1.2 of ``nodes`` and the fused edges (``weight`` as the edge weight Gephi reads)."""
    node_columns = _columns(nodes.schema, skip=("id", "label"))
    edges = con.sql(edges_sql(con)).to_arrow_reader(BATCH)
    edge_columns = _columns(edges.schema, skip=("source", "target", "weight"))
    handle.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n'
                 '  <meta><creator>unmask</creator><description>coordination network</description></meta>\n'
                 '  <graph defaultedgetype="undirected" mode="static">\n')
    for kind, columns in (("node", node_columns), ("edge", edge_columns)):
        handle.write(f'    <attributes class="{kind}" mode="static">\n')
        for index, (name, kind_of) in enumerate(columns):
            handle.write(f'      <attribute id="{index}" title={quoteattr(name)} type="{kind_of}"/>\n')
        handle.write("    </attributes>\n")
    handle.write("    <nodes>\n")
    for row in _rows(nodes.to_reader(max_chunksize=BATCH)):
        handle.write(f'      <node id={_attr(row["id"])} label={_attr(row["label"])}>'
                     + _gexf_values(row, node_columns) + "</node>\n")
    handle.write("    </nodes>\n    <edges>\n")
    for index, row in enumerate(_rows(edges)):
        handle.write(f'      <edge id="{index}" source={_attr(row["source"])} target={_attr(row["target"])} '
                     f'weight="{_text(row["weight"])}">' + _gexf_values(row, edge_columns) + "</edge>\n")
    handle.write("    </edges>\n  </graph>\n</gexf>\n")


def write_graphml(handle: IO[str], nodes: pa.Table, con: duckdb.DuckDBPyConnection) -> None:
    """GraphML of ``nodes`` and the fused edges, every attribute declared with its type."""
    node_columns = _columns(nodes.schema, skip=("id",))
    edges = con.sql(edges_sql(con)).to_arrow_reader(BATCH)
    edge_columns = _columns(edges.schema, skip=("source", "target"))
    handle.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
    for kind, prefix, columns in (("node", "n", node_columns), ("edge", "e", edge_columns)):
        for index, (name, kind_of) in enumerate(columns):
            handle.write(f'  <key id="{prefix}{index}" for="{kind}" attr.name={quoteattr(name)} '
                         f'attr.type="{kind_of}"/>\n')
    handle.write('  <graph edgedefault="undirected">\n')
    for row in _rows(nodes.to_reader(max_chunksize=BATCH)):
        handle.write(f'    <node id={_attr(row["id"])}>' + _graphml_values(row, node_columns, "n") + "</node>\n")
    for row in _rows(edges):
        handle.write(f'    <edge source={_attr(row["source"])} target={_attr(row["target"])}>'
                     + _graphml_values(row, edge_columns, "e") + "</edge>\n")
    handle.write("  </graph>\n</graphml>\n")


def xml_safe(text: str) -> str:
    """``text`` with each character XML 1.0 cannot hold (control characters, lone surrogates) as ``\\uXXXX``."""
    return XML_FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _write(path: Path, body: Callable[[IO[str]], None]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        body(handle)


def _columns(schema: pa.Schema, skip: tuple[str, ...]) -> list[Column]:
    """Attribute columns with their GEXF/GraphML type."""
    return [(field.name, _type(field.type)) for field in schema if field.name not in skip]


def _type(kind: pa.DataType) -> str:
    if pa.types.is_boolean(kind):
        return "boolean"
    if pa.types.is_integer(kind):
        return "long"
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return "double"
    return "string"


def _rows(reader: pa.RecordBatchReader) -> Iterator[dict[str, Any]]:
    for batch in reader:
        yield from batch.to_pylist()


def _gexf_values(row: dict[str, Any], columns: list[Column]) -> str:
    values = [f"<attvalue for=\"{i}\" value={_attr(row[name])}/>" for i, (name, _) in enumerate(columns)
              if _present(row[name])]
    return f"<attvalues>{''.join(values)}</attvalues>" if values else ""


def _graphml_values(row: dict[str, Any], columns: list[Column], prefix: str) -> str:
    return "".join(f'<data key="{prefix}{i}">{_escape(_text(row[name]))}</data>'
                   for i, (name, _) in enumerate(columns) if _present(row[name]))


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != []


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(_text(v) for v in value)
    return xml_safe(str(value))


def _attr(value: Any) -> str:
    return quoteattr(_text(value))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _identifier(trace: str) -> str:
    return re.sub(r"[^a-z0-9_]", "_", trace.lower())


def _sql_text(text: str) -> str:
    return text.replace("'", "''")
