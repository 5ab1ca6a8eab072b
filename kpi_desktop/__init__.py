"""KPI Desktop: offline-first work log and Decree 335/2025/NĐ-CP evaluation."""

__version__ = "0.1.0"
