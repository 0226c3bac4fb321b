import type { Lang } from "../api/contract";

const locale = (lang: Lang) => (lang === "ar" ? "ar" : "en-GB");

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
