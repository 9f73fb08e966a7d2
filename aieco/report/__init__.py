"""Reports computed from the graph and its metrics (never from the sources): the centrality
report as HTML, Markdown and CSV.

Imports :mod:`aieco.metrics`, :mod:`aieco.graph` and below.
"""

from aieco.report.centrality_report import CentralityReport, build_centrality_report, write_centrality_report

__all__ = ["CentralityReport", "build_centrality_report", "write_centrality_report"]
