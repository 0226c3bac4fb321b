"""Shared code of the loyalty platform, shipped to every function as the `loyalty` Lambda layer."""
