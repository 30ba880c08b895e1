"""The network for Gephi, with every attribute: ``network.gexf`` and ``network.graphml`` in the case folder.

Nodes are the accounts of the network (flagged, clustered, or at either end of an edge) with their profile,
scores, reasons, persona signals, cluster confidence and the analyst's verdicts; edges are the significant
pairs fused across traces (``weight`` = noisy-or of the trace weights, ``significance`` = the strongest, as in
:mod:`unmask.network.fusion`) with each trace's weight, shared objects, significance and median gap.

DuckDB writes every element as a line of text, escaped, in parallel; Python only copies those lines to the
file in batches, so a case with ten million edges writes in bounded memory.  Hostile text is XML-escaped, and
the characters XML 1.0 cannot hold are written as visible escapes such as ``\\u001b`` (four hex digits); empty
values are left out, so Gephi types each column from the declared type.  Rows come sorted, so the same
workspace gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import duckdb
from duckdb.sqltypes import DuckDBPyType

from .sql_export import identifier, literal
from .tables import has_table
from .tables_export import CLUSTER_VIEW, accounts_export_sql

LIST_SEPARATOR = "; "
BATCH = 50_000
EDGE_MEASURES = (("weight", "max"), ("shared_objects", "max"), ("significance", "max"), ("median_dt", "min"))
FORBIDDEN_CODES = (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)
FORBIDDEN_RE2 = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x{FFFE}\x{FFFF}]"
ATTRIBUTE_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("\n", "&#10;"),
                     ("\r", "&#13;"), ("\t", "&#9;"))
CONTENT_ESCAPES = ATTRIBUTE_ESCAPES[:3]
VISIBLE_ESCAPE = "\\u{:04x}"
INTEGER_TYPES = ("tinyint", "smallint", "integer", "bigint", "hugeint", "utinyint", "usmallint", "uinteger",
                 "ubigint", "uhugeint")
NUMBER_TYPES = ("float", "double", "decimal")
Column = tuple[str, DuckDBPyType]
Escapes = tuple[tuple[str, str], ...]

NODES_SQL = """
WITH ends AS (SELECT platform, source AS account_id FROM network_edges
              UNION SELECT platform, target FROM network_edges)
SELECT a.platform || ':' || a.account_id AS id, coalesce(a.handle, a.account_id) AS label, a.*,
       c.confidence AS cluster_confidence, c.verdict AS cluster_verdict
FROM ({accounts}) a LEFT JOIN {clusters} c USING (cluster_id)
WHERE a.flagged OR a.cluster_id IS NOT NULL
   OR EXISTS (SELECT 1 FROM ends e WHERE e.platform = a.platform AND e.account_id = a.account_id)
"""


def write_graphs(con: duckdb.DuckDBPyConnection, out: Path,
                 atomic: Callable[[Path, Callable[[Path], Any]], None]) -> dict[str, Path]:
    """Write ``network.gexf`` and ``network.graphml`` into ``out`` through ``atomic``; returns them by name.

    Nothing is written when the workspace has no ``network_edges``.  Needs the views of
    :func:`.tables_export.reviewed`.
    """
    if not (has_table(con, "network_edges") and has_table(con, "account_scores")):
        return {}
    files = {"gexf": out / "network.gexf", "graphml": out / "network.graphml"}
    atomic(files["gexf"], lambda path: _write(path, lambda handle: write_gexf(handle, con)))
    atomic(files["graphml"], lambda path: _write(path, lambda handle: write_graphml(handle, con)))
    return files


def nodes_sql(con: duckdb.DuckDBPyConnection) -> str:
    """The network's accounts with every attribute, ``id`` and ``label`` first (unsorted)."""
    return NODES_SQL.format(accounts=accounts_export_sql(con, ordered=False), clusters=CLUSTER_VIEW)


