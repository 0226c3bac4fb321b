/**
 * The HTTP contract's bodies (../shared/API.md) under the names the app uses. Where openapi.json types a body, the
 * name is the generated schema's (`make client`), so a contract change reaches every screen through the type
 * checker; the rest are written from API.md for the routes openapi.json does not list yet (see pending.ts), and
 * give way to generated schemas as those routes land.
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
export type OfferDraft = Schemas["OfferDraft"];
export type IssuedPass = Schemas["PassAnswer"];
export type WalletLinks = Schemas["WalletLinks"];
export type PassState = IssuedPass["status"];
export type EnrollDraft = Schemas["EnrollmentRequest"];
export type PassStatus = Schemas["PassStatus"];
export type ScanAnswer = Schemas["ScanAnswer"];
export type TierUpgrade = Schemas["TierUpgrade"];
export type PrizeAnswer = Schemas["PrizeConfirmed"];

// Pending (issue 13's business-operation routes): written from API.md until openapi.json carries them.

export type OfferStatus = "ACTIVE" | "ARCHIVED";

/** An offer, with what offer editing (PATCH) adds to it. */
export type Offer = Schemas["Offer"] & {
  minMinutesBetweenStamps?: number;
  timezone?: string;
  status?: OfferStatus;
  updatedAt?: string;
};

export interface OfferList {
  offers: Offer[];
  nextCursor: string | null;
}

export interface OfferChanges {
  name?: string;
  nameAr?: string;
  rewardDescription?: string;
  rewardDescriptionAr?: string;
  stampsRequired?: number;
  minMinutesBetweenStamps?: number;
  timezone?: string;
  status?: OfferStatus;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface VerificationSent {
  success: true;
  status: "VERIFICATION_SENT";
}

/** "Void stamp": the scan answer's shape, saying a stamp was taken back. */
export interface VoidAnswer {
  success: true;
  stampAwarded: boolean;
  stampVoided: boolean;
  progress: Progress;
  tier: TierStanding;
  rewardReady: boolean;
}

export interface Member {
  customerId: string;
  name: string | null;
  email: string | null;
  preferredLanguage: Lang | null;
  status: PassState;
  progress: Progress;
  tier: TierStanding;
  rewardReady: boolean;
  lastActivityAt: string | null;
  memberSince: string;
}

export type EventKind = "ENROLL" | "REACTIVATE" | "STAMP" | "VOID" | "PRIZE" | "EXPIRE" | "ERASE";

export interface PassEvent {
  eventId: string;
  kind: EventKind;
  at: string;
  actor: string | null;
  branchId: string | null;
  reason: string | null;
  currentStamps: number;
  rewardsClaimed: number;
  lifetimeStamps: number;
}

export interface DayCounts {
  date: string;
  enrollments: number;
  stamps: number;
  voids: number;
  prizes: number;
}

export interface Stats {
  offerId: string;
  from: string;
  to: string;
  timezone: string;
  totals: {
    enrollments: number;
    stamps: number;
    voids: number;
    prizes: number;
    tierUpgrades: number;
    expired: number;
    reactivated: number;
  };
  daily: DayCounts[];
  byBranch: { branchId: string; stamps: number; voids: number; prizes: number }[];
  members: {
    active: number;
    expired: number;
    rewardReady: number;
    byTier: { tierId: string; name: string; nameAr: string; icon: string; count: number }[];
    noTier: number;
  };
}

export interface PassField {
  key: string;
  label?: string;
  value: string | number;
  /** Set on dates: the wallet shows the value as a date in the reader's locale. */
  dateStyle?: string;
}

export interface PassPreview {
  apple: {
    backgroundColor: string;
    foregroundColor: string;
    labelColor: string;
    headerFields: PassField[];
    primaryFields: PassField[];
    secondaryFields: PassField[];
    auxiliaryFields: PassField[];
    backFields: PassField[];
  };
  google: {
    loyaltyPoints: { label: string; balance: { string?: string; int?: number } };
    textModulesData: { id?: string; header: string; body: string }[];
  };
  tier: TierStanding;
}

export interface PreviewDraft {
  loyaltyTiers?: TierConfig;
  currentStamps?: number;
  rewardsClaimed?: number;
  language?: Lang;
}
