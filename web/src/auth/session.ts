/** The signed-in user: the ID token (Cognito's, or the local user pool's) and what its claims say. */

export type Role = "owner" | "manager";

export interface Session {
  token: string;
  role: Role;
  businessId: string;
  branchId: string | null;
  expiresAt: number;
}

const KEY = "loyalty.session";

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
  const token = localStorage.getItem(KEY);
  const session = token ? sessionFromToken(token) : null;
  return session && session.expiresAt > now ? session : null;
}

export function saveSession(token: string): Session | null {
  const session = sessionFromToken(token);
  if (session) localStorage.setItem(KEY, token);
  return session;
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
}
