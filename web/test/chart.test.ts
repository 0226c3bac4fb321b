import { expect, test } from "vitest";
import { dailyChart, niceTop } from "../src/lib/chart";

test("the axis top is a nice number at least the highest bar", () => {
  expect([0, 1, 3, 7, 12, 51].map(niceTop)).toEqual([1, 1, 5, 10, 20, 100]);
});

test("bars stand on the baseline, scaled to the top", () => {
  const chart = dailyChart(
    [
      { date: "2026-12-01", stamps: 10, prizes: 2, voids: 0, enrollments: 1 },
      { date: "2026-12-02", stamps: 0, prizes: 0, voids: 0, enrollments: 0 },
    ],
    200,
    100,
  );
  expect(chart.top).toBe(10);
  expect(chart.stamps[0]).toMatchObject({ y: 0, height: 100, value: 10 });
  expect(chart.prizes[0]).toMatchObject({ y: 80, height: 20 });
  expect(chart.stamps[1]!.height).toBe(0);
  expect(chart.prizes[0]!.x).toBeGreaterThan(chart.stamps[0]!.x);
});
