/**
 * The HTTP contract's bodies (docs/API.md) under the names the app uses: the schemas generated from
 * openapi.json (`make client`), so a contract change reaches every screen through the type checker. Written here
 * from API.md only what that document leaves open: the Google half of a pass preview (see pending.ts).
 */
import type { components } from "./schema";

type Schemas = components["schemas"];

export type Lang = "en" | "ar";
export type ErrorDetail = Schemas["ErrorDetail"];
export type ErrorBody = Schemas["ErrorBody"];
export type Tier = Schemas["Tier"];
export type TierConfig = Schemas["TierConfig"];
export type TiersInForce = Schemas["TiersInForce"];
export type TierRef = Schemas["TierSummary"];
export type Progress = Schemas["Progress"];
export type TierStanding = Schemas["TierStanding"];
export type Offer = Schemas["Offer"];
export type OfferStatus = Offer["status"];
export type OfferDraft = Schemas["OfferDraft"];
export type OfferChanges = Schemas["OfferEdit"];
export type IssuedPass = Schemas["PassAnswer"];
export type PassState = IssuedPass["status"];
export type PassStatus = Schemas["PassStatus"];
export type TierUpgrade = Schemas["TierUpgrade"];
export type VoidAnswer = Schemas["VoidAnswer"];
export type Member = Schemas["Member"];
export type PassEvent = Schemas["HistoryEvent"];
export type Credential = Schemas["IssuanceRecord"];
export type DayCounts = Schemas["StatsDay"];
export type Stats = Schemas["OfferStats"];
export type PassField = Schemas["AppleField"];
export type PreviewDraft = Schemas["PassPreviewRequest"];

export type VerificationSent = Schemas["VerificationSent"];

/**
 * Google Wallet's part of a pass preview: openapi.json documents its two members as free-form objects (they are
 * Google's own LoyaltyObject fields), so the parts the preview card reads are named here.
 */
export type GooglePreview = Omit<Schemas["GooglePreview"], "loyaltyPoints" | "textModulesData"> & {
  loyaltyPoints: { label?: string; balance?: { string?: string; int?: number } };
  textModulesData: { id?: string; header?: string; body?: string }[];
};

export type PassPreview = Omit<Schemas["PassPreview"], "google"> & { google: GooglePreview };

export type Brand = Schemas["Brand"];
export type PublicOffer = Schemas["PublicOffer"];
