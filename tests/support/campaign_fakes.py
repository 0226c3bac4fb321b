"""An in-memory `CampaignOutcomes` with the DynamoDB one's promises: a recipient won back counts once a campaign;
a fetch counts while fewer than the pass's devices have been counted for the campaign, and only after a push that
came at or after the campaign reached the pass. It may be told to fail on a call (a throttled table)."""

from __future__ import annotations

from collections import Counter

from loyalty.app.ports.wallets import PassAddress


class InMemoryCampaignOutcomes:
    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()  # (campaignId, count name)
        self.won: set[tuple[PassAddress, str]] = set()
        self.devices: dict[PassAddress, int] = {}
        self.last_push_at: dict[PassAddress, str] = {}
        self.fetches: dict[PassAddress, tuple[str, int]] = {}
        self.fail_next = 0

    def _maybe_fail(self) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise RuntimeError("throttled")

    def fetched(self, address: PassAddress, campaign_id: str, reached_at: str) -> bool:
        self._maybe_fail()
        pushed = self.last_push_at.get(address)
        if pushed is None or pushed < reached_at:
            return False
        counted_for, n = self.fetches.get(address, ("", 0))
        n = n if counted_for == campaign_id else 0
        if n >= self.devices.get(address, 0):
            return False
        self.fetches[address] = (campaign_id, n + 1)
        self.counts[(campaign_id, "fetched")] += 1
        return True

    def won_back(self, address: PassAddress, campaign_id: str, at: str) -> bool:
        self._maybe_fail()
        if (address, campaign_id) in self.won:
            return False
        self.won.add((address, campaign_id))
        self.counts[(campaign_id, "wonBack")] += 1
        return True
