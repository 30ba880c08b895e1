"""The investigator's report, the exports and the local web UI.

``write_report(con, case_dir)`` writes ``CASE/report.html`` (one self-contained file that opens offline) and
``CASE/exports/`` (CSV and Parquet tables, GEXF and GraphML, a STIX 2.1 bundle, a Markdown summary) from an
open workspace.  ``collect`` gathers the same model the report shows; :mod:`.verdicts` records the analyst's
decisions; ``unmask serve`` (:mod:`.serve`) browses a case and records verdicts.
"""

from .collect import collect
from .model import ReportOptions
from .verdicts import VERDICTS, record_account, record_cluster
from .write import write_report

__all__ = ["VERDICTS", "ReportOptions", "collect", "record_account", "record_cluster", "write_report"]
