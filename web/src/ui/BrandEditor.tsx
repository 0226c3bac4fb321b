import { useCallback, useEffect, useState } from "preact/hooks";
import type { Brand, ErrorDetail } from "../api/contract";
import { ApiError, fieldErrors } from "../api/errors";
import { uploadBrandImage, type ImageKind } from "../lib/brandUpload";
import { contrastRatio, isHexColor, MIN_TEXT_CONTRAST } from "../lib/contrast";
import { useI18n } from "../lib/i18n";
import { BrandDraftPreview } from "./BrandDraftPreview";
import { Field, Notice } from "./Field";

export type Names = { name: string; nameAr: string | null };
/** A brand as PATCH sends it (all but the read-only `logoUrl`). */
export type BrandFields = Omit<Brand, "logoUrl">;

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

/** The brand as PATCH would send it. */
function fieldsOf(draft: Draft): BrandFields {
  return {
    backgroundColor: draft.backgroundColor,
    foregroundColor: draft.foregroundColor,
    labelColor: draft.labelColor,
    logoImageId: draft.images.logo.imageId,
    iconImageId: draft.images.icon.imageId,
    stripImageId: draft.images.strip.imageId,
  };
}

export function BrandEditor({
  brand: current,
  previewOffer,
  save: send,
  reset,
  heading,
  note,
  saveLabel,
  scope,
}: {
  /** Names the editor's elements apart from another on the same page. */
  scope: string;
  brand: Brand;
  /** The offer whose pass previews the draft; null when the business has none yet, undefined while loading. */
  previewOffer: string | null | undefined;
  /** Sends the brand; its refusal is shown beside the fields it names. */
  save: (brand: BrandFields) => Promise<void>;
  /** "Use the business's brand" (an offer's own brand only). */
  reset?: () => Promise<void>;
  heading: string;
  note?: string;
  saveLabel?: string;
}) {
  const { t, refusal } = useI18n();
  const [draft, setDraft] = useState(() => draftOf(current));
  const shown = JSON.stringify(current);
  useEffect(() => setDraft(draftOf(JSON.parse(shown) as Brand)), [shown]);
  const [busy, setBusy] = useState<ImageKind | "save" | "reset" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [problems, setProblems] = useState<ErrorDetail[]>([]);
  const onProblems = useCallback((details: ErrorDetail[]) => setProblems(details), []);
  // A refused save's problems, else those of the draft the preview refused (its colours' are the contrast warnings
  // below, in the page's language).
  const errors = fieldErrors(
    error instanceof ApiError ? error.details : problems.filter((detail) => !detail.field?.endsWith("Color")),
  );
  const id = `${scope}-brand`;

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
      await send(fieldsOf(draft));
      setSaved(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
    }
  }

  async function backToTheBusiness() {
    if (!reset) return;
    setBusy("reset");
    setError(null);
    try {
      await reset();
      setSaved(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
    }
  }

  const uploadField = (kind: ImageKind, label: string) => (
    <div class="field">
      <label for={`upload-${id}-${kind}`}>{label}</label>
      <input
        id={`upload-${id}-${kind}`}
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
    <div class="editor-layout">
        <form class="card stack" onSubmit={save} aria-labelledby={`${id}-heading`}>
          <h2 id={`${id}-heading`}>{heading}</h2>
          {note && <p class="hint">{note}</p>}          <div class="grid2">
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
              {saveLabel ?? t("save")}
            </button>
            {reset && (
              <button type="button" class="ghost" disabled={busy !== null} onClick={() => void backToTheBusiness()}>
                {t("useBusinessBrand")}
              </button>
            )}
          </div>
        </form>
        <aside class="stack preview" aria-labelledby={`${id}-preview-heading`}>
          <h2 id={`${id}-preview-heading`}>{t("passPreview")}</h2>
          {previewOffer === null && <p class="hint">{t("previewNeedsOffer")}</p>}
          {previewOffer && <BrandDraftPreview offerId={previewOffer} brand={fieldsOf(draft)} onProblems={onProblems} />}
        </aside>
    </div>
  );
}
