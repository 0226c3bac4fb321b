import type { Tier, TierConfig } from "../api/contract";

/** A tier as the editor holds it: every field as typed, so a half-typed number is not lost. */
export interface TierRow {
  id: string;
  name: string;
  nameAr: string;
  minRewards: string;
  maxRewards: string;
  icon: string;
  color: string;
}

export const DEFAULT_COLOR = "#8a6d3b";

/**
 * A row of the editor. A tier of a saved custom ladder keeps its id for good (credentials and wallets carry it);
 * a default tier taken as a starting point has none yet, so its id comes from the name it is saved under.
 */
export function rowOf(tier: Tier, saved = true): TierRow {
  return {
    id: saved ? tier.id : "",
    name: tier.name,
    nameAr: tier.nameAr,
    minRewards: String(tier.minRewards),
    maxRewards: tier.maxRewards === null ? "" : String(tier.maxRewards),
    icon: tier.icon,
    color: tier.color ?? DEFAULT_COLOR,
  };
}

/** The next row's starting point: just above the current top tier, unbounded. */
export function nextRow(rows: readonly TierRow[]): TierRow {
  const top = rows.reduce((high, row) => Math.max(high, Number(row.maxRewards || row.minRewards) || 0), 0);
  return { id: "", name: "", nameAr: "", minRewards: String(top + 1), maxRewards: "", icon: "⭐", color: DEFAULT_COLOR };
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 32);
}

function whole(text: string): number {
  // A field that is not a whole number goes to the API as NaN's JSON (null), which it refuses by field.
  return /^\s*-?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

/**
 * The TierConfig the API validates, rows in the editor's order, so each 422 detail's `tiers[i]` is row i. A new
 * row's id comes from its English name (unique among the rows); a saved tier keeps its id.
 */
export function tierConfig(enabled: boolean, rows: readonly TierRow[]): TierConfig {
  const taken = new Set(rows.map((row) => row.id).filter(Boolean));
  const tiers = rows.map((row, index): Tier => {
    let id = row.id;
    if (!id) {
      const base = slug(row.name) || `tier-${index + 1}`;
      id = base;
      for (let n = 2; taken.has(id); n += 1) id = `${base.slice(0, 29)}-${n}`;
      taken.add(id);
    }
    return {
      id,
      name: row.name.trim(),
      nameAr: row.nameAr.trim(),
      minRewards: whole(row.minRewards),
      maxRewards: row.maxRewards.trim() === "" ? null : whole(row.maxRewards),
      icon: row.icon.trim(),
      color: row.color,
    };
  });
  return { enabled, tiers };
}
