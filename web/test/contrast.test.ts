import { describe, expect, it } from "vitest";
import { contrastRatio, passLabelColor } from "../src/lib/contrast";

describe("contrast", () => {
  it("follows WCAG as the server does", () => {
    expect(contrastRatio("#FFFFFF", "#000000")).toBeCloseTo(21, 5);
    expect(contrastRatio("#777777", "#FFFFFF")).toBeCloseTo(4.48, 2);
    expect(contrastRatio("#123456", "#123456")).toBeCloseTo(1, 5);
  });

  it("keeps a tier colour on the labels only where it is readable", () => {
    expect(passLabelColor("#FFF8E7", "#6B4226", "#145A32")).toBe("#145A32");
    expect(passLabelColor("#FFF8E7", "#6B4226", "#F7DC6F")).toBe("#6B4226");
    expect(passLabelColor("#FFF8E7", "#6B4226", null)).toBe("#6B4226");
  });
});
