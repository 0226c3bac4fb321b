import { useEffect, useState } from "preact/hooks";
import { api, ok } from "../api/client";
import type { ErrorDetail, Lang, PassPreview } from "../api/contract";
import { ApiError } from "../api/errors";
import { useI18n } from "../lib/i18n";
import { LANGS, PreviewPairs } from "../pages/offer/PassPreview";
import type { BrandFields } from "./BrandEditor";

const DEBOUNCE_MS = 300;

/**
 * The brand being edited as the wallets would draw it, in English and Arabic: POST /pass-preview of `offerId` with
 * the draft brand, so the cards show only what the real pass builders answer (the brand is checked as saving checks
 * it, and nothing is saved). A refused draft greys the last cards that previewed and says why.
 */
export function BrandDraftPreview({
  offerId,
  brand,
  onProblems,
}: {
  offerId: string;
  brand: BrandFields;
  /** The draft's problems as the API names them (none once it previews), for the editor to mark. */
  onProblems: (details: ErrorDetail[]) => void;
}) {
  const { t, refusal } = useI18n();
  const [previews, setPreviews] = useState<Partial<Record<Lang, PassPreview>>>({});
  const [error, setError] = useState<unknown>(null);
  const draft = JSON.stringify(brand);

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      const body = { brand: JSON.parse(draft) as BrandFields, currentStamps: 2, rewardsClaimed: 0 };
      Promise.all(
        LANGS.map((language) =>
          ok(api.POST("/api/offers/{offerId}/pass-preview", { params: { path: { offerId } }, body: { ...body, language } })),
        ),
      ).then(
        ([en, ar]) => {
          if (!current) return;
          setPreviews({ en, ar });
          setError(null);
          onProblems([]);
        },
        (failure: unknown) => {
          if (!current) return;
          setError(failure);
          onProblems(failure instanceof ApiError && failure.status === 422 ? failure.details : []);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [draft, offerId, onProblems]);

  const stale = error !== null;
  return (
    <>
      {stale && (
        <p class="notice notice-info" role="status">
          {error instanceof ApiError && error.status === 422
            ? t("brandPreviewRefused", { reason: refusal(error) })
            : t("previewUnavailable", { reason: refusal(error) })}
        </p>
      )}
      <PreviewPairs previews={previews} stale={stale} />
    </>
  );
}
