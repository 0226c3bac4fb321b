/**
 * Writes a client may retry carry one Idempotency-Key per user action: a retry after a network failure reuses it,
 * so the server answers the first attempt's result instead of acting twice (a stamp is never doubled).
 */

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/**
 * A key for one action on one pass, naming that pass: `pass.<customerId>.<offerId>.<32 hex digits>`. The server
 * tells by its form which pass it was made for, so a scan keeps its key in its one write, and the key sent about
 * another pass is refused (422) without a second write (docs/decisions/0020a).
 */
export function passKey(pass: { customerId: string; offerId: string }): string {
  return `pass.${pass.customerId}.${pass.offerId}.${crypto.randomUUID().replaceAll("-", "")}`;
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
