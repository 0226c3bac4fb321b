import type { IssuedPass } from "../api/contract";
import { useI18n } from "../lib/i18n";
import { QrImage } from "../ui/QrImage";

function WalletButton({ url, label }: { url: string | null; label: string }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      class="wallet"
      disabled={!url}
      title={url ? undefined : t("walletNotConfigured")}
      onClick={() => url && window.location.assign(url)}
    >
      {label}
    </button>
  );
}

/** A customer's pass: the wallet buttons and the QR the scanner reads. */
export function PassReady({ pass }: { pass: IssuedPass }) {
  const { t } = useI18n();
  return (
    <section class="stack pass-ready" aria-labelledby="pass-heading">
      <h2 id="pass-heading">{t("recoverTitle")}</h2>
      <div class="actions big">
        <WalletButton url={pass.wallet?.appleWalletUrl ?? null} label={t("addToApple")} />
        <WalletButton url={pass.wallet?.googleWalletSaveUrl ?? null} label={t("saveToGoogle")} />
      </div>
      <QrImage text={pass.qrPayload} label={t("passQr")} />
      <p class="hint">{t("passQr")}</p>
      <p class="stamp-count">{t("stampOf", { current: pass.progress.currentStamps, max: pass.progress.maxStamps })}</p>
    </section>
  );
}
