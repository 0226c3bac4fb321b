/** The signed-in user: the ID token (Cognito's, or the local user pool's) and what its claims say. */

export type Role = "owner" | "manager";

export interface Session {
  token: string;
  role: Role;
  businessId: string;
  branchId: string | null;
  expiresAt: number;
}

/**
 * Where the ID token is kept: this tab's sessionStorage. Not localStorage, which every tab and every later visit
 * shares and which stays on disk: a token there outlives the tab it was signed in for. sessionStorage is this
 * tab's alone and is gone with it. No script but ours runs on these pages (the CSP allows no inline or foreign
 * script), which is what keeps an injected script from reading it at all; a cookie the page cannot read would be
 * stronger still, but the API takes the token as a Bearer header, so the page must hold it.
 */
const KEY = "loyalty.session";
// Sessions kept by earlier versions, in localStorage: never read, removed on sight.
localStorage.removeItem(KEY);

function base64UrlDecode(part: string): string {
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Reads the claims the API authorizes with; null when the token is not an ID token of a known role. */
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
  if (!role || typeof businessId !== "string" || typeof exp !== "number") return null;
  const branch = claims["custom:branchId"];
  return { token, role, businessId, branchId: typeof branch === "string" ? branch : null, expiresAt: exp * 1000 };
}

export function currentSession(now: number = Date.now()): Session | null {
  const token = sessionStorage.getItem(KEY);
  const session = token ? sessionFromToken(token) : null;
  return session && session.expiresAt > now ? session : null;
}

export function saveSession(token: string): Session | null {
  const session = sessionFromToken(token);
  if (session) sessionStorage.setItem(KEY, token);
  return session;
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
