"""Sinks: where a graph goes (files, the interactive page, triplestores)."""
