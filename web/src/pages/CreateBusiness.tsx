import { useState } from "preact/hooks";
import { api, ok } from "../api/client";
import type { components } from "../api/schema";
import { ApiError, fieldErrors } from "../api/errors";
import { refreshSession } from "../auth/session";
import { useI18n } from "../lib/i18n";
import { Field, Notice } from "../ui/Field";
import { landing } from "./SignIn";

const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** A signed-in person without a business creates theirs and becomes its owner; their tokens are refreshed to
 * carry it. A retry (a lost answer) gives the same business. */
export function CreateBusiness() {
  const { t, lang, refusal } = useI18n();
  const [name, setName] = useState("");
  const [nameAr, setNameAr] = useState("");
  const [timezone, setTimezone] = useState(BROWSER_ZONE);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = error instanceof ApiError ? fieldErrors(error.details) : new Map<string, string[]>();

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      // The document lists the time zones the server knows; the field is free text, checked there (422 at it).
      const zone = timezone.trim() as components["schemas"]["NewBusiness"]["timezone"];
      const body = { name: name.trim(), timezone: zone, defaultLanguage: lang, ...(nameAr.trim() ? { nameAr: nameAr.trim() } : {}) };
      await ok(api.POST("/api/businesses", { body }));
      landing(await refreshSession());
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === "ALREADY_IN_BUSINESS") landing(await refreshSession());
      else setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="narrow-page">
      <h1>{t("createYourBusiness")}</h1>
      <form class="card stack" onSubmit={submit}>
        <Field label={t("businessNameEn")} value={name} onInput={setName} required dir="ltr" errors={errors.get("name")} />
        <Field label={t("businessNameAr")} value={nameAr} onInput={setNameAr} dir="rtl" errors={errors.get("nameAr")} />
        <Field label={t("timezone")} value={timezone} onInput={setTimezone} required dir="ltr" errors={errors.get("timezone")} />
        {error !== null && <Notice kind="error">{refusal(error)}</Notice>}
        <button type="submit" aria-busy={busy}>
          {t("createBusiness")}
        </button>
      </form>
    </section>
  );
}
