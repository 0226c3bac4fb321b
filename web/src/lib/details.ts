import type { Lang } from "../api/contract";
import { num } from "./format";

/**
 * The API's field messages (422 `details`) in the reader's language. The API writes them in English; each one it
 * gives is matched here and said again in Arabic, its numbers in Arabic digits and the names it quotes kept. A
 * message not known here is never shown in English inside an Arabic page: it becomes a plain "not valid".
 */
type Rule = [RegExp, (found: RegExpExecArray, lang: Lang) => string];

const digits = (lang: Lang, text: string) => text.replace(/\d+/g, (n) => num(lang, Number(n)));

const ARABIC: Rule[] = [
  [/^overlaps tier (.+) \((\d+)–(\d+)\)$/, (m, l) => `يتداخل مع المستوى ${m[1]} (${digits(l, `${m[2]}–${m[3]}`)})`],
  [
    /^leaves a gap after tier (.+): no tier covers (\d+)(?:–(\d+))? rewards$/,
    (m, l) => `يترك فجوة بعد المستوى ${m[1]}: لا يغطي أي مستوى ${digits(l, m[3] ? `${m[2]}–${m[3]}` : `${m[2]}`)} من الجوائز`,
  ],
  [/^only the highest tier may be open-ended/, () => "وحده المستوى الأعلى يمكن أن يبقى بلا حد أقصى"],
  [/^the highest tier must be open-ended/, () => "يجب أن يبقى المستوى الأعلى بلا حد أقصى (اترك الحد الأقصى فارغًا)"],
  [/^must not be less than minRewards \((\d+)\)$/, (m, l) => `يجب ألا يقل عن الحد الأدنى (${digits(l, m[1]!)})`],
  [/^'(.+)' is already used by (.+)$/, (m) => `المعرّف '${m[1]}' مستخدم في ${m[2]}`],
  [/^is required and must not be empty$/, () => "مطلوب ولا يمكن أن يكون فارغًا"],
  [/^must be at most (\d+) characters$/, (m, l) => `يجب ألا يتجاوز ${digits(l, m[1]!)} حرفًا`],
  [/^must be a whole number, or null/, () => "يجب أن يكون عددًا صحيحًا، أو يُترك فارغًا بلا حد"],
  [/^must be a whole number$/, () => "يجب أن يكون عددًا صحيحًا"],
  [/^must be at least (\d+)$/, (m, l) => `يجب أن يكون ${digits(l, m[1]!)} على الأقل`],
  [/^must be at most (\d+)$/, (m, l) => `يجب ألا يتجاوز ${digits(l, m[1]!)}`],
  [/^is required \(an emoji/, () => "مطلوب (رمز تعبيري مثلًا)"],
  [/^must be a colou?r written #RRGGBB$/, () => "يجب أن يكون لونًا بالصيغة ‎#RRGGBB"],
  [/^at least one tier is required$/, () => "مطلوب مستوى واحد على الأقل"],
  [/^at most (\d+) tiers are allowed/, (m, l) => `لا يُسمح بأكثر من ${digits(l, m[1]!)} مستويات`],
  [/is not an email address/, () => "ليس عنوان بريد إلكتروني صالحًا"],
  [/invisible or control characters/, () => "يحتوي على أحرف غير مرئية أو أحرف تحكم"],
];

/** A detail's message for the reader: English as the API wrote it (without pydantic's "Value error, "), or Arabic. */
export function detailText(lang: Lang, message: string): string {
  const plain = message.replace(/^Value error, /, "");
  if (lang === "en") return plain;
  for (const [pattern, say] of ARABIC) {
    const found = pattern.exec(plain);
    if (found) return say(found, lang);
  }
  return "هذه القيمة غير صالحة.";
}
