import { api, ok } from "../api/client";
import type { Brand } from "../api/contract";
import { localName, useI18n } from "../lib/i18n";
import { useLoad } from "../lib/useLoad";
import { BrandEditor } from "../ui/BrandEditor";
import { Notice } from "../ui/Field";

export type BusinessAnswer = { businessId: string; name: string; nameAr: string | null; brand: Brand };

/** "Business" (owner): the brand every pass, join page and poster of the business wears, previewed as it is edited. */
export function BusinessPage() {
  const { t, lang } = useI18n();
  const business = useLoad(() => ok(api.GET("/api/business", {})) as Promise<BusinessAnswer>, []);
  // The preview is of the business's first offer's pass (none: the editor says to create one).
  const offers = useLoad(() => ok(api.GET("/api/offers", { params: { query: { limit: 1 } } })), []);
  if (business.loading) return <p aria-busy="true">{t("loading")}</p>;
  if (!business.data) return <Notice kind="error">{t("refusalGeneric")}</Notice>;
  const data = business.data;
  return (
    <div class="stack">
      <h1>{localName(lang, data.name, data.nameAr) || t("business")}</h1>
      <BrandEditor
        previewOffer={offers.loading ? undefined : (offers.data?.items[0]?.offerId ?? null)}
        brand={data.brand}
        heading={t("brand")}
        scope="business"
        save={async (brand) => {
          business.set((await ok(api.PATCH("/api/business", { body: { brand } }))) as BusinessAnswer);
        }}
      />
    </div>
  );
}
