import { useState } from "preact/hooks";
import { api, ok } from "../api/client";
import type { Brand, Lang } from "../api/contract";
import { ApiError, fieldErrors } from "../api/errors";
import { uploadBrandImage, type ImageKind } from "../lib/brandUpload";
import { contrastRatio, isHexColor, MIN_TEXT_CONTRAST } from "../lib/contrast";
import { localName, translate, useI18n } from "../lib/i18n";
import { useLoad } from "../lib/useLoad";
import { Field, Notice } from "../ui/Field";

type BusinessAnswer = { businessId: string; name: string; nameAr: string | null; brand: Brand };

interface Draft {
  backgroundColor: string;
  foregroundColor: string;
  labelColor: string;
  images: Record<ImageKind, { imageId: string | null; url: string | null }>;
}

const SLOT_FIELD: Record<ImageKind, "logoImageId" | "iconImageId" | "stripImageId"> = {
  logo: "logoImageId",
  icon: "iconImageId",
  strip: "stripImageId",
};

function draftOf(brand: Brand): Draft {
  const served = (id: string | null, name: string) => (id ? `/brand-images/${id}/${name}` : null);
  return {
    backgroundColor: brand.backgroundColor,
    foregroundColor: brand.foregroundColor,
    labelColor: brand.labelColor,
    images: {
      logo: { imageId: brand.logoImageId, url: brand.logoUrl ?? served(brand.logoImageId, "logo@2x.png") },
      icon: { imageId: brand.iconImageId, url: served(brand.iconImageId, "icon@3x.png") },
      strip: { imageId: brand.stripImageId, url: served(brand.stripImageId, "strip@2x.png") },
    },
  };
}

/** "Business" (owner): the brand every pass, join page and poster of the business wears, previewed as it is edited. */
export function BusinessPage() {
  const { t } = useI18n();
  const business = useLoad(() => ok(api.GET("/api/business", {})) as Promise<BusinessAnswer>, []);
  if (business.loading) return <p aria-busy="true">{t("loading")}</p>;
  if (!business.data) return <Notice kind="error">{t("refusalGeneric")}</Notice>;
  return <BrandEditor business={business.data} onSaved={business.set} />;
}

