/**
 * Writes a client may retry carry one Idempotency-Key per user action: a retry after a network failure reuses it,
 * so the server answers the first attempt's result instead of acting twice (a stamp is never doubled).
 */

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export interface RetryPolicy {
  attempts: number;
  delayMs: number;
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A fetch that failed before any answer arrived (offline, connection reset): safe to retry with the same key. */
export function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError;
}

/** Sends with `key`, retrying only network failures, always with that same key. */
export async function sendIdempotent<T>(
  key: string,
  send: (key: string) => Promise<T>,
  policy: RetryPolicy = { attempts: 3, delayMs: 600 },
): Promise<T> {
  const sleep = policy.sleep ?? wait;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send(key);
    } catch (error) {
      if (!isNetworkFailure(error) || attempt >= policy.attempts) throw error;
      await sleep(policy.delayMs * attempt);
    }
  }
}