def edges_sql(con: duckdb.DuckDBPyConnection) -> str:
    """One row per pair: source and target node ids, fused weight and significance, traces, per-trace measures."""
    traces = [row[0] for row in con.execute("SELECT DISTINCT trace FROM network_edges ORDER BY 1").fetchall()]
    per_trace = ", ".join(
        f"{aggregate}({measure}) FILTER (WHERE trace = {literal(t)}) AS \"{_identifier(t)}_{measure}\""
        for t in traces for measure, aggregate in EDGE_MEASURES
    )
    return f"""
        SELECT platform || ':' || source AS source, platform || ':' || target AS target,
               1 - product(1 - least(greatest(weight, 0), 1)) AS weight, max(significance) AS significance,
               string_agg(trace, ',' ORDER BY trace) AS traces{', ' + per_trace if per_trace else ''}
        FROM network_edges GROUP BY platform, network_edges.source, network_edges.target
    """


def write_gexf(handle: IO[str], con: duckdb.DuckDBPyConnection) -> None:
    """GEXF 1.2 of the network's accounts and fused edges (``weight`` as the edge weight Gephi reads)."""
    nodes, edges = nodes_sql(con), edges_sql(con)
    node_columns = _columns(con, nodes, skip=("id", "label"))
    edge_columns = _columns(con, edges, skip=("source", "target", "weight"))
    handle.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n'
                 '  <meta><creator>unmask</creator><description>coordination network</description></meta>\n'
                 '  <graph defaultedgetype="undirected" mode="static">\n')
    for kind, columns in (("node", node_columns), ("edge", edge_columns)):
        handle.write(f'    <attributes class="{kind}" mode="static">\n')
        for index, (name, kind_of) in enumerate(columns):
            handle.write(f'      <attribute id="{index}" title="{_escape(name)}" type="{gephi_type(kind_of)}"/>\n')
        handle.write("    </attributes>\n")
    handle.write("    <nodes>\n")
    _stream(handle, con, f"""
        SELECT '      <node id="' || {_attribute("id")} || '" label="' || {_attribute("label")} || '">'
               || {_gexf_values(node_columns)} || '</node>' FROM ({nodes}) ORDER BY id""")
    handle.write("    </nodes>\n    <edges>\n")
    _stream(handle, con, f"""
        SELECT '      <edge id="' || (row_number() OVER (ORDER BY source, target) - 1) || '" source="'
               || {_attribute("source")} || '" target="' || {_attribute("target")} || '" weight="'
               || CAST(weight AS VARCHAR) || '">' || {_gexf_values(edge_columns)} || '</edge>'
        FROM ({edges}) ORDER BY source, target""")
    handle.write("    </edges>\n  </graph>\n</gexf>\n")


def write_graphml(handle: IO[str], con: duckdb.DuckDBPyConnection) -> None:
    """GraphML of the network's accounts and fused edges, every attribute declared with its type."""
    nodes, edges = nodes_sql(con), edges_sql(con)
    node_columns = _columns(con, nodes, skip=("id",))
    edge_columns = _columns(con, edges, skip=("source", "target"))
    handle.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
    for kind, prefix, columns in (("node", "n", node_columns), ("edge", "e", edge_columns)):
        for index, (name, kind_of) in enumerate(columns):
            handle.write(f'  <key id="{prefix}{index}" for="{kind}" attr.name="{_escape(name)}" '
                         f'attr.type="{gephi_type(kind_of)}"/>\n')
    handle.write('  <graph edgedefault="undirected">\n')
    _stream(handle, con, f"""
        SELECT '    <node id="' || {_attribute("id")} || '">' || {_graphml_values(node_columns, "n")} || '</node>'
        FROM ({nodes}) ORDER BY id""")
    _stream(handle, con, f"""
        SELECT '    <edge source="' || {_attribute("source")} || '" target="' || {_attribute("target")} || '">'
               || {_graphml_values(edge_columns, "e")} || '</edge>'
        FROM ({edges}) ORDER BY source, target""")
    handle.write("  </graph>\n</graphml>\n")


