import { useRef, useState } from "preact/hooks";
import { api, ok } from "../api/client";
import type { Member, Offer } from "../api/contract";
import { localName, useI18n } from "../lib/i18n";
import type { PassRef } from "../lib/qrPayload";
import { Field } from "../ui/Field";

export interface Found {
  ref: PassRef;
  member: Member;
  offer: Offer;
}

/**
 * Every offer of the business searched at once for the start of a name or an email, or a short code: a counter
 * serves all of them, and a business has a handful. The offers are read once per screen.
 */
export function useCustomerSearch() {
  const offers = useRef<Promise<Offer[]> | null>(null);
  return async (q: string): Promise<Found[]> => {
    offers.current ??= ok(api.GET("/api/offers", { params: { query: { limit: 100 } } })).then((page) => page.items);
    const all = await offers.current.catch((error: unknown) => {
      offers.current = null;
      throw error;
    });
    const pages = await Promise.all(
      all.map((offer) =>
        ok(api.GET("/api/offers/{offerId}/customers", { params: { path: { offerId: offer.offerId }, query: { q, limit: 10 } } })).then(
          (page) => page.items.map((member) => ({ ref: { customerId: member.customerId, offerId: offer.offerId }, member, offer })),
        ),
      ),
    );
    return pages.flat();
  };
}

/** "Search": finds a customer by the start of their name or email, or the short code under their barcode. */
export function FindCustomer({
  onResults,
  onStart,
  onProblem,
}: {
  onResults: (found: Found[]) => void;
  onStart: () => void;
  onProblem: (error: unknown) => void;
}) {
  const { t } = useI18n();
  const search = useCustomerSearch();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="stack find-customer"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        if (!text.trim()) return;
        onStart();
        setBusy(true);
        search(text.trim())
          .then(onResults, onProblem)
          .finally(() => setBusy(false));
      }}
    >
      <Field label={t("search")} hint={t("searchHint")} type="search" value={text} onInput={setText} dir="auto" autocomplete="off" />
      <button type="submit" class="ghost" disabled={busy}>
        {t("search")}
      </button>
    </form>
  );
}

/** What a search found: one button per pass, named after its customer, the offer beside the name. */
export function FoundList({ found, onOpen }: { found: Found[]; onOpen: (ref: PassRef) => void }) {
  const { t, lang } = useI18n();
  if (found.length === 0) return <p role="status">{t("noMembers")}</p>;
  return (
    <ul class="found" aria-label={t("searchResults")}>
      {found.map(({ ref, member, offer }) => (
        <li key={`${ref.customerId}:${ref.offerId}`}>
          <button type="button" class="ghost found-item" onClick={() => onOpen(ref)}>
            <span class="found-name">{member.name || member.customerId}</span>
            <span class="found-detail">
              {localName(lang, offer.name, offer.nameAr)} · <bdi dir="ltr">{member.email}</bdi> · <bdi dir="ltr">{member.shortCode}</bdi>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
