import type { DayCounts } from "../api/contract";

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
}

export interface DailyChart {
  stamps: Bar[];
  prizes: Bar[];
  ticks: number[];
  top: number;
}

/** A "nice" axis top: 1, 2 or 5 times a power of ten, at least `max` (and at least 1). */
export function niceTop(max: number): number {
  if (max <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((step) => step * power).find((top) => top >= max) ?? 10 * power;
}

/** Grouped bars (stamps beside prizes) per day inside a `width` × `height` plot area. */
export function dailyChart(days: readonly DayCounts[], width: number, height: number): DailyChart {
  const top = niceTop(Math.max(0, ...days.map((day) => Math.max(day.stamps, day.prizes))));
  const slot = days.length ? width / days.length : width;
  const bar = Math.max(1, slot * 0.38);
  const scale = (value: number) => (value / top) * height;
  const barAt = (index: number, offset: number, value: number): Bar => ({
    x: index * slot + slot * 0.1 + offset,
    y: height - scale(value),
    width: bar,
    height: scale(value),
    value,
  });
  return {
    stamps: days.map((day, index) => barAt(index, 0, day.stamps)),
    prizes: days.map((day, index) => barAt(index, bar, day.prizes)),
    ticks: [0, top / 2, top],
    top,
  };
}
