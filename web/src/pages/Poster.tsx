import { api, ok } from "../api/client";
import type { PublicOffer } from "../api/contract";
import { ApiError } from "../api/errors";
import { translate, useI18n } from "../lib/i18n";
import { joinLink } from "../lib/joinLink";
import { useLoad } from "../lib/useLoad";
import { Notice } from "../ui/Field";
import { QrImage } from "../ui/QrImage";

export type PosterSize = "a4" | "a6";

/**
 * The join poster (A4) and counter card (A6): the business's brand, the offer and its reward in English and Arabic,
 * the QR of the join link, the link printed for those without a camera, and a call to action. Everything comes from
 * the public offer card, as the join page it leads to shows it.
 */
export function Poster({ offerId, size }: { offerId: string; size: PosterSize }) {
  const { t, refusal } = useI18n();
  const card = useLoad(() => ok(api.GET("/api/public/offers/{offerId}", { params: { path: { offerId } } })), [offerId]);
  if (card.loading) return <p aria-busy="true">{t("loading")}</p>;
  if (!card.data) {
    const gone = card.error instanceof ApiError && card.error.status === 404;
    return <Notice kind="error">{gone ? t("noSuchOffer") : refusal(card.error)}</Notice>;
  }
  const link = joinLink(window.location.origin, offerId);
  return (
    <div class="stack">
      <div class="actions no-print">
        <button type="button" onClick={() => window.print()}>
          {t("printJoinQr")}
        </button>
      </div>
      <section class="printable poster-page" aria-label={t(size === "a4" ? "printPoster" : "printCounterCard")}>
        <style>{`@page { size: ${size === "a4" ? "A4" : "A6"}; margin: 0; }`}</style>
        <PosterSheet offer={card.data} link={link} size={size} />
      </section>
    </div>
  );
}

function PosterSheet({ offer, link, size }: { offer: PublicOffer; link: string; size: PosterSize }) {
  const { brand } = offer.business;
  const sides = [
    { lang: "en" as const, name: offer.name, reward: offer.rewardDescription, business: offer.business.name },
    {
      lang: "ar" as const,
      name: offer.nameAr ?? offer.name,
      reward: offer.rewardDescriptionAr ?? offer.rewardDescription,
      business: offer.business.nameAr ?? offer.business.name,
    },
  ];
  return (
    <article
      class={`poster poster-${size}`}
      style={{ background: brand.backgroundColor, color: brand.foregroundColor }}
      aria-label={`${offer.business.name} · ${offer.name}`}
    >
      <header class="poster-brand">
        {brand.logoUrl && <img class="poster-logo" src={brand.logoUrl} alt={offer.business.name} />}
      </header>
      <div class="poster-texts">
        {sides.map((side) => (
          <section key={side.lang} lang={side.lang} dir={side.lang === "ar" ? "rtl" : "ltr"} class="poster-side">
            <p class="poster-business">{side.business}</p>
            <h2 class="poster-offer">{side.name}</h2>
            {side.reward && (
              <p class="poster-reward">
                <span style={{ color: brand.labelColor }}>{translate(side.lang, "posterEvery", { count: offer.stampsRequired })}</span>{" "}
                <strong>{side.reward}</strong>
              </p>
            )}
            <p class="poster-call">{translate(side.lang, "posterCall")}</p>
            <p class="poster-note">{translate(side.lang, "posterCallNote")}</p>
          </section>
        ))}
      </div>
      <div class="poster-qr">
        <QrImage text={link} label={translate("en", "joinQrFor", { name: offer.name })} size={size === "a4" ? 320 : 180} />
        <p class="poster-link">
          <span lang="en">{translate("en", "posterOrVisit")}</span> · <span lang="ar" dir="rtl">{translate("ar", "posterOrVisit")}</span>
          <br />
          <span dir="ltr">{link.replace(/^https?:\/\//, "")}</span>
        </p>
      </div>
    </article>
  );
}
