import type { ErrorBody, ErrorDetail } from "./contract";

/** A refusal in the contract's error body (or a failure that has none, such as a gateway's 502). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }

  static from(status: number, body: unknown, retryAfter: string | null = null): ApiError {
    const error = (body as Partial<ErrorBody> | undefined)?.error;
    const seconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : null;
    if (error && typeof error.code === "string") {
      return new ApiError(status, error.code, error.message ?? error.code, error.details ?? [], seconds);
    }
    const code = status >= 500 ? "SERVER_ERROR" : `HTTP_${status}`;
    return new ApiError(status, code, `HTTP ${status}`, [], seconds);
  }
}

/** Where a field error belongs in a form: a tier row's field, or a field of the form itself. */
export type FieldTarget = { row: number; field: string } | { row: null; field: string };

const TIER_FIELD = /^tiers\[(\d+)\](?:\.(\w+))?$/;

/**
 * The form target of a 422 detail's `field` path. The same ladder is validated alone (PUT loyalty-tiers:
 * `tiers[1].minRewards`) and inside a larger body (pass preview, create offer: `loyaltyTiers.tiers[1].minRewards`).
 */
export function fieldTarget(path: string): FieldTarget {
  const local = path.replace(/^loyaltyTiers\./, "");
  const tier = TIER_FIELD.exec(local);
  if (tier) return { row: Number(tier[1]), field: tier[2] ?? "" };
  return { row: null, field: local };
}

/**
 * `"tiers[1].minRewards"`-style key → messages, for showing each message next to its field; `say` puts each in
 * the reader's language (lib/details.ts).
 */
export function fieldErrors(details: readonly ErrorDetail[], say: (message: string) => string = (m) => m): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  for (const detail of details) {
    const target = fieldTarget(detail.field);
    const key = target.row === null ? target.field : `tiers[${target.row}].${target.field}`;
    byField.set(key, [...(byField.get(key) ?? []), say(detail.message)]);
  }
  return byField;
}
