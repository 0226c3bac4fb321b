import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Lang } from "../api/contract";
import { ApiError } from "../api/errors";
import { CognitoError } from "../auth/cognito";
import { num } from "./format";
import { ar, en, type Key } from "./strings";

const dictionaries: Record<Lang, Record<Key, string>> = { en, ar };
const STORED = "loyalty.lang";

export function format(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

const ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩";

/** The dictionary's text in the reader's digits: an Arabic text's own numbers ("خلال 15 دقيقة") shown as its
 * counts are (Arabic-Indic), except inside a Latin name (A4, QR). */
function inReadersDigits(lang: Lang, text: string): string {
  return lang === "ar" ? text.replace(/(?<![A-Za-z0-9])[0-9]+(?![A-Za-z])/g, (digits) => digits.replace(/[0-9]/g, (d) => ARABIC_DIGITS[Number(d)]!)) : text;
}

export function translate(lang: Lang, key: Key, values?: Record<string, string | number>): string {
  const text = inReadersDigits(lang, dictionaries[lang][key]);
  if (!values) return text;
  // Numbers in the reader's digits ("٢ من ٥" in Arabic), whatever screen shows them.
  const shown = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, typeof value === "number" ? num(lang, value) : value]));
  return format(text, shown);
}

export function isKey(text: string): text is Key {
  return text in en;
}

/** A refusal in words for the person at the screen: never a raw code. */
export function refusalText(lang: Lang, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === "STAMP_TOO_SOON" && error.retryAfterSeconds !== null) {
      return translate(lang, "refusalSTAMP_TOO_SOON_AT", { minutes: Math.ceil(error.retryAfterSeconds / 60) });
    }
    const key = `refusal${error.code}`;
    if (isKey(key)) return translate(lang, key);
    if (error.status === 401) return translate(lang, "refusalUNAUTHORIZED");
    if (error.status === 403) return translate(lang, "refusalFORBIDDEN");
    if (error.status === 422) return translate(lang, "refusalVALIDATION_ERROR");
    return translate(lang, "refusalGeneric");
  }
  if (error instanceof CognitoError) {
    const key = `cognito${error.kind}`;
    return isKey(key) ? translate(lang, key) : translate(lang, "refusalGeneric");
  }
  return translate(lang, error instanceof TypeError ? "refusalNETWORK" : "refusalGeneric");
}

/** The language a visitor gets: the one they chose before, else their browser's, else English. */
export function initialLang(stored: string | null, browser: readonly string[]): Lang {
  if (stored === "en" || stored === "ar") return stored;
  return browser.some((tag) => tag.toLowerCase().startsWith("ar")) ? "ar" : "en";
}

export function storedLang(): Lang {
  return initialLang(localStorage.getItem(STORED), navigator.languages ?? []);
}

/** Applies the language to the document: `lang`, and `dir="rtl"` for Arabic. */
export function applyLang(lang: Lang, root: HTMLElement = document.documentElement): void {
  root.lang = lang;
  root.dir = lang === "ar" ? "rtl" : "ltr";
  localStorage.setItem(STORED, lang);
}

export interface I18n {
  lang: Lang;
  t: (key: Key, values?: Record<string, string | number>) => string;
  setLang: (lang: Lang) => void;
  refusal: (error: unknown) => string;
}

export const I18nContext = createContext<I18n>({
  lang: "en",
  t: (key, values) => translate("en", key, values),
  setLang: () => undefined,
  refusal: (error) => refusalText("en", error),
});

export function useI18n(): I18n {
  return useContext(I18nContext);
}

/** The offer's or tier's name in the reader's language, falling back to English. */
export function localName(lang: Lang, english: string | null | undefined, arabic: string | null | undefined): string {
  return (lang === "ar" && arabic ? arabic : english) ?? "";
}
