"""Adapters: DynamoDB, AIR Kit, Apple and Google Wallet, SQS. Each implements a port of `loyalty.app.ports`."""
