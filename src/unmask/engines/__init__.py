"""Engines: where the trace SQL runs.  One definition of the SQL (:mod:`unmask.traces`), several engines.

* ``duckdb`` (:class:`DuckDBEngine`) -- inside the workspace, out-of-core on one machine: the default;
* ``spark`` (:class:`SparkEngine`) -- on PySpark, in local mode or on a cluster, through Parquet files; the DuckDB
  SQL is transpiled by :mod:`.transpile`.

``open_engine(name, case_dir, spark_master)`` gives the engine `unmask analyze --engine NAME` uses.
"""

from __future__ import annotations

from pathlib import Path

from .base import Engine, selected_traces
from .duckdb_engine import DuckDBEngine
from .spark_engine import SparkEngine, spark_available, start_session

ENGINES = ("duckdb", "spark")
SPARK_WORK_DIR = "spark-work"

__all__ = ["ENGINES", "DuckDBEngine", "Engine", "SparkEngine", "open_engine", "selected_traces", "spark_available",
           "start_session"]


def open_engine(name: str, case_dir: Path | str, spark_master: str | None = None) -> Engine:
    """The engine called ``name`` for the case folder ``case_dir``.

    The Spark engine exchanges Parquet in ``CASE/spark-work/`` (deleted after each run) and connects to
    ``spark_master`` (default: ``spark-submit``'s master, else ``local[*]``).  Raises ``ValueError`` for an unknown
    engine and ``RuntimeError`` when Spark cannot run here (no pyspark, no Java).
    """
    if name == "duckdb":
        return DuckDBEngine()
    if name == "spark":
        missing = spark_available()
        if missing:
            raise RuntimeError(f"--engine spark: {missing}")
        return SparkEngine(Path(case_dir) / SPARK_WORK_DIR, master=spark_master)
    raise ValueError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
