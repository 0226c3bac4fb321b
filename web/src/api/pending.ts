/**
 * Routes openapi.json does not list yet (issue 13's business operations, in ../shared/API.md), typed here in the
 * generated paths' shape and called through the same client. Each entry leaves as soon as the generated schema.d.ts
 * carries its route (`make client`): then the generated type is the one the app compiles against.
 */
import type { paths } from "./schema";
import type {
  EnrollDraft,
  ErrorBody,
  IssuedPass,
  Member,
  Offer,
  OfferChanges,
  OfferList,
  Page,
  PassEvent,
  PassPreview,
  PassState,
  PreviewDraft,
  Stats,
  VerificationSent,
  VoidAnswer,
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
/** A generated path item with some of its methods replaced. */
type Amend<P extends keyof paths, Methods> = Omit<paths[P], keyof Methods> & Methods;

type OfferPath = { offerId: string };
type PassPath = { customerId: string; offerId: string };
type PageQuery = { limit?: number; cursor?: string };

interface Pending {
  // Offers answer with the fields offer editing adds (status, cooldown, timezone) once PATCH lands.
  "/api/offers": Amend<"/api/offers", { get: Op<Params<never, PageQuery>, { 200: Json<OfferList> }> }>;
  "/api/offers/{offerId}": Amend<
    "/api/offers/{offerId}",
    {
      get: Op<Params<OfferPath>, { 200: Json<Offer> }>;
      patch: Op<Params<OfferPath>, { 200: Json<Offer> }, OfferChanges>;
    }
  >;
  // An email already enrolled gets 202 VERIFICATION_SENT (and the pass by mail).
  "/api/offers/{offerId}/enroll": Amend<
    "/api/offers/{offerId}/enroll",
    { post: Op<Params<OfferPath>, { 201: Json<IssuedPass>; 202: Json<VerificationSent> }, EnrollDraft> }
  >;
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
  "/api/branch-manager/passes/{customerId}/{offerId}/history": Item<{
    get: Op<Params<PassPath, PageQuery>, { 200: Json<Page<PassEvent>> }>;
  }>;
  "/api/branch-manager/void-stamp/{customerId}/{offerId}": Item<{
    post: Op<Params<PassPath>, { 200: Json<VoidAnswer> }, { reason?: string }>;
  }>;
  "/api/customers/{customerId}": Item<{
    delete: Op<Params<{ customerId: string }>, { 204: NoContent }>;
  }>;
  "/api/passes/recover": Item<{
    post: Op<Params, { 200: Json<IssuedPass> }, { token: string }>;
  }>;
}

export type ApiPaths = Omit<paths, keyof Pending> & Pending;
