import { api, ok } from "../../api/client";
import type { Offer } from "../../api/contract";
import { useI18n } from "../../lib/i18n";
import { useLoad } from "../../lib/useLoad";
import type { BusinessAnswer } from "../Business";
import { BrandEditor, type BrandFields } from "../../ui/BrandEditor";

/**
 * The offer's own brand (offer settings): the business's brand editor, starting from what the offer wears now (its
 * own brand, else the business's); "Use the business's brand" sends `null`.
 */
export function OfferBrandSection({ offer, onChange }: { offer: Offer; onChange: (offer: Offer) => void }) {
  const { t } = useI18n();
  const business = useLoad(() => ok(api.GET("/api/business", {})) as Promise<BusinessAnswer>, []);
  if (!business.data) return null;
  const send = async (brand: BrandFields | null) => {
    onChange(await ok(api.PATCH("/api/offers/{offerId}", { params: { path: { offerId: offer.offerId } }, body: { brand } })));
  };
  return (
    <section class="stack" aria-label={t("offerBrand")}>
      <BrandEditor
        scope="offer"
        previewOffer={offer.offerId}
        brand={offer.brand ?? business.data.brand}
        heading={t("offerBrand")}
        note={offer.brand ? t("offerBrandNote") : t("offerBrandInherited")}
        saveLabel={t("saveBrand")}
        save={send}
        reset={offer.brand ? () => send(null) : undefined}
      />
    </section>
  );
}
