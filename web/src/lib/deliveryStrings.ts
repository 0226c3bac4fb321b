/** The words of "delivery you can see" (a member's wallets, an offer's wallet counts), in English and Arabic. Kept
 * beside the app's dictionary (strings.ts) and read through `deliveryText`. */
import type { Lang } from "../api/contract";
import { format } from "./i18n";
import { num } from "./format";

const en = {
  wallets: "Wallets",
  appleWallet: "Apple Wallet",
  googleWallet: "Google Wallet",
  devices: "Devices",
  lastPush: "Last update sent",
  pushResult: "What Apple answered",
  lastFetched: "Last fetched by the phone",
  upToDate: "Up to date",
  saved: "In the wallet",
  lastUpdate: "Last update",
  updateResult: "What Google answered",
  yes: "Yes",
  no: "No",
  notYet: "Not yet",
  unknown: "Not known yet",
  savedYes: "Saved",
  savedNo: "Removed",
  resultDELIVERED: "Delivered",
  resultUNREGISTERED: "The pass left the wallet",
  resultPENDING: "On its way",
  resultFAILED: "Failed: {why}",
  resultOK: "Updated",
  appleInstalled: "On Apple Wallet",
  appleRemoved: "Removed from Apple Wallet",
  googleSaved: "Saved in Google Wallet",
  googleRemoved: "Removed from Google Wallet",
  upToDateCount: "Up to date",
  atRisk: "At risk",
  expiringSoon: "Expiring soon",
  wonBack: "Won back",
  membersNow: "Members now",
};

type DeliveryKey = keyof typeof en;

const ar: Record<DeliveryKey, string> = {
  wallets: "المحافظ",
  appleWallet: "محفظة Apple",
  googleWallet: "محفظة Google",
  devices: "الأجهزة",
  lastPush: "آخر تحديث أُرسل",
  pushResult: "رد Apple",
  lastFetched: "آخر تنزيل من الهاتف",
  upToDate: "محدّثة",
  saved: "في المحفظة",
  lastUpdate: "آخر تحديث",
  updateResult: "رد Google",
  yes: "نعم",
  no: "لا",
  notYet: "ليس بعد",
  unknown: "غير معروف بعد",
  savedYes: "محفوظة",
  savedNo: "أُزيلت",
  resultDELIVERED: "وصل",
  resultUNREGISTERED: "أُزيلت البطاقة من المحفظة",
  resultPENDING: "في الطريق",
  resultFAILED: "تعذّر: {why}",
  resultOK: "حُدّثت",
  appleInstalled: "في محفظة Apple",
  appleRemoved: "أُزيلت من محفظة Apple",
  googleSaved: "محفوظة في محفظة Google",
  googleRemoved: "أُزيلت من محفظة Google",
  upToDateCount: "محدّثة",
  atRisk: "معرّضون للانقطاع",
  expiringSoon: "تنتهي قريبًا",
  wonBack: "عادوا",
  membersNow: "الأعضاء الآن",
};

const dictionaries: Record<Lang, Record<DeliveryKey, string>> = { en, ar };

export function deliveryText(lang: Lang, key: DeliveryKey, values?: Record<string, string>): string {
  return format(dictionaries[lang][key], values);
}

/** What a wallet answered, in words: DELIVERED, UNREGISTERED, PENDING, OK, or `FAILED: <why>`. */
export function resultText(lang: Lang, result: string | null | undefined): string {
  if (!result) return deliveryText(lang, "notYet");
  const [kind, ...why] = result.split(": ");
  const key = `result${kind}`;
  if (key in en) return deliveryText(lang, key as DeliveryKey, { why: why.join(": ") });
  return result;
}

export function countText(lang: Lang, value: number): string {
  return num(lang, value);
}
