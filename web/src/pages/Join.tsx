import { useState } from "preact/hooks";
import { api, idempotent } from "../api/client";
import type { IssuedPass, Lang } from "../api/contract";
import { ApiError, fieldErrors } from "../api/errors";
import { detailText } from "../lib/details";
import { newIdempotencyKey, sendIdempotent } from "../api/idempotency";
import { localName, useI18n } from "../lib/i18n";
import { joinTexts } from "../lib/joinLink";
import { Field, Notice, Select } from "../ui/Field";
import { PassReady } from "./PassReady";

type Joined = { kind: "pass"; pass: IssuedPass } | { kind: "mailed" };

/** `/join/{offerId}`: a customer joins from the QR at the counter and gets the wallet buttons and their QR. */
export function Join({ offerId }: { offerId: string }) {
  const { t, lang, refusal } = useI18n();
  const texts = joinTexts(window.location.search);
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [language, setLanguage] = useState<Lang>(lang);
  const [busy, setBusy] = useState(false);
  // One key per filled-in form (retries reuse it); an edit takes a new one, as the server replays a key's first answer.
  const [key, setKey] = useState(newIdempotencyKey);
  const [error, setError] = useState<unknown>(null);
  const [joined, setJoined] = useState<Joined | null>(null);
  const errors = error instanceof ApiError ? fieldErrors(error.details, (message) => detailText(lang, message)) : new Map<string, string[]>();
  const offerName = localName(lang, texts.name, texts.nameAr);
  const reward = localName(lang, texts.reward, texts.rewardAr);

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
      <h1>{offerName ? t("joinTitle", { name: offerName }) : t("join")}</h1>
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
