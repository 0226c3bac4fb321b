import { expect, test } from "vitest";
import type { PassEvent, PassStatus } from "../src/api/contract";
import { historyBehind } from "../src/lib/history";

const pass = (currentStamps: number, rewardsClaimed: number, lifetimeStamps: number): PassStatus =>
  ({ progress: { currentStamps, rewardsClaimed }, lifetimeStamps }) as unknown as PassStatus;
const event = (currentStamps: number, rewardsClaimed: number, lifetimeStamps: number): PassEvent =>
  ({ eventId: `e${lifetimeStamps}`, kind: "STAMP", currentStamps, rewardsClaimed, lifetimeStamps }) as PassEvent;

test("the history is up to date when its newest event describes the pass as it stands", () => {
  expect(historyBehind(pass(2, 0, 2), [event(2, 0, 2), event(1, 0, 1)])).toBe(false);
});

test("the history lags while the newest change's event is not written yet", () => {
  expect(historyBehind(pass(1, 0, 1), [event(2, 0, 2), event(1, 0, 1)])).toBe(true); // a void
  expect(historyBehind(pass(0, 1, 3), [event(3, 0, 3)])).toBe(true); // a prize
  expect(historyBehind(pass(0, 0, 0), [])).toBe(true); // not even the enrollment yet
});
