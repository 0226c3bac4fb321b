"""Adapters over Amazon SQS."""
