"""Handlers of scheduled runs (EventBridge Scheduler)."""
