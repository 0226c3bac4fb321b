import { describe, expect, it } from "vitest";
import { deliveryText, resultText } from "../src/lib/deliveryStrings";

describe("delivery in words", () => {
  it("says what a wallet answered in the reader's language", () => {
    expect(resultText("en", "DELIVERED")).toBe("Delivered");
    expect(resultText("ar", "DELIVERED")).toBe("وصل");
    expect(resultText("en", "UNREGISTERED")).toBe("The pass left the wallet");
    expect(resultText("en", "FAILED: APNs answered 503 ServiceUnavailable")).toBe("Failed: APNs answered 503 ServiceUnavailable");
    expect(resultText("ar", null)).toBe("ليس بعد");
  });

  it("has every word in both languages", () => {
    expect(deliveryText("ar", "appleInstalled")).not.toBe(deliveryText("en", "appleInstalled"));
    expect(deliveryText("ar", "atRisk")).toBe("معرّضون للانقطاع");
  });
});
