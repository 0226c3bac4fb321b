/**
 * The join page's address: the offer id alone. Everything the page shows of the offer (its texts, its status, the
 * business's brand) comes from the public offer card, never from the address, so a link cannot make the page say
 * what the business did not.
 */
export function joinLink(origin: string, offerId: string): string {
  return `${origin}/join/${encodeURIComponent(offerId)}`;
}
