/**
 * What openapi.json does not say yet, typed from ../shared/API.md in the generated paths' shape and called through
 * the same client: pass recovery, enroll's 202, and the Google half of a pass preview (documented as free-form).
 * Each entry leaves as soon as the generated schema.d.ts carries it (`make client`).
 */
import type { components, paths } from "./schema";
import type { ErrorBody, IssuedPass, PassPreview, PreviewDraft, VerificationSent } from "./contract";

type Json<T> = { headers: { [name: string]: unknown }; content: { "application/json": T } };
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
type EnrollDraft = components["schemas"]["EnrollmentRequest"];

interface Pending {
  // An email already enrolled gets 202 VERIFICATION_SENT (and the pass by mail).
  "/api/offers/{offerId}/enroll": Amend<
    "/api/offers/{offerId}/enroll",
    { post: Op<Params<OfferPath>, { 201: Json<IssuedPass>; 202: Json<VerificationSent> }, EnrollDraft> }
  >;
  "/api/offers/{offerId}/pass-preview": Amend<
    "/api/offers/{offerId}/pass-preview",
    { post: Op<Params<OfferPath>, { 200: Json<PassPreview> }, PreviewDraft> }
  >;
  "/api/passes/recover": Item<{
    post: Op<Params, { 200: Json<IssuedPass> }, { token: string }>;
  }>;
}

export type ApiPaths = Omit<paths, keyof Pending> & Pending;
