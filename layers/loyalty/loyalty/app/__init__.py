"""Use cases: what the platform does for a business, a manager and a customer. They reach storage, wallets and
AIR Kit only through the Protocols in `ports`; the adapters that implement them are chosen by `bootstrap`."""
