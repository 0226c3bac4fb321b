import type { PassEvent, PassStatus } from "../api/contract";

/** How often, and how many times, a member page reads the history again while it lags behind the pass. */
export const HISTORY_RETRY_MS = 500;
export const HISTORY_RETRIES = 20;

/** A pass's history is written by the table stream a moment after each change (issue 15), so right after a
 * change the pass may already stand where its newest event does not yet: true while the newest event (if any)
 * does not describe the pass as it stands. */
export function historyBehind(pass: PassStatus, history: readonly PassEvent[]): boolean {
  const newest = history[0];
  if (!newest) return true;
  return (
    newest.currentStamps !== pass.progress.currentStamps ||
    newest.rewardsClaimed !== pass.progress.rewardsClaimed ||
    newest.lifetimeStamps !== pass.lifetimeStamps
  );
}
