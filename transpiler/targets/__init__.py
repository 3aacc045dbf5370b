"""Targets: how converted code spells the modern API."""
