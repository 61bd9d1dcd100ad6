"""Projections: pure folds of the log into what analysts ask for, on any of the three clocks."""
