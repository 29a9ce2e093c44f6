"""Composition root: configuration, wiring of adapters into services, app factory, CLI."""
