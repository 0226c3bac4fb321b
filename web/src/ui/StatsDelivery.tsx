import type { Stats } from "../api/contract";
import { deliveryText } from "../lib/deliveryStrings";
import { num } from "../lib/format";
import { useI18n } from "../lib/i18n";

type Label = Parameters<typeof deliveryText>[1];

function Facts({ heading, id, facts }: { heading: string; id: string; facts: readonly (readonly [Label, number])[] }) {
  const { lang } = useI18n();
  return (
    <>
      <h3 id={id}>{heading}</h3>
      <dl class="facts card" aria-labelledby={id}>
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{deliveryText(lang, label)}</dt>
            <dd>{num(lang, value)}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

/** Members drifting away or won back, and the offer's passes in the wallets (installed, removed, up to date). */
export function StatsDelivery({ stats }: { stats: Stats }) {
  const { lang } = useI18n();
  return (
    <section class="stack" aria-label={deliveryText(lang, "wallets")}>
      <Facts
        heading={deliveryText(lang, "membersNow")}
        id="members-now-heading"
        facts={[
          ["atRisk", stats.totals.atRisk],
          ["expiringSoon", stats.totals.expiringSoon],
          ["wonBack", stats.totals.wonBack],
        ]}
      />
      <Facts
        heading={deliveryText(lang, "wallets")}
        id="wallet-counts-heading"
        facts={[
          ["appleInstalled", stats.wallets.appleInstalled],
          ["appleRemoved", stats.wallets.appleRemoved],
          ["googleSaved", stats.wallets.googleSaved],
          ["googleRemoved", stats.wallets.googleRemoved],
          ["upToDateCount", stats.wallets.upToDate],
        ]}
      />
    </section>
  );
}
