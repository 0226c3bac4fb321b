import { expect, test } from "vitest";
import type { Offer } from "../src/api/contract";
import { changesOf, formOf } from "../src/lib/offerSettings";

const offer: Offer = {
  offerId: "off_1",
  businessId: "biz_1",
  name: "Coffee Card",
  nameAr: null,
  stampsRequired: 5,
  rewardDescription: "A coffee",
  rewardDescriptionAr: null,
  loyaltyTiers: null,
  effectiveTiers: [],
  minMinutesBetweenStamps: 0,
  expiryReminderDays: 14,
  timezone: "UTC",
  status: "ACTIVE",
  createdAt: "2026-12-01T00:00:00Z",
  updatedAt: "2026-12-01T00:00:00Z",
};

test("the form shows every setting as typed text, an absent Arabic text as empty", () => {
  expect(formOf(offer)).toMatchObject({ nameAr: "", stampsRequired: "5", minMinutesBetweenStamps: "0", timezone: "UTC" });
});

test("PATCH carries only what changed, numbers as numbers, texts trimmed", () => {
  const before = formOf(offer);
  expect(changesOf(before, before)).toEqual({});
  expect(changesOf(before, { ...before, nameAr: " بطاقة ", stampsRequired: "8", timezone: "Asia/Riyadh" })).toEqual({
    nameAr: "بطاقة",
    stampsRequired: 8,
    timezone: "Asia/Riyadh",
  });
});
