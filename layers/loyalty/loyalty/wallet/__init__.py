"""Wallet passes: Apple Wallet (`wallet.apple`) and Google Wallet (`wallet.google`)."""
