"""Entrypoints: how requests and events reach the use cases (HTTP today; streams and schedules in functions/)."""
