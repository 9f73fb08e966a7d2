"""Reports computed from the graph and its metrics (never from the sources)."""

from aieco.report.centrality import CentralityReport, build_centrality_report, write_centrality_report

__all__ = ["CentralityReport", "build_centrality_report", "write_centrality_report"]
