"""Use cases of the business, its branches and its people."""