def gephi_type(kind: DuckDBPyType) -> str:
    """The GEXF/GraphML attribute type of a DuckDB column type: ``boolean``, ``long``, ``double`` or ``string``."""
    if kind.id == "boolean":
        return "boolean"
    if kind.id in INTEGER_TYPES:
        return "long"
    return "double" if kind.id in NUMBER_TYPES else "string"


def xml_safe(expression: str) -> str:
    """SQL for the text ``expression`` with each character XML 1.0 cannot hold written as a ``\\u`` escape with
    four hex digits (``\\u001b``)."""
    escaped = expression
    for code in FORBIDDEN_CODES:
        escaped = f"replace({escaped}, chr({code}), {literal(VISIBLE_ESCAPE.format(code))})"
    return f"CASE WHEN regexp_matches({expression}, {literal(FORBIDDEN_RE2)}) THEN {escaped} ELSE {expression} END"


def _write(path: Path, body: Callable[[IO[str]], None]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        body(handle)


def _stream(handle: IO[str], con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Copy the one text column of ``sql`` to ``handle``, a line per row, in batches."""
    with con.sql(f"SELECT {xml_safe('line')} FROM ({sql}) AS t(line)").to_arrow_reader(BATCH) as reader:
        for batch in reader:
            lines = batch.column(0).to_pylist()
            if lines:
                handle.write("\n".join(lines) + "\n")


def _columns(con: duckdb.DuckDBPyConnection, sql: str, skip: tuple[str, ...]) -> list[Column]:
    """The attribute columns of ``sql`` with their DuckDB types."""
    relation = con.sql(sql)
    return [(name, kind) for name, kind in zip(relation.columns, relation.types, strict=True) if name not in skip]


def _text(expression: str, kind: DuckDBPyType) -> str:
    """SQL for the attribute text of ``expression``: lists joined, everything else as DuckDB writes it."""
    if kind.id == "list":
        item = _text("item", dict(kind.children)["child"])
        return f"array_to_string(list_transform({expression}, lambda item: coalesce({item}, '')), " \
               f"{literal(LIST_SEPARATOR)})"
    return expression if kind.id == "varchar" else f"CAST({expression} AS VARCHAR)"


def _escaped(expression: str, kind: DuckDBPyType, escapes: Escapes) -> str:
    """SQL for the escaped text of ``expression``: NULL when the value is missing or empty."""
    text = f"nullif({_text(expression, kind)}, '')"
    return _replace(text, escapes) if gephi_type(kind) == "string" else text


def _replace(expression: str, escapes: Escapes) -> str:
    for character, entity in escapes:
        expression = f"replace({expression}, {literal(character)}, {literal(entity)})"
    return expression


def _attribute(name: str) -> str:
    """SQL for the escaped text of the text column ``name`` (empty when NULL)."""
    return _replace(f"coalesce({identifier(name)}, '')", ATTRIBUTE_ESCAPES)


def _gexf_values(columns: list[Column]) -> str:
    """SQL for a row's ``<attvalues>``, empty when no value is present (``concat`` skips the NULL ones)."""
    if not columns:
        return "''"
    values = ", ".join(
        f"""'<attvalue for="{index}" value="' || {_escaped(identifier(name), kind, ATTRIBUTE_ESCAPES)} || '"/>'"""
        for index, (name, kind) in enumerate(columns)
    )
    return f"coalesce('<attvalues>' || nullif(concat({values}), '') || '</attvalues>', '')"


def _graphml_values(columns: list[Column], prefix: str) -> str:
    if not columns:
        return "''"
    return "concat(" + ", ".join(
        f"""'<data key="{prefix}{index}">' || {_escaped(identifier(name), kind, CONTENT_ESCAPES)} || '</data>'"""
        for index, (name, kind) in enumerate(columns)
    ) + ")"


def _escape(text: str) -> str:
    for character, entity in ATTRIBUTE_ESCAPES:
        text = text.replace(character, entity)
    return text


def _identifier(trace: str) -> str:
    return re.sub(r"[^a-z0-9_]", "_", trace.lower())
