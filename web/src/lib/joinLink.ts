import type { Offer } from "../api/contract";

/**
 * The join page's address. The contract has no public read of an offer, so the printed link carries the texts the
 * join page shows (name and reward, both languages) as display-only query parameters; the offer id alone decides
 * what the customer joins.
 */
export function joinLink(origin: string, offer: Offer): string {
  const texts = new URLSearchParams();
  const put = (name: string, value: string | null) => value && texts.set(name, value);
  put("name", offer.name);
  put("nameAr", offer.nameAr);
  put("reward", offer.rewardDescription);
  put("rewardAr", offer.rewardDescriptionAr);
  return `${origin}/join/${encodeURIComponent(offer.offerId)}?${texts}`;
}

export interface JoinTexts {
  name: string | null;
  nameAr: string | null;
  reward: string | null;
  rewardAr: string | null;
}

export function joinTexts(search: string): JoinTexts {
  const query = new URLSearchParams(search);
  return { name: query.get("name"), nameAr: query.get("nameAr"), reward: query.get("reward"), rewardAr: query.get("rewardAr") };
}
