import { api, ok } from "../api/client";
import type { Offer } from "../api/contract";
import { localName, useI18n } from "../lib/i18n";
import { navigate, type OfferTab } from "../lib/router";
import { useLoad } from "../lib/useLoad";
import { Notice } from "../ui/Field";
import { Link } from "../ui/Link";
import { StatusBadge } from "../ui/StatusBadge";
import { CampaignsTab } from "./offer/Campaigns";
import { CustomersTab } from "./offer/Customers";
import { SettingsTab } from "./offer/Settings";
import { StatsTab } from "./offer/Stats";
import { TiersTab } from "./offer/Tiers";

const TABS = [
  ["tiers", "tabTiers"],
  ["customers", "tabCustomers"],
  ["stats", "tabStats"],
  ["settings", "tabSettings"],
  ["campaigns", "tabCampaigns"],
] as const;

function TabPanel({ offer, tab, onChange }: { offer: Offer; tab: OfferTab; onChange: (offer: Offer) => void }) {
  switch (tab) {
    case "tiers":
      return <TiersTab offer={offer} />;
    case "customers":
      return <CustomersTab offer={offer} />;
    case "stats":
      return <StatsTab offer={offer} />;
    case "settings":
      return <SettingsTab offer={offer} onChange={onChange} />;
    case "campaigns":
      return <CampaignsTab offer={offer} />;
  }
}

/** "Edit offer": the offer's tabs, each its own address (`/offers/{id}/customers`, …). */
export function OfferPage({ offerId, tab }: { offerId: string; tab: OfferTab }) {
  const { t, lang, refusal } = useI18n();
  const offer = useLoad(() => ok(api.GET("/api/offers/{offerId}", { params: { path: { offerId } } })), [offerId]);
  const base = `/offers/${encodeURIComponent(offerId)}`;
  return (
    <div class="stack">
      <Link href="/"><span aria-hidden="true">{t("backArrow")}</span> {t("backToOffers")}</Link>
      {offer.error !== null && <Notice kind="error">{refusal(offer.error)}</Notice>}
      {offer.data && (
        <>
          <div class="title-row">
            <h1>{localName(lang, offer.data.name, offer.data.nameAr)}</h1>
            <StatusBadge status={offer.data.status} />
          </div>
          <div role="tablist" class="tabs" aria-label={t("editOffer")}>
            {TABS.map(([name, label]) => (
              <button
                key={name}
                type="button"
                role="tab"
                id={`tab-${name}`}
                aria-selected={tab === name}
                aria-controls="offer-panel"
                onClick={() => navigate(name === "tiers" ? base : `${base}/${name}`)}
              >
                {t(label)}
              </button>
            ))}
          </div>
          <section role="tabpanel" id="offer-panel" aria-labelledby={`tab-${tab}`} class="stack">
            <TabPanel offer={offer.data} tab={tab} onChange={offer.set} />
          </section>
        </>
      )}
      {offer.loading && !offer.data && <p>{t("loading")}</p>}
    </div>
  );
}
