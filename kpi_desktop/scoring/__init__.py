"""Decree 335 scoring: pure functions driven by a versioned ScoringPolicy."""
