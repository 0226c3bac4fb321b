import { describe, expect, test } from "vitest";
import { ApiError } from "../src/api/errors";
import { format, initialLang, refusalText, translate } from "../src/lib/i18n";
import { detailText } from "../src/lib/details";
import { num } from "../src/lib/format";
import { ar, en } from "../src/lib/strings";

describe("strings", () => {
  test("every English string has an Arabic one, and no Arabic string is left empty", () => {
    expect(Object.keys(ar).sort()).toEqual(Object.keys(en).sort());
    expect(Object.entries(ar).filter(([, text]) => !text.trim())).toEqual([]);
  });

  test("placeholders survive translation", () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(ar[key]), key).toEqual(placeholders(en[key]));
    }
  });

  test("an Arabic text shows its own numbers in Arabic-Indic digits, as its counts are", () => {
    const western = (Object.keys(ar) as (keyof typeof ar)[]).filter((key) => /(?<![A-Za-z])[0-9](?![A-Za-z])/.test(translate("ar", key)));
    expect(western).toEqual([]);
    expect(translate("ar", "refusalVOID_NOT_ALLOWED")).toContain("١٥ دقيقة");
    expect(translate("ar", "exportDone", { rows: 1200 })).toBe("صُدّر ١٬٢٠٠ من الأعضاء. يعمل الرابط مدة ١٥ دقيقة.");
    expect(translate("en", "exportDone", { rows: 1200 })).toContain("15 minutes");
  });

  test("the toggle names the other language", () => {
    expect(translate("en", "otherLanguage")).toBe("العربية");
    expect(translate("ar", "otherLanguage")).toBe("English");
  });

  test("format fills known placeholders and keeps unknown ones", () => {
    expect(format("{current} of {max}", { current: 4, max: 5 })).toBe("4 of 5");
    expect(format("{a} {b}", { a: 1 })).toBe("1 {b}");
  });
});

describe("language choice", () => {
  test("a stored choice wins, then the browser's Arabic, else English", () => {
    expect(initialLang("en", ["ar-SA"])).toBe("en");
    expect(initialLang(null, ["fr-FR", "ar-EG"])).toBe("ar");
    expect(initialLang("xx", ["fr-FR"])).toBe("en");
  });
});

describe("refusals in words", () => {
  const refused = (status: number, code: string, retryAfter: number | null = null) =>
    new ApiError(status, code, "raw message", [], retryAfter);

  test.each([
    [410, "PASS_EXPIRED", "This pass has expired: reactivate it first."],
    [409, "PASS_ACTIVE", "already active"],
    [429, "STAMP_TOO_SOON", "Too soon for another stamp"],
    [409, "REWARD_READY", "already full"],
    [409, "NOT_ENOUGH_STAMPS", "Not enough stamps"],
  ])("%i %s", (status, code, words) => {
    const text = refusalText("en", refused(status, code));
    expect(text).toContain(words);
    expect(text).not.toContain(code);
  });

  test("too soon says when the next stamp is possible", () => {
    expect(refusalText("en", refused(429, "STAMP_TOO_SOON", 150))).toContain("3 min");
  });

  test("an unknown code falls back by status, never showing the code", () => {
    expect(refusalText("en", refused(403, "SOMETHING_NEW"))).toBe(en.refusalFORBIDDEN);
    expect(refusalText("ar", refused(500, "SERVER_ERROR"))).toBe(ar.refusalGeneric);
  });

  test("a network failure is said as such", () => {
    expect(refusalText("en", new TypeError("Failed to fetch"))).toBe(en.refusalNETWORK);
  });
});

describe("one digit style per language", () => {
  test("Arabic shows Arabic-Indic digits, English Western ones", () => {
    expect(translate("ar", "stampOf", { current: 2, max: 5 })).toBe("٢ من ٥");
    expect(translate("en", "stampOf", { current: 2, max: 5 })).toBe("2 of 5");
    expect(num("ar", 1250)).toBe("١٬٢٥٠");
    expect(num("en", 1250)).toBe("1,250");
  });
});

describe("the API's field messages in the reader's language", () => {
  test.each([
    ["overlaps tier “Regular” (1–2)", "يتداخل مع المستوى “Regular” (١–٢)"],
    ["leaves a gap after tier “Regular”: no tier covers 3–4 rewards", "يترك فجوة بعد المستوى “Regular”: لا يغطي أي مستوى ٣–٤ من الجوائز"],
    ["the highest tier must be open-ended (maxRewards null)", "يجب أن يبقى المستوى الأعلى بلا حد أقصى (اترك الحد الأقصى فارغًا)"],
    ["Value error, is not an email address", "ليس عنوان بريد إلكتروني صالحًا"],
    ["must be at most 40 characters", "يجب ألا يتجاوز ٤٠ حرفًا"],
  ])("%s", (english, arabic) => {
    expect(detailText("ar", english)).toBe(arabic);
  });

  test("English keeps the API's words, without pydantic's prefix; nothing English is left in Arabic", () => {
    expect(detailText("en", "Value error, is not an email address")).toBe("is not an email address");
    expect(detailText("ar", "something the API says one day")).not.toMatch(/[A-Za-z]/);
  });
});
