import type { PublicOffer } from "../api/contract";
import { localName, useI18n } from "../lib/i18n";

/** The business as its passes show it: its logo and name on its own colours. */
export function BrandBanner({ business }: { business: PublicOffer["business"] }) {
  const { lang } = useI18n();
  const { brand } = business;
  const name = localName(lang, business.name, business.nameAr);
  return (
    <div class="brand-banner" style={{ background: brand.backgroundColor, color: brand.foregroundColor }}>
      {brand.logoUrl ? <img class="brand-logo" src={brand.logoUrl} alt={name} /> : null}
      <span class="brand-name">{name}</span>
    </div>
  );
}
