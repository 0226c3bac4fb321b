/**
 * Paths typed here until openapi.json types them: routes it does not list yet (PATCH offer, customers, history,
 * stats, void-stamp, erase, pass-preview, passes/recover, all in ../shared/API.md) and routes whose bodies it
 * documents as free-form objects. Each entry leaves as soon as the generated schema.d.ts carries it (`make
 * client`), so the app is typed by the contract's own document wherever that document is complete.
 */
import type { paths } from "./schema";
import type {
  EnrollDraft,
  ErrorBody,
  IssuedPass,
  Member,
  Offer,
  OfferChanges,
  OfferDraft,
  OfferList,
  Page,
  PassEvent,
  PassPreview,
  PassStatus,
  PassState,
  PreviewDraft,
  PrizeAnswer,
  StampAnswer,
  Stats,
  TierConfig,
  TiersInForce,
  VerificationSent,
} from "./contract";

type Json<T> = { headers: { [name: string]: unknown }; content: { "application/json": T } };
type NoContent = { headers: { [name: string]: unknown }; content?: never };
type Answers<A> = A & { default: Json<ErrorBody> };
type Params<Path = never, Query = never> = {
  query?: [Query] extends [never] ? never : Query;
  header?: never;
  cookie?: never;
} & ([Path] extends [never] ? { path?: never } : { path: Path });
type Op<P, A, Body = never> = { parameters: P; responses: Answers<A> } & ([Body] extends [never]
  ? { requestBody?: never }
  : { requestBody: { content: { "application/json": Body } } });
type Item<Methods> = {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
} & Methods;

type OfferPath = { offerId: string };
type PassPath = { customerId: string; offerId: string };
type PageQuery = { limit?: number; cursor?: string };

interface Typed {
  "/api/offers": Item<{
    get: Op<Params<never, PageQuery>, { 200: Json<OfferList> }>;
    post: Op<Params, { 201: Json<Offer> }, OfferDraft>;
  }>;
  "/api/offers/{offerId}": Item<{
    get: Op<Params<OfferPath>, { 200: Json<Offer> }>;
    patch: Op<Params<OfferPath>, { 200: Json<Offer> }, OfferChanges>;
  }>;
  "/api/offers/{offerId}/loyalty-tiers": Item<{
    get: Op<Params<OfferPath>, { 200: Json<TiersInForce> }>;
    put: Op<Params<OfferPath>, { 200: Json<TiersInForce> }, TierConfig>;
  }>;
  "/api/offers/{offerId}/enroll": Item<{
    post: Op<Params<OfferPath>, { 201: Json<IssuedPass>; 202: Json<VerificationSent> }, EnrollDraft>;
  }>;
  "/api/offers/{offerId}/pass-preview": Item<{
    post: Op<Params<OfferPath>, { 200: Json<PassPreview> }, PreviewDraft>;
  }>;
  "/api/offers/{offerId}/customers": Item<{
    get: Op<
      Params<OfferPath, PageQuery & { status?: PassState; tier?: string; q?: string }>,
      { 200: Json<Page<Member>> }
    >;
  }>;
  "/api/offers/{offerId}/stats": Item<{
    get: Op<Params<OfferPath, { from: string; to: string; branchId?: string }>, { 200: Json<Stats> }>;
  }>;
  "/api/branch-manager/passes/{customerId}/{offerId}": Item<{
    get: Op<Params<PassPath>, { 200: Json<PassStatus> }>;
  }>;
  "/api/branch-manager/passes/{customerId}/{offerId}/history": Item<{
    get: Op<Params<PassPath, PageQuery>, { 200: Json<Page<PassEvent>> }>;
  }>;
  "/api/branch-manager/scan/{customerId}/{offerId}": Item<{
    post: Op<Params<PassPath>, { 200: Json<StampAnswer> }>;
  }>;
  "/api/branch-manager/void-stamp/{customerId}/{offerId}": Item<{
    post: Op<Params<PassPath>, { 200: Json<StampAnswer> }, { reason?: string }>;
  }>;
  "/api/branch-manager/confirm-prize/{customerId}/{offerId}": Item<{
    post: Op<Params<PassPath>, { 200: Json<PrizeAnswer> }>;
  }>;
  "/api/customers/{customerId}": Item<{
    delete: Op<Params<{ customerId: string }>, { 204: NoContent }>;
  }>;
  "/api/passes/recover": Item<{
    post: Op<Params, { 200: Json<IssuedPass> }, { token: string }>;
  }>;
}

export type ApiPaths = Omit<paths, keyof Typed> & Typed;
