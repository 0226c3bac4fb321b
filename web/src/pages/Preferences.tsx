import { useEffect, useState } from "preact/hooks";
import { api, ok } from "../api/client";
import { localName, useI18n } from "../lib/i18n";
import { Notice } from "../ui/Field";

/** Which pass a preferences page is about: the pass's back link, or a mailed recovery link's token. */
export type PreferencesLink = { customerId: string; offerId: string; token: string } | { recoveryToken: string };

type Answer = { marketingConsent: boolean; marketingConsentAt: string | null; offerName: string; offerNameAr: string | null };

/** The customer's "offers and news" answer, read and changed; the pass's back and the recovery page both show it. */
export function ConsentChoice({ link }: { link: PreferencesLink }) {
  const { t, lang, refusal } = useI18n();
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [ticked, setTicked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function send(marketingConsent?: boolean) {
    setBusy(true);
    setError(null);
    try {
      const body = marketingConsent === undefined ? link : { ...link, marketingConsent };
      const got = await ok(api.POST("/api/passes/preferences", { body }));
      setAnswer(got);
      setTicked(got.marketingConsent);
      setSaved(marketingConsent !== undefined);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    void send();
  }, [JSON.stringify(link)]);

  return (
    <section class="card stack" aria-labelledby="preferences">
      <h2 id="preferences">{t("preferencesTitle")}</h2>
      {error !== null && <Notice kind="error">{refusal(error)}</Notice>}
      {answer && (
        <form
          class="stack"
          onSubmit={(event) => {
            event.preventDefault();
            void send(ticked);
          }}
        >
          <p>{t("preferencesNote", { name: localName(lang, answer.offerName, answer.offerNameAr) })}</p>
          <label class="switch">
            <input
              type="checkbox"
              checked={ticked}
              onChange={(event) => {
                setTicked(event.currentTarget.checked);
                setSaved(false);
              }}
            />
            {t("marketingConsent")}
          </label>
          {saved && <Notice kind="ok">{t("saved")}</Notice>}
          <button type="submit" disabled={busy}>
            {t("save")}
          </button>
        </form>
      )}
    </section>
  );
}

/** `/pass/preferences?customerId=…&offerId=…&token=…`: the link on the pass's back. */
export function Preferences({ link }: { link: { customerId: string | null; offerId: string | null; token: string | null } }) {
  const { t } = useI18n();
  const { customerId, offerId, token } = link;
  return (
    <div class="stack">
      <h1>{t("recoverTitle")}</h1>
      {customerId && offerId && token ? (
        <ConsentChoice link={{ customerId, offerId, token }} />
      ) : (
        <Notice kind="error">{t("recoverMissing")}</Notice>
      )}
    </div>
  );
}