function BrandEditor({ business, onSaved }: { business: BusinessAnswer; onSaved: (b: BusinessAnswer) => void }) {
  const { t, lang, refusal } = useI18n();
  const [draft, setDraft] = useState(() => draftOf(business.brand));
  const [busy, setBusy] = useState<ImageKind | "save" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const errors = error instanceof ApiError ? fieldErrors(error.details) : new Map<string, string[]>();
  const name = localName(lang, business.name, business.nameAr);

  const edit = (next: Partial<Draft>) => {
    setDraft({ ...draft, ...next });
    setSaved(false);
  };
  const lowContrast = (color: string) =>
    isHexColor(color) && isHexColor(draft.backgroundColor) && contrastRatio(color, draft.backgroundColor) < MIN_TEXT_CONTRAST
      ? [t("contrastWarning", { ratio: contrastRatio(color, draft.backgroundColor).toFixed(2) })]
      : [];

  async function upload(kind: ImageKind, file: File | undefined) {
    if (!file) return;
    setBusy(kind);
    setError(null);
    try {
      const imageId = await uploadBrandImage(kind, file);
      edit({ images: { ...draft.images, [kind]: { imageId, url: URL.createObjectURL(file) } } });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
    }
  }

  async function save(event: Event) {
    event.preventDefault();
    setBusy("save");
    setError(null);
    try {
      const brand = {
        backgroundColor: draft.backgroundColor,
        foregroundColor: draft.foregroundColor,
        labelColor: draft.labelColor,
        logoImageId: draft.images.logo.imageId,
        iconImageId: draft.images.icon.imageId,
        stripImageId: draft.images.strip.imageId,
      };
      const answer = (await ok(api.PATCH("/api/business", { body: { brand } }))) as BusinessAnswer;
      onSaved(answer);
      setSaved(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
    }
  }

  const uploadField = (kind: ImageKind, label: string) => (
    <div class="field">
      <label for={`upload-${kind}`}>{label}</label>
      <input
        id={`upload-${kind}`}
        type="file"
        accept="image/png,image/jpeg,image/webp"
        disabled={busy !== null}
        onChange={(event) => void upload(kind, event.currentTarget.files?.[0])}
      />
      {errors.get(`brand.${SLOT_FIELD[kind]}`)?.map((message) => (
        <p key={message} class="field-error" role="alert">
          {message}
        </p>
      ))}
    </div>
  );

  return (
    <div class="stack">
      <h1>{name}</h1>
      <div class="editor-layout">
        <form class="card stack" onSubmit={save} aria-labelledby="brand-heading">
          <h2 id="brand-heading">{t("brand")}</h2>
          <div class="grid2">
            {uploadField("logo", t("uploadLogo"))}
            {uploadField("icon", t("uploadIcon"))}
            {uploadField("strip", t("uploadStrip"))}
          </div>
          <div class="grid2">
            <Field
              label={t("backgroundColor")}
              type="color"
              value={draft.backgroundColor}
              onInput={(value) => edit({ backgroundColor: value.toUpperCase() })}
              errors={errors.get("brand.backgroundColor")}
            />
            <Field
              label={t("textColor")}
              type="color"
              value={draft.foregroundColor}
              onInput={(value) => edit({ foregroundColor: value.toUpperCase() })}
              errors={[...lowContrast(draft.foregroundColor), ...(errors.get("brand.foregroundColor") ?? [])]}
            />
            <Field
              label={t("labelColor")}
              type="color"
              value={draft.labelColor}
              onInput={(value) => edit({ labelColor: value.toUpperCase() })}
              errors={[...lowContrast(draft.labelColor), ...(errors.get("brand.labelColor") ?? [])]}
            />
          </div>
          {error !== null && <Notice kind="error">{refusal(error)}</Notice>}
          {saved && <Notice kind="ok">{t("saved")}</Notice>}
          <div class="actions">
            <button type="submit" disabled={busy !== null}>
              {t("save")}
            </button>
          </div>
        </form>
        <aside class="stack preview" aria-labelledby="brand-preview-heading">
          <h2 id="brand-preview-heading">{t("passPreview")}</h2>
          {(["en", "ar"] as const).map((language) => (
            <BrandPreview key={language} lang={language} draft={draft} business={business} />
          ))}
        </aside>
      </div>
    </div>
  );
}

/** The brand as the wallets would draw it: the Apple card's logo, name, colours and strip; Google's header and hero. */
function BrandPreview({ lang, draft, business }: { lang: Lang; draft: Draft; business: BusinessAnswer }) {
  const name = localName(lang, business.name, business.nameAr);
  const { logo, strip } = draft.images;
  return (
    <section class="stack" lang={lang} dir={lang === "ar" ? "rtl" : "ltr"} aria-label={translate(lang, "previewIn")}>
      <div class="grid2">
        <figure class="pass-figure">
          <figcaption class="pass-kind">{translate(lang, "appleLike")}</figcaption>
          <div class="pass apple branded" style={{ background: draft.backgroundColor, color: draft.foregroundColor }}>
            <div class="pass-header">
              {logo.url && <img class="pass-logo" src={logo.url} alt="" />}
              <span class="pass-logo-text">{name}</span>
            </div>
            {strip.url && <img class="pass-strip" src={strip.url} alt="" />}
            <dl class="pass-fields">
              <div>
                <dt style={{ color: draft.labelColor }}>{translate(lang, "previewProgressLabel")}</dt>
                <dd>{translate(lang, "stampOf", { current: 2, max: 5 })}</dd>
              </div>
            </dl>
          </div>
        </figure>
        <figure class="pass-figure">
          <figcaption class="pass-kind">{translate(lang, "googleLike")}</figcaption>
          <div class="pass google branded" style={{ background: draft.backgroundColor, color: draft.foregroundColor }}>
            <div class="pass-header">
              {logo.url && <img class="google-logo" src={logo.url} alt="" />}
              <span>{name}</span>
            </div>
            {strip.url && <img class="pass-strip" src={strip.url} alt="" />}
          </div>
        </figure>
      </div>
    </section>
  );
}
