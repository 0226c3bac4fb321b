import { expect, test } from "vitest";
import { nextRow, rowOf, tierConfig, type TierRow } from "../src/lib/tierRows";

const row = (over: Partial<TierRow>): TierRow => ({
  id: "",
  name: "Regular",
  nameAr: "عادي",
  minRewards: "1",
  maxRewards: "2",
  icon: "⭐",
  color: "#112233",
  ...over,
});

test("rows become the API's TierConfig in the editor's order; empty maximum is unlimited", () => {
  const config = tierConfig(true, [row({}), row({ name: "VIP", nameAr: "كبار", minRewards: "3", maxRewards: "" })]);
  expect(config.enabled).toBe(true);
  expect(config.tiers.map((t) => [t.id, t.minRewards, t.maxRewards])).toEqual([
    ["regular", 1, 2],
    ["vip", 3, null],
  ]);
});

test("new ids are unique, slugs of the English name; saved ids stay", () => {
  const config = tierConfig(true, [row({ id: "regular" }), row({ name: "Regular!" }), row({ name: "" })]);
  expect(config.tiers.map((t) => t.id)).toEqual(["regular", "regular-2", "tier-3"]);
});

test("a number that is not whole goes as NaN, for the API to refuse by field", () => {
  expect(tierConfig(true, [row({ minRewards: "1.5" })]).tiers[0]!.minRewards).toBeNaN();
});

test("a saved tier round-trips through a row", () => {
  const tier = { id: "gold", name: "Gold", nameAr: "ذهبي", minRewards: 6, maxRewards: null, icon: "🥇", color: "#ffd700" };
  expect(tierConfig(true, [rowOf(tier)]).tiers[0]).toEqual(tier);
});

test("the next row starts above the top tier", () => {
  expect(nextRow([row({ minRewards: "1", maxRewards: "2" }), row({ minRewards: "3", maxRewards: "5" })]).minRewards).toBe("6");
  expect(nextRow([]).minRewards).toBe("1");
});

test("a default tier taken as a starting point gets its id from its name; a saved one keeps its id", () => {
  const bronze = { id: "bronze", name: "Bronze Member", nameAr: "برونزي", minRewards: 1, maxRewards: 2, icon: "🥉", color: "#8a6d3b" };
  const renamed = { ...rowOf(bronze, false), name: "Barista Club" };
  expect(tierConfig(true, [renamed]).tiers[0]!.id).toBe("barista-club");
  const saved = { ...rowOf(bronze), name: "Barista Club" };
  expect(tierConfig(true, [saved]).tiers[0]!.id).toBe("bronze");
});
