import type { Member } from "../api/contract";
import { deliveryText, resultText } from "../lib/deliveryStrings";
import { dateTime, num } from "../lib/format";
import { useI18n } from "../lib/i18n";

/** What became of a member's wallet updates: Apple's devices, pushes and fetches; Google's saved state and last update. */
export function WalletDelivery({ wallet }: { wallet: Member["wallet"] }) {
  const { lang } = useI18n();
  const d = (key: Parameters<typeof deliveryText>[1]) => deliveryText(lang, key);
  const when = (iso: string | null | undefined) => dateTime(lang, iso) ?? d("notYet");
  const saved = wallet.google.saved;
  return (
    <section class="stack" aria-labelledby="wallets-heading">
      <h2 id="wallets-heading">{d("wallets")}</h2>
      <h3 id="apple-wallet-heading">{d("appleWallet")}</h3>
      <dl class="facts card" aria-labelledby="apple-wallet-heading">
        <div>
          <dt>{d("devices")}</dt>
          <dd>{num(lang, wallet.apple.devices)}</dd>
        </div>
        <div>
          <dt>{d("lastPush")}</dt>
          <dd>{when(wallet.apple.lastPushAt)}</dd>
        </div>
        <div>
          <dt>{d("pushResult")}</dt>
          <dd>{resultText(lang, wallet.apple.lastPushResult)}</dd>
        </div>
        <div>
          <dt>{d("lastFetched")}</dt>
          <dd>{when(wallet.apple.lastFetchedAt)}</dd>
        </div>
        <div>
          <dt>{d("upToDate")}</dt>
          <dd>{wallet.apple.upToDate ? d("yes") : d("no")}</dd>
        </div>
      </dl>
      <h3 id="google-wallet-heading">{d("googleWallet")}</h3>
      <dl class="facts card" aria-labelledby="google-wallet-heading">
        <div>
          <dt>{d("saved")}</dt>
          <dd>{saved === null ? d("unknown") : saved ? d("savedYes") : d("savedNo")}</dd>
        </div>
        <div>
          <dt>{d("lastUpdate")}</dt>
          <dd>{when(wallet.google.lastUpdateAt)}</dd>
        </div>
        <div>
          <dt>{d("updateResult")}</dt>
          <dd>{resultText(lang, wallet.google.lastUpdateResult)}</dd>
        </div>
      </dl>
    </section>
  );
}
