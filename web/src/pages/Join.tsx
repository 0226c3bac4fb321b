import { useState } from "preact/hooks";
import { api, idempotent, ok } from "../api/client";
import type { IssuedPass, Lang, PublicOffer } from "../api/contract";
import { ApiError, fieldErrors } from "../api/errors";
import { newIdempotencyKey, sendIdempotent } from "../api/idempotency";
import { localName, useI18n } from "../lib/i18n";
import { useLoad } from "../lib/useLoad";
import { BrandBanner } from "../ui/BrandBanner";
import { Field, Notice, Select } from "../ui/Field";
import { PassReady } from "./PassReady";

type Joined = { kind: "pass"; pass: IssuedPass } | { kind: "mailed" };

/**
 * `/join/{offerId}`: a customer joins from the QR at the counter and gets the wallet buttons and their QR. What it
 * shows of the offer is the public offer card's, never the address's; an unknown or closed offer says so first.
 */
export function Join({ offerId }: { offerId: string }) {
  const { t, refusal } = useI18n();
  const card = useLoad(() => ok(api.GET("/api/public/offers/{offerId}", { params: { path: { offerId } } })), [offerId]);
  if (card.loading) return <p aria-busy="true">{t("loading")}</p>;
  if (card.error instanceof ApiError && card.error.status === 404) {
    return <JoinClosed heading={t("noSuchOffer")} note={t("noSuchOfferNote")} />;
  }
  if (card.data === null) return <Notice kind="error">{refusal(card.error)}</Notice>;
  if (card.data.status === "ARCHIVED") {
    return (
      <div class="stack">
        <BrandBanner business={card.data.business} />
        <JoinClosed heading={t("offerClosed")} note={t("offerClosedNote")} />
      </div>
    );
  }
  return <JoinForm offer={card.data} />;
}

function JoinClosed({ heading, note }: { heading: string; note: string }) {
  return (
    <section class="card stack" aria-labelledby="join-closed">
      <h1 id="join-closed">{heading}</h1>
      <p>{note}</p>
    </section>
  );
}

function JoinForm({ offer }: { offer: PublicOffer }) {
  const { t, lang, refusal } = useI18n();
  const offerId = offer.offerId;
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [language, setLanguage] = useState<Lang>(lang);
  const [busy, setBusy] = useState(false);
  // One key per filled-in form (retries reuse it); an edit takes a new one, as the server replays a key's first answer.
  const [key, setKey] = useState(newIdempotencyKey);
  const [error, setError] = useState<unknown>(null);
  const [joined, setJoined] = useState<Joined | null>(null);
  const errors = error instanceof ApiError ? fieldErrors(error.details) : new Map<string, string[]>();
  const offerName = localName(lang, offer.name, offer.nameAr);
  const reward = localName(lang, offer.rewardDescription, offer.rewardDescriptionAr);

  const renewing =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setKey(newIdempotencyKey());
    };

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { email: email.trim(), name: name.trim(), preferredLanguage: language };
      const answer = await sendIdempotent(key, async (k) => {
        const { data, error: refused, response } = await api.POST("/api/offers/{offerId}/enroll", {
          params: { path: { offerId } },
          body,
          ...idempotent(k),
        });
        if (!response.ok) throw ApiError.from(response.status, refused, response.headers.get("Retry-After"));
        return { status: response.status, data };
      });
      // 202: this email already holds a pass; the answer says nothing of it, the pass goes by mail.
      setJoined(answer.status === 202 ? { kind: "mailed" } : { kind: "pass", pass: answer.data as IssuedPass });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="stack">
      <BrandBanner business={offer.business} />
      <h1>{t("joinTitle", { name: offerName })}</h1>
      {reward && (
        <p class="reward">
          <strong>{t("reward")}: </strong>
          {reward}
        </p>
      )}
      {joined?.kind === "mailed" && (
        <section class="card" aria-labelledby="mailed">
          <h2 id="mailed">{t("checkEmail")}</h2>
          <p>{t("checkEmailNote")}</p>
        </section>
      )}
      {joined?.kind === "pass" && <PassReady pass={joined.pass} />}
      {!joined && (
        <form class="card stack" onSubmit={submit}>
          <Field label={t("email")} type="email" value={email} onInput={renewing(setEmail)} required autocomplete="email" dir="ltr" errors={errors.get("email")} />
          <Field label={t("name")} value={name} onInput={renewing(setName)} required autocomplete="name" errors={errors.get("name")} />
          <Select
            label={t("language")}
            value={language}
            onChange={renewing((value: string) => setLanguage(value === "ar" ? "ar" : "en"))}
            options={[
              { value: "en", label: "English" },
              { value: "ar", label: "العربية" },
            ]}
          />
          {error !== null && <Notice kind="error">{refusal(error)}</Notice>}
          <button type="submit" disabled={busy}>
            {t("join")}
          </button>
        </form>
      )}
    </div>
  );
}
