import { useState } from "preact/hooks";
import { api, ok } from "../../api/client";
import type { Offer, OfferChanges } from "../../api/contract";
import { changesOf, formOf, type SettingsForm } from "../../lib/offerSettings";
import { ApiError, fieldErrors } from "../../api/errors";
import { detailText } from "../../lib/details";
import { localName, useI18n } from "../../lib/i18n";
import { joinLink } from "../../lib/joinLink";
import { navigate } from "../../lib/router";
import { Field, Notice } from "../../ui/Field";
import { QrImage } from "../../ui/QrImage";
import { OfferBrandSection } from "./OfferBrand";

const ZONES: readonly string[] = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC"];

/** Offer settings: texts, stamps required, cooldown, timezone, archive, and the printable join QR. */
export function SettingsTab({ offer, onChange }: { offer: Offer; onChange: (offer: Offer) => void }) {
  const { t, lang, refusal } = useI18n();
  const [form, setForm] = useState(() => formOf(offer));
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const errors = error instanceof ApiError ? fieldErrors(error.details, (message) => detailText(lang, message)) : new Map<string, string[]>();
  const edit = (name: keyof SettingsForm) => (value: string) => {
    setForm({ ...form, [name]: value });
    setSaved(false);
  };
  const archived = offer.status === "ARCHIVED";

  async function patch(changes: OfferChanges) {
    setError(null);
    setSaved(false);
    if (Object.keys(changes).length === 0) {
      setSaved(true);
      return;
    }
    try {
      const updated = await ok(api.PATCH("/api/offers/{offerId}", { params: { path: { offerId: offer.offerId } }, body: changes }));
      onChange(updated);
      setForm(formOf(updated));
      setSaved(true);
    } catch (failure) {
      setError(failure);
    }
  }

  const link = joinLink(window.location.origin, offer.offerId);
  const [copied, setCopied] = useState(false);
  async function copyLink() {
    await navigator.clipboard.writeText(link);
    setCopied(true);
  }
  // The system share sheet where there is one (phones); elsewhere the link is copied instead.
  async function share() {
    const title = localName(lang, offer.name, offer.nameAr);
    if (typeof navigator.share === "function") {
      await navigator.share({ title, text: t("posterCall"), url: link }).catch(() => undefined);
    } else {
      await copyLink();
    }
  }
  return (
    <div class="stack">
      <form
        class="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void patch(changesOf(formOf(offer), form));
        }}
      >
        <h2>{t("tabSettings")}</h2>
        <fieldset class="card">
          <legend>{t("settingsTexts")}</legend>
          <div class="grid2">
            <Field label={t("offerNameEn")} value={form.name} onInput={edit("name")} dir="ltr" errors={errors.get("name")} />
            <Field label={t("offerNameAr")} value={form.nameAr} onInput={edit("nameAr")} dir="rtl" errors={errors.get("nameAr")} />
            <Field label={t("rewardEn")} value={form.rewardDescription} onInput={edit("rewardDescription")} dir="ltr" errors={errors.get("rewardDescription")} />
            <Field label={t("rewardAr")} value={form.rewardDescriptionAr} onInput={edit("rewardDescriptionAr")} dir="rtl" errors={errors.get("rewardDescriptionAr")} />
          </div>
        </fieldset>
        <div class="grid2">
          <Field
            label={t("stampsRequired")}
            type="number"
            min={1}
            max={50}
            value={form.stampsRequired}
            onInput={edit("stampsRequired")}
            hint={t("stampsRequiredNote")}
            errors={errors.get("stampsRequired")}
          />
          <Field
            label={t("cooldown")}
            type="number"
            min={0}
            max={1440}
            value={form.minMinutesBetweenStamps}
            onInput={edit("minMinutesBetweenStamps")}
            hint={t("cooldownHint")}
            errors={errors.get("minMinutesBetweenStamps")}
          />
          <Field
            label={t("expiryReminder")}
            type="number"
            min={0}
            max={60}
            value={form.expiryReminderDays}
            onInput={edit("expiryReminderDays")}
            hint={t("expiryReminderHint")}
            errors={errors.get("expiryReminderDays")}
          />
          <Field label={t("timezone")} value={form.timezone} onInput={edit("timezone")} list="timezones" dir="ltr" errors={errors.get("timezone")} />
          <datalist id="timezones">
            {ZONES.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </div>
        {error !== null && <Notice kind="error">{refusal(error)}</Notice>}
        {saved && <Notice kind="ok">{t("saved")}</Notice>}
        <div class="actions">
          <button type="submit">{t("save")}</button>
          <button type="button" class="ghost danger" onClick={() => void patch({ status: archived ? "ACTIVE" : "ARCHIVED" })}>
            {t(archived ? "restoreOffer" : "archiveOffer")}
          </button>
        </div>
        {archived && <p class="hint">{t("archivedNote")}</p>}
      </form>
      <OfferBrandSection offer={offer} onChange={onChange} />
      <section class="card join-qr printable" aria-labelledby="join-qr-heading">
        <h2 id="join-qr-heading">{t("joinQr")}</h2>
        <QrImage text={link} label={t("joinQrFor", { name: localName(lang, offer.name, offer.nameAr) })} size={260} />
        <p class="print-title">{localName(lang, offer.name, offer.nameAr)}</p>
        <p dir="ltr" class="hint link-text">
          <a href={link}>{link}</a>
        </p>
        <div class="actions no-print">
          <button type="button" onClick={() => window.print()}>
            {t("printJoinQr")}
          </button>
          <button type="button" class="ghost" onClick={() => navigate(`/offers/${encodeURIComponent(offer.offerId)}/poster`)}>
            {t("printPoster")}
          </button>
          <button type="button" class="ghost" onClick={() => navigate(`/offers/${encodeURIComponent(offer.offerId)}/counter-card`)}>
            {t("printCounterCard")}
          </button>
          <button type="button" class="ghost" onClick={() => void copyLink()}>
            {t("copyLink")}
          </button>
          <button type="button" class="ghost" onClick={() => void share()}>
            {t("share")}
          </button>
        </div>
        {copied && <Notice kind="ok">{t("linkCopied")}</Notice>}
      </section>
    </div>
  );
}
