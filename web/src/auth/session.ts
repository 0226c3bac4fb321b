/** The signed-in person: their Cognito tokens, and what the ID token's claims say (role, business, branch). A
 * person signed up but without a business yet has a session with neither role nor business. */
import { refreshTokens, type Tokens } from "./cognito";

export type Role = "owner" | "manager";

export interface Session {
  token: string;
  email: string | null;
  role: Role | null;
  businessId: string | null;
  branchId: string | null;
  expiresAt: number;
}

/**
 * Where the tokens are kept: this tab's sessionStorage. Not localStorage, which every tab and every later visit
 * shares and which stays on disk: a token there outlives the tab it was signed in for. sessionStorage is this
 * tab's alone and is gone with it. No script but ours runs on these pages (the CSP allows no inline or foreign
 * script), which is what keeps an injected script from reading it at all; a cookie the page cannot read would be
 * stronger still, but the API takes the token as a Bearer header, so the page must hold it.
 */
const KEY = "loyalty.session";
// Refresh this long before the ID token (5 minutes) runs out, so a request never leaves with a dead one.
const REFRESH_AHEAD_MS = 60_000;
// Sessions kept by earlier versions, in localStorage: never read, removed on sight.
localStorage.removeItem(KEY);

function base64UrlDecode(part: string): string {
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Reads the claims the API authorizes with; null when the token is not an ID token. */
export function sessionFromToken(token: string): Session | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(base64UrlDecode(payload)) as Record<string, unknown>;
  } catch {
    return null;
  }
  const groups = claims["cognito:groups"];
  const list = Array.isArray(groups) ? groups.map(String) : typeof groups === "string" ? [groups] : [];
  const role: Role | null = list.includes("owner") ? "owner" : list.includes("manager") ? "manager" : null;
  const businessId = claims["custom:businessId"];
  const exp = claims["exp"];
  if (typeof exp !== "number") return null;
  const branch = claims["custom:branchId"];
  const email = claims["email"];
  return {
    token,
    email: typeof email === "string" ? email : null,
    role,
    businessId: typeof businessId === "string" && businessId ? businessId : null,
    branchId: typeof branch === "string" ? branch : null,
    expiresAt: exp * 1000,
  };
}

function storedTokens(): Tokens | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) ?? "null") as Tokens | null;
    return stored && typeof stored.idToken === "string" ? stored : null;
  } catch {
    return null;
  }
}

export function currentSession(now: number = Date.now()): Session | null {
  const tokens = storedTokens();
  const session = tokens ? sessionFromToken(tokens.idToken) : null;
  return session && session.expiresAt > now ? session : null;
}

export function accessToken(): string | null {
  return storedTokens()?.accessToken ?? null;
}

export function saveTokens(tokens: Tokens): Session | null {
  const session = sessionFromToken(tokens.idToken);
  if (session) sessionStorage.setItem(KEY, JSON.stringify(tokens));
  return session;
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

let refreshing: Promise<Session | null> | null = null;

/** New tokens from the refresh token (after a business is created, or before the ID token runs out); a refresh
 * token revoked (signed out everywhere, removed) ends the session. */
export function refreshSession(): Promise<Session | null> {
  const tokens = storedTokens();
  if (!tokens) return Promise.resolve(null);
  refreshing ??= refreshTokens(tokens.refreshToken)
    .then((fresh) => saveTokens(fresh), () => {
      clearSession();
      return null;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** The session, refreshed first when its ID token is about to run out. */
export async function freshSession(now: number = Date.now()): Promise<Session | null> {
  const tokens = storedTokens();
  if (!tokens) return null;
  const session = sessionFromToken(tokens.idToken);
  if (session && session.expiresAt - REFRESH_AHEAD_MS > now) return session;
  return refreshSession();
}
