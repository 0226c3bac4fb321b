"""HTTP edge: the Powertools resolver, authorization from JWT claims, error mapping."""
