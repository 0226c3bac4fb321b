import type { Offer, OfferChanges } from "../api/contract";

/** Offer settings as the form holds them (every field as typed). */
export function formOf(offer: Offer) {
  return {
    name: offer.name,
    nameAr: offer.nameAr ?? "",
    rewardDescription: offer.rewardDescription ?? "",
    rewardDescriptionAr: offer.rewardDescriptionAr ?? "",
    stampsRequired: String(offer.stampsRequired),
    minMinutesBetweenStamps: String(offer.minMinutesBetweenStamps),
    expiryReminderDays: String(offer.expiryReminderDays),
    timezone: offer.timezone,
  };
}

export type SettingsForm = ReturnType<typeof formOf>;

/** Only what changed, as PATCH takes it. */
export function changesOf(before: SettingsForm, after: SettingsForm): OfferChanges {
  const changes: OfferChanges = {};
  for (const name of ["name", "nameAr", "rewardDescription", "rewardDescriptionAr"] as const) {
    if (after[name].trim() !== before[name]) changes[name] = after[name].trim();
  }
  // The document lists the time zones the server knows; the field is free text, which the server checks (a 422
  // at the field).
  if (after.timezone.trim() !== before.timezone) changes.timezone = after.timezone.trim() as OfferChanges["timezone"];
  for (const name of ["stampsRequired", "minMinutesBetweenStamps", "expiryReminderDays"] as const) {
    if (after[name] !== before[name]) changes[name] = Number(after[name]);
  }
  return changes;
}
