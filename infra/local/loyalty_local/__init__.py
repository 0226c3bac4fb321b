"""The local stack: what AWS runs, on this machine, with no Docker."""
