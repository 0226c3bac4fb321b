import type { Lang } from "../api/contract";

/**
 * One digit style per language, everywhere a number shows: Arabic-Indic digits (٠١٢…) in Arabic, as the wallet
 * passes print them, Western digits in English. Named in the locale, so no browser default decides it.
 */
const locale = (lang: Lang) => (lang === "ar" ? "ar-u-nu-arab" : "en-GB");

/** A count in the reader's digits. */
export function num(lang: Lang, value: number): string {
  return new Intl.NumberFormat(locale(lang), { useGrouping: true, maximumFractionDigits: 2 }).format(value);
}

export function dateTime(lang: Lang, iso: string | null | undefined): string | null {
  if (!iso) return null;
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

export function day(lang: Lang, iso: string): string {
  return new Intl.DateTimeFormat(locale(lang), { day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
}

/** `YYYY-MM-DD` of `date` in UTC, `days` later (negative: earlier). */
export function isoDay(date: Date, days = 0): string {
  return new Date(date.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
