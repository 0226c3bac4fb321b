import { useRef, useState } from "preact/hooks";
import { api, idempotent, ok } from "../api/client";
import type { Offer, OfferDraft } from "../api/contract";
import { ApiError, fieldErrors } from "../api/errors";
import { detailText } from "../lib/details";
import { newIdempotencyKey, sendIdempotent } from "../api/idempotency";
import { localName, useI18n } from "../lib/i18n";
import { navigate } from "../lib/router";
import { useLoad } from "../lib/useLoad";
import { Field, Notice } from "../ui/Field";
import { StatusBadge } from "../ui/StatusBadge";

const EMPTY = { name: "", nameAr: "", stampsRequired: "5", reward: "", rewardAr: "" };

function draftOf(form: typeof EMPTY): OfferDraft {
  const draft: OfferDraft = { name: form.name.trim(), stampsRequired: Number(form.stampsRequired) };
  if (form.nameAr.trim()) draft.nameAr = form.nameAr.trim();
  if (form.reward.trim()) draft.rewardDescription = form.reward.trim();
  if (form.rewardAr.trim()) draft.rewardDescriptionAr = form.rewardAr.trim();
  return draft;
}

/**
 * "Create offer": one Idempotency-Key per filled-in form, so a double click or a retry after a lost answer makes one
 * offer; an edit takes a new key, since the server replays a key's first answer, a refusal included.
 */
function CreateOffer({ onCreated }: { onCreated: (offer: Offer) => void }) {
  const { t, lang, refusal } = useI18n();
  const [form, setForm] = useState(EMPTY);
  const [key, setKey] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const sending = useRef(false);
  const [error, setError] = useState<unknown>(null);
  const errors = error instanceof ApiError ? fieldErrors(error.details, (message) => detailText(lang, message)) : new Map<string, string[]>();
  const edit = (name: keyof typeof EMPTY) => (value: string) => {
    setForm({ ...form, [name]: value });
    setKey(newIdempotencyKey());
  };

  async function submit(event: Event) {
    event.preventDefault();
    // A double click fires twice before the page redraws: the second one waits for nothing and sends nothing.
    if (sending.current) return;
    sending.current = true;
    setBusy(true);
    setError(null);
    try {
      const body = draftOf(form);
      const offer = await sendIdempotent(key, (k) => ok(api.POST("/api/offers", { body, ...idempotent(k) })));
      onCreated(offer);
      setForm(EMPTY);
      setKey(newIdempotencyKey());
    } catch (failure) {
      setError(failure);
    } finally {
      sending.current = false;
      setBusy(false);
    }
  }

  return (
    <form class="card stack" onSubmit={submit} aria-labelledby="create-offer">
      <h2 id="create-offer">{t("createOffer")}</h2>
      <div class="grid2">
        <Field label={t("offerNameEn")} value={form.name} onInput={edit("name")} required dir="ltr" errors={errors.get("name")} />
        <Field label={t("offerNameAr")} value={form.nameAr} onInput={edit("nameAr")} dir="rtl" errors={errors.get("nameAr")} />
        <Field label={t("rewardEn")} value={form.reward} onInput={edit("reward")} dir="ltr" errors={errors.get("rewardDescription")} />
        <Field label={t("rewardAr")} value={form.rewardAr} onInput={edit("rewardAr")} dir="rtl" errors={errors.get("rewardDescriptionAr")} />
        <Field
          label={t("stampsRequired")}
          type="number"
          min={1}
          max={50}
          value={form.stampsRequired}
          onInput={edit("stampsRequired")}
          required
          errors={errors.get("stampsRequired")}
        />
      </div>
      {error !== null && <Notice kind="error">{refusal(error)}</Notice>}
      <button type="submit" aria-busy={busy}>
        {t("create")}
      </button>
    </form>
  );
}

export function Dashboard() {
  const { t, lang, refusal } = useI18n();
  const offers = useLoad(() => ok(api.GET("/api/offers", { params: { query: { limit: 100 } } })), []);
  const list = offers.data?.items ?? [];

  function added(offer: Offer) {
    // The same key answers the same offer: a second answer replaces, never duplicates.
    offers.set({ items: [offer, ...list.filter((o) => o.offerId !== offer.offerId)], nextCursor: offers.data?.nextCursor ?? null });
  }

  return (
    <div class="stack">
      <h1>{t("offers")}</h1>
      {offers.error !== null && <Notice kind="error">{refusal(offers.error)}</Notice>}
      {offers.loading && !offers.data && <p>{t("loading")}</p>}
      {offers.data && list.length === 0 && <p>{t("noOffers")}</p>}
      <ul class="offer-list" aria-label={t("offers")}>
        {list.map((offer) => (
          <li key={offer.offerId} class="card offer-row">
            <div>
              <h2 class="offer-name" id={`name-${offer.offerId}`}>{localName(lang, offer.name, offer.nameAr)}</h2>
              <p class="hint">
                {t("stampsOf", { n: offer.stampsRequired })} · {localName(lang, offer.rewardDescription, offer.rewardDescriptionAr)}
              </p>
            </div>
            <StatusBadge status={offer.status} />
            <button
              type="button"
              aria-describedby={`name-${offer.offerId}`}
              onClick={() => navigate(`/offers/${encodeURIComponent(offer.offerId)}`)}
            >
              {t("editOffer")}
            </button>
          </li>
        ))}
      </ul>
      <CreateOffer onCreated={added} />
    </div>
  );
}
