/**
 * The HTTP contract's bodies (../shared/API.md), as the app reads and sends them. openapi.json does not type these
 * answers yet (it documents them as free-form objects); pending.ts plugs these types into the generated paths
 * until it does.
 */

export type Lang = "en" | "ar";

export interface ErrorDetail {
  field: string;
  message: string;
}

export interface ErrorBody {
  success: false;
  error: { code: string; message: string; details?: ErrorDetail[] };
}

export interface Tier {
  id: string;
  name: string;
  nameAr: string;
  minRewards: number;
  maxRewards: number | null;
  icon: string;
  color?: string;
}

export interface TierConfig {
  enabled: boolean;
  tiers: Tier[];
}

export interface TiersInForce extends TierConfig {
  source: "custom" | "default";
  customTiers?: Tier[];
}

export interface TierRef {
  id: string;
  name: string;
  nameAr: string;
  icon: string;
}

export interface Progress {
  currentStamps: number;
  maxStamps: number;
  rewardsClaimed: number;
  stampsEarned: number;
  stampsRequired: number;
}

export interface TierStanding {
  currentTier: TierRef | null;
  rewardsClaimed: number;
  rewardsToNextTier: number | null;
  nextTier: TierRef | null;
  isTopTier: boolean;
}

export type OfferStatus = "ACTIVE" | "ARCHIVED";

export interface OfferDraft {
  name: string;
  nameAr?: string;
  stampsRequired: number;
  rewardDescription?: string;
  rewardDescriptionAr?: string;
  loyaltyTiers?: TierConfig;
}

export interface Offer {
  offerId: string;
  businessId: string;
  name: string;
  nameAr: string | null;
  stampsRequired: number;
  rewardDescription: string | null;
  rewardDescriptionAr: string | null;
  loyaltyTiers: TierConfig | null;
  effectiveTiers: Tier[];
  createdAt: string;
  minMinutesBetweenStamps?: number;
  timezone?: string;
  status?: OfferStatus;
  updatedAt?: string;
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

export interface OfferList {
  offers: Offer[];
  nextCursor: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface WalletLinks {
  appleWalletUrl: string | null;
  googleWalletSaveUrl: string | null;
}

export type PassState = "ACTIVE" | "EXPIRED";

export interface IssuedPass {
  customerId: string;
  offerId: string;
  passSerial: string;
  status: PassState;
  qrPayload: string;
  progress: Progress;
  tier: TierStanding;
  wallet: WalletLinks;
}

export interface VerificationSent {
  success: true;
  status: "VERIFICATION_SENT";
}

export interface EnrollDraft {
  email: string;
  name: string;
  preferredLanguage?: Lang;
}

export interface PassStatus {
  customerId: string;
  offerId: string;
  passSerial: string;
  status: PassState;
  progress: Progress;
  tier: TierStanding;
  rewardReady: boolean;
  lastActivityAt: string | null;
  memberSince: string;
  lifetimeStamps: number;
}

export interface StampAnswer {
  success: true;
  stampAwarded?: boolean;
  stampVoided?: boolean;
  progress: Progress;
  tier: TierStanding;
  rewardReady: boolean;
}

export interface TierUpgrade {
  from: TierRef | null;
  to: TierRef;
  message: string;
}

export interface PrizeAnswer {
  success: true;
  progress: Progress;
  tier: TierStanding;
  newCycleStarted: boolean;
  totalCompletions: number;
  tierUpgrade?: TierUpgrade;
  credentialIssuance?: { issuanceId: string; status: string };
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
