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

