"""The Spark engine: the same trace SQL on PySpark, in local mode or on a cluster, through Parquet files.

A run, for the traces chosen:

1. the canonical tables ``posts``, ``accounts`` and ``media`` of the workspace are written to Parquet in the work
   folder, and Spark reads them as views of the same names;
2. per trace, its ``prepare`` step runs on the driver, against the workspace, with the DuckDB engine's code: the
   MinHash and LSH steps of the near-duplicate texts and of synchronised activity are numpy, and their global
   grouping (union-find over every text) does not split into partitions.  The tables that step creates are
   shipped to Spark as Parquet views.  Then the trace's statements (:func:`unmask.traces.run.trace_statements`,
   the one definition both engines run) are transpiled to Spark SQL (:mod:`.transpile`) and run, in a thread of
   their own while the next trace is prepared; they write the trace's own Parquet tables ``trace_actions``,
   ``trace_pairs`` and ``trace_evidence`` in the work folder (two Spark jobs appending to one table at once
   would delete each other's staging files);
3. those tables are loaded back into the workspace, where significance, communities, scores and the report run
   on the (much smaller) pair tables, and the work folder is deleted.

On a cluster, the work folder must be on storage that the driver and every executor see at the same path
(see ``docs/spark.md``).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from ..traces import TRACES, Trace, TraceParams, TraceStats
from ..traces.run import trace_statements, trace_stats
from ..traces.tables import TABLES, clear_trace, trace_run
from .base import Engine, selected_traces
from .parquet import append_parquet, export_table, table_oids
from .transpile import spark_type, to_spark

if TYPE_CHECKING:  # pyspark is an optional extra
    from pyspark.sql import SparkSession

INPUTS = ("posts", "accounts", "media")
SESSION_CONF = {
    "spark.ui.enabled": "false",  # offline work: no web server on the investigator's machine unless asked for
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",  # timestamps are naive UTC; EPOCH must read them as UTC
}
# Local mode runs everything in the driver's JVM.  A run is minutes of many short queries, each with new generated
# code: with the JVM's default thresholds its optimising compiler (C2) used as much CPU as the tasks did (10^6
# posts); compiling only the hottest methods with it cut the JVM's CPU time by a fifth.  (Without C2 at all the
# tasks ran half as slow again: 336 s of CPU against 247 s.)  G1's concurrent marking and the compression of
# shuffle and output files, which stay on the one machine, cost CPU too: the throughput collector and plain files
# took the traces at 10^6 posts from 244 s to 216 s of CPU (JVM and Python; GC threads 16 s → 6 s).
LOCAL_CONF = {
    "spark.driver.memory": "4g",
    "spark.driver.extraJavaOptions": "-XX:+UseParallelGC "
                                     "-XX:Tier4InvocationThreshold=200000 -XX:Tier4MinInvocationThreshold=20000 "
                                     "-XX:Tier4CompileThreshold=500000 -XX:Tier4BackEdgeThreshold=2000000",
    "spark.shuffle.compress": "false",
    "spark.shuffle.spill.compress": "false",
    "spark.sql.parquet.compression.codec": "uncompressed",
    # A join whose shuffled partitions are small enough to hash in memory skips sorting both sides (the matches
    # of the windowed traces: 34 s → 27 s at 10^6 posts).
    "spark.sql.adaptive.maxShuffledHashJoinLocalMapThreshold": "512MB",
}
PAIR_KEY = ("platform", "account_a", "account_b")  # what pairs, evidence and their ranking group by


def start_session(master: str | None = None, conf: Mapping[str, str] | None = None) -> SparkSession:
    """A Spark session for the traces: ``master`` (``local[2]``, ``spark://host:7077``, ``yarn``, ...; None: the
    one ``spark-submit`` gave, else ``local[*]``), with :data:`SESSION_CONF`, in local mode :data:`LOCAL_CONF`,
    and ``conf`` over both.  Raises ``ImportError`` when pyspark is not installed."""
    from pyspark.sql import SparkSession

    local = master is None or master.startswith("local")
    builder = SparkSession.builder.appName("unmask")
    if master:
        builder = builder.master(master)
    for key, value in {**SESSION_CONF, **(LOCAL_CONF if local else {}), **(conf or {})}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    if session.sparkContext.master.startswith("local") and "spark.sql.shuffle.partitions" not in (conf or {}):
        session.conf.set("spark.sql.shuffle.partitions", str(2 * session.sparkContext.defaultParallelism))
    return session


class SparkEngine(Engine):
    """Runs the trace SQL on Spark; ``work_dir`` holds the Parquet exchanged with the workspace during a run.

    The session is ``session`` if given, else the active one (a test's, a notebook's), else one started with
    :func:`start_session` (``master``, ``conf``); :meth:`close` stops only a session the engine started.
    ``concurrent_traces`` traces run on Spark at once (their jobs share the cores: while one trace's query is being
    planned, or waits for its last task, another's tasks run).
    """

    name = "spark"

    def __init__(self, work_dir: Path | str, master: str | None = None, conf: Mapping[str, str] | None = None,
                 session: SparkSession | None = None, concurrent_traces: int = 2) -> None:
        from pyspark.sql import SparkSession

        self.work_dir = Path(work_dir)
        self.concurrent_traces = concurrent_traces
        self._views: set[str] = set()
        running = session or SparkSession.getActiveSession()
        self._owns_session = running is None
        self.session = running or start_session(master, conf)
        self.session.conf.set("spark.sql.session.timeZone", "UTC")

    def run_traces(
        self, con: duckdb.DuckDBPyConnection, params: TraceParams = TraceParams(), names: list[str] | None = None
    ) -> dict[str, TraceStats]:
        """Compute the traces on Spark and load their tables into the workspace (see the module's steps)."""
        selected = selected_traces(names)
        shutil.rmtree(self.work_dir, ignore_errors=True)
        with trace_run(con, fresh=names is None), ThreadPoolExecutor(self.concurrent_traces) as pool:
            for table in INPUTS:
                self._put(table, export_table(con, table, self.work_dir / "inputs" / f"{table}.parquet"))
            running = {}
            for name in selected:
                started = time.perf_counter()
                trace = TRACES[name]()
                clear_trace(con, name)
                self._prepare(con, trace, params)
                running[name] = pool.submit(self._run_statements, trace, params, time.perf_counter() - started)
            seconds = {name: future.result() for name, future in running.items()}
        for table, columns in TABLES.items():
            for name in selected:
                append_parquet(con, table, [column for column, _ in columns], self._output(table, name))
        shutil.rmtree(self.work_dir, ignore_errors=True)
        return {name: trace_stats(con, name, seconds[name]) for name in selected}

    def execute(self, statements: list[str], tables: Mapping[str, str] | None = None) -> None:
        """Run DuckDB-dialect ``statements`` in order, each transpiled to Spark SQL (the tables they create
        distributed by :data:`PAIR_KEY` when they have it; the tables in ``tables`` renamed as it maps them)."""
        for statement in statements:
            for spark_sql in to_spark(statement, PAIR_KEY, tables):
                self.session.sql(spark_sql)

    def close(self) -> None:
        """Drop the run's views; stop the session if this engine started it."""
        if self._owns_session:
            self.session.stop()
        else:
            for view in sorted(self._views):
                self.session.catalog.dropTempView(view)

    def _prepare(self, con: duckdb.DuckDBPyConnection, trace: Trace, params: TraceParams) -> None:
        """Run ``trace.prepare`` on the workspace and ship the tables it (re)created to Spark."""
        before = table_oids(con)
        trace.prepare(con, params)
        for name in sorted({name for name, _ in table_oids(con) - before}):
            self._put(name, export_table(con, name, self.work_dir / "helpers" / trace.name / f"{name}.parquet"))

    def _put(self, name: str, path: Path) -> None:
        """Make the Parquet file ``path`` the Spark view ``name``."""
        self.session.read.parquet(path.resolve().as_uri()).createOrReplaceTempView(name)
        self._views.add(name)

    def _run_statements(self, trace: Trace, params: TraceParams, prepared: float) -> float:
        """Run one trace's statements on Spark, writing to Parquet tables of its own (``trace_pairs`` is
        ``trace_pairs__<trace>`` in its SQL), so that traces run side by side; returns the trace's seconds: these
        statements' and the ``prepared`` seconds of its preparation (not the time it waited for a thread)."""
        started = time.perf_counter()
        tables = {table: f"{table}__{trace.name}" for table in TABLES}
        try:
            for table, columns in TABLES.items():
                body = ", ".join(f"{column} {spark_type(typ)}" for column, typ in columns)
                location = self._output(table, trace.name).resolve().as_uri()
                self.session.sql(f"CREATE TABLE {tables[table]} ({body}) USING parquet LOCATION '{location}'")
            self.execute(trace_statements(trace, params), tables)
        finally:
            for name in tables.values():  # the catalog entries only: the files stay for the workspace to load
                self.session.sql(f"DROP TABLE IF EXISTS {name}")
        return prepared + time.perf_counter() - started

    def _output(self, table: str, trace: str) -> Path:
        return self.work_dir / "outputs" / table / trace


def spark_available() -> str | None:
    """None when the Spark engine can run here, else why not (pyspark missing, or no Java)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'unmask[spark]')"
    java = Path(os.environ["JAVA_HOME"]) / "bin" / "java" if os.environ.get("JAVA_HOME") else shutil.which("java")
    if not java or not Path(java).exists():
        return "no Java runtime found (install openjdk-17-jre-headless or set JAVA_HOME)"
    return None
