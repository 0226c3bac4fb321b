import { useEffect, useState } from "preact/hooks";
import { api, ok } from "../../api/client";
import type { ErrorDetail, Lang, Offer, PassField, PassPreview, TierConfig } from "../../api/contract";
import { ApiError } from "../../api/errors";
import { contrastRatio, isHexColor } from "../../lib/contrast";
import { dateTime } from "../../lib/format";
import { translate, useI18n } from "../../lib/i18n";
import { Field } from "../../ui/Field";

const DEBOUNCE_MS = 350;
export const LANGS: readonly Lang[] = ["en", "ar"];

/** Each language's Apple and Google cards side by side, as the server drew them; `stale` greys them (what they show
 * is not the current draft's). */
export function PreviewPairs({
  previews,
  stale,
}: {
  previews: Partial<Record<Lang, PassPreview>>;
  stale: boolean;
}) {
  return (
    <>
      {LANGS.map((language) => {
        const preview = previews[language];
        return (
          preview && (
            <div
              key={language}
              lang={language}
              dir={language === "ar" ? "rtl" : "ltr"}
              class={stale ? "preview-pair stale" : "preview-pair"}
              aria-disabled={stale ? "true" : undefined}
            >
              <AppleCard preview={preview.apple} lang={language} />
              <GoogleCard preview={preview.google} lang={language} />
            </div>
          )
        );
      })}
    </>
  );
}

function Fields({ fields, lang }: { fields: readonly PassField[]; lang: Lang }) {
  const shown = (field: PassField) =>
    (field.dateStyle && typeof field.value === "string" && dateTime(lang, field.value)) || String(field.value);
  return (
    <dl class="pass-fields">
      {fields.map((field) => (
        <div key={field.key}>
          {field.label && <dt>{field.label}</dt>}
          <dd dir="auto">{shown(field)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function AppleCard({ preview, lang }: { preview: PassPreview["apple"]; lang: Lang }) {
  return (
    <figure class="pass-figure">
      <figcaption class="pass-kind">{translate(lang, "appleLike")}</figcaption>
      <div class="pass apple" style={{ background: preview.backgroundColor, color: preview.foregroundColor }}>
        {(preview.logoUrl || preview.logoText) && (
          <div class="pass-header">
            {preview.logoUrl && <img class="pass-logo" src={preview.logoUrl} alt="" />}
            {preview.logoText && <span class="pass-logo-text">{preview.logoText}</span>}
          </div>
        )}
        {preview.stripUrl && <img class="pass-strip" src={preview.stripUrl} alt="" />}
        <Fields fields={preview.headerFields} lang={lang} />
        <div class="pass-primary">
          <Fields fields={preview.primaryFields} lang={lang} />
        </div>
        <Fields fields={preview.secondaryFields} lang={lang} />
        <Fields fields={preview.auxiliaryFields} lang={lang} />
      </div>
    </figure>
  );
}

/** Google Wallet picks the text colour itself from the class's background: white or black, whichever reads best. */
function googleColors(background: string) {
  if (!isHexColor(background)) return undefined;
  const light = contrastRatio("#FFFFFF", background) >= contrastRatio("#000000", background);
  return { background, color: light ? "#FFFFFF" : "#000000" };
}

export function GoogleCard({ preview, lang }: { preview: PassPreview["google"]; lang: Lang }) {
  const balance = preview.loyaltyPoints.balance;
  return (
    <figure class="pass-figure">
      <figcaption class="pass-kind">{translate(lang, "googleLike")}</figcaption>
      <div class="pass google" style={preview.hexBackgroundColor ? googleColors(preview.hexBackgroundColor) : undefined}>
        {preview.issuerName && (
          <div class="pass-header">
            {preview.programLogoUrl && <img class="google-logo" src={preview.programLogoUrl} alt="" />}
            <span>{preview.issuerName}</span>
          </div>
        )}
        {preview.heroImageUrl && <img class="pass-strip" src={preview.heroImageUrl} alt="" />}
        <dl class="pass-fields">
          <div>
            <dt>{preview.loyaltyPoints.label}</dt>
            <dd dir="auto">{balance?.string ?? String(balance?.int ?? "")}</dd>
          </div>
          {preview.textModulesData.map((module, index) => (
            <div key={module.id ?? index}>
              <dt>{module.header}</dt>
              <dd dir="auto">{module.body}</dd>
            </div>
          ))}
        </dl>
      </div>
    </figure>
  );
}

/**
 * The pass as Apple and Google Wallet would show it for the draft (unsaved) ladder, in English and Arabic,
 * drawn from POST /pass-preview: the server builds it with the code that builds the real passes.
 */
export function PassPreviewPanel({
  offer,
  config,
  onProblems,
}: {
  offer: Offer;
  config: TierConfig | null;
  /** The draft ladder's problems as the API names them (none once it previews), for the editor to mark. */
  onProblems: (details: ErrorDetail[]) => void;
}) {
  const { t, refusal } = useI18n();
  const [stamps, setStamps] = useState("2");
  const [rewards, setRewards] = useState("3");
  const [previews, setPreviews] = useState<Partial<Record<Lang, PassPreview>>>({});
  const [error, setError] = useState<unknown>(null);
  const draft = config ? JSON.stringify(config) : null;

  useEffect(() => {
    if (draft === null) return undefined;
    const timer = setTimeout(() => {
      const body = {
        loyaltyTiers: JSON.parse(draft) as TierConfig,
        currentStamps: Math.max(0, Number(stamps) || 0),
        rewardsClaimed: Math.max(0, Number(rewards) || 0),
      };
      Promise.all(
        LANGS.map((language) =>
          ok(api.POST("/api/offers/{offerId}/pass-preview", { params: { path: { offerId: offer.offerId } }, body: { ...body, language } })),
        ),
      ).then(
        ([en, ar]) => {
          setPreviews({ en, ar });
          setError(null);
          onProblems([]);
        },
        (failure: unknown) => {
          setError(failure);
          if (failure instanceof ApiError && failure.status === 422) onProblems(failure.details);
        },
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft, stamps, rewards, offer.offerId, onProblems]);

  return (
    <aside class="stack preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading">{t("passPreview")}</h2>
      <div class="grid2">
        <Field label={t("previewStamps")} type="number" min={0} value={stamps} onInput={setStamps} />
        <Field label={t("previewRewards")} type="number" min={0} value={rewards} onInput={setRewards} />
      </div>
      {error !== null && (
        <p class="notice notice-info" role="status">
          {error instanceof ApiError && error.status === 422 ? t("previewStale") : t("previewUnavailable", { reason: refusal(error) })}
        </p>
      )}
      {/* While the draft is refused the cards still show the last ladder that previewed: greyed, so nobody
          takes them for the draft's. */}
      <PreviewPairs previews={previews} stale={error !== null} />
    </aside>
  );
}
