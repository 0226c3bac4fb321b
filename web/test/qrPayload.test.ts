import { expect, test } from "vitest";
import { parseQrPayload, parseShortCode } from "../src/lib/qrPayload";

test("a pass QR gives its customer and offer", () => {
  expect(parseQrPayload("loyalty:v1:cus_abc123:off_xyz789")).toEqual({ customerId: "cus_abc123", offerId: "off_xyz789" });
  expect(parseQrPayload("  loyalty:v1:cus_a:off_b\n")).toEqual({ customerId: "cus_a", offerId: "off_b" });
});

test.each([
  "",
  "loyalty:v2:cus_a:off_b",
  "loyalty:v1:off_b:cus_a",
  "loyalty:v1:cus_a",
  "loyalty:v1:cus_a:off_b:extra",
  "https://example.com/join/off_b",
  "loyalty:v1:cus_a/../x:off_b",
])("%j is not a pass QR", (text) => {
  expect(parseQrPayload(text)).toBeNull();
});

test("a short code is read as a person types it", () => {
  expect(parseShortCode("k7m2-abcd")).toBe("K7M2ABCD");
  expect(parseShortCode(" K7M2 ABCD ")).toBe("K7M2ABCD");
  expect(parseShortCode("K7M2ABC0")).toBeNull(); // zero is never printed
  expect(parseShortCode("K7M2ABC")).toBeNull();
  expect(parseShortCode("cus_abcdefgh")).toBeNull();
});
