import { expect, test } from "vitest";
import { ApiError, fieldErrors, fieldTarget } from "../src/api/errors";

test("a tier field path names its row and field", () => {
  expect(fieldTarget("tiers[1].minRewards")).toEqual({ row: 1, field: "minRewards" });
  expect(fieldTarget("loyaltyTiers.tiers[0].color")).toEqual({ row: 0, field: "color" });
  expect(fieldTarget("tiers[2]")).toEqual({ row: 2, field: "" });
  expect(fieldTarget("stampsRequired")).toEqual({ row: null, field: "stampsRequired" });
  expect(fieldTarget("tiers")).toEqual({ row: null, field: "tiers" });
});

test("details are grouped by the field they name, prefix or not", () => {
  const errors = fieldErrors([
    { field: "tiers[1].minRewards", message: "overlaps tier 1" },
    { field: "loyaltyTiers.tiers[1].minRewards", message: "leaves a gap" },
    { field: "tiers[0].name", message: "empty" },
    { field: "tiers", message: "too many" },
  ]);
  expect(errors.get("tiers[1].minRewards")).toEqual(["overlaps tier 1", "leaves a gap"]);
  expect(errors.get("tiers[0].name")).toEqual(["empty"]);
  expect(errors.get("tiers")).toEqual(["too many"]);
});

test("an error body becomes an ApiError; a body without one keeps the status", () => {
  const body = { success: false, error: { code: "STAMP_TOO_SOON", message: "wait", details: [] } };
  const error = ApiError.from(429, body, "120");
  expect([error.code, error.retryAfterSeconds]).toEqual(["STAMP_TOO_SOON", 120]);
  expect(ApiError.from(502, { message: "Internal Server Error" }).code).toBe("SERVER_ERROR");
  expect(ApiError.from(401, undefined, "soon").retryAfterSeconds).toBeNull();
});
