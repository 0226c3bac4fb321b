"""Moca AIR Kit: the partner JWT we sign, the JWKS AIR Kit verifies it with, and the credential API client."""
