"""The loyalty domain: plain Python, no AWS."""
