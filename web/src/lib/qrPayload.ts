/** The pass QR: `loyalty:v1:<customerId>:<offerId>`, as enroll's `qrPayload` gives it. */
export interface PassRef {
  customerId: string;
  offerId: string;
}

const PAYLOAD = /^loyalty:v1:(cus_[A-Za-z0-9_-]+):(off_[A-Za-z0-9_-]+)$/;

export function parseQrPayload(text: string): PassRef | null {
  const found = PAYLOAD.exec(text.trim());
  return found ? { customerId: found[1]!, offerId: found[2]! } : null;
}


/** The short code printed under a pass's barcode: 8 characters without look-alikes (no 0, 1, I, L, O). */
const SHORT_CODE = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/;

/** What a person typed, as a short code (case, spaces and dashes ignored), or null when it cannot be one. */
export function parseShortCode(text: string): string | null {
  const code = text.toUpperCase().replace(/[\s\-_]/g, "");
  return SHORT_CODE.test(code) ? code : null;
}
