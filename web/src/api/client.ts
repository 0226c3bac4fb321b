import createClient, { type Middleware } from "openapi-fetch";
import { clearSession, freshSession } from "../auth/session";
import { ApiError } from "./errors";
import type { ApiPaths } from "./pending";

const bearer: Middleware = {
  async onRequest({ request }) {
    const session = await freshSession();
    if (session) request.headers.set("Authorization", `Bearer ${session.token}`);
    return request;
  },
  onResponse({ response }) {
    // An expired or revoked token: sign out, so the app asks for a new sign-in instead of failing page by page.
    if (response.status === 401) clearSession();
    return response;
  },
};

/** The API at this origin (CloudFront deployed, the local gateway locally), typed by the contract. */
export const api = createClient<ApiPaths>({ baseUrl: globalThis.location?.origin ?? "" });
api.use(bearer);

/** The 2xx body, or the refusal as an ApiError. */
export async function ok<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw ApiError.from(response.status, error, response.headers.get("Retry-After"));
  return data as T;
}

export function idempotent(key: string): { headers: { "Idempotency-Key": string } } {
  return { headers: { "Idempotency-Key": key } };
}
