/** Cognito's hosted UI with the authorization code flow and PKCE (RFC 7636): the browser keeps the verifier,
 * the hosted UI sees only its SHA-256 challenge, and the code is worthless without the verifier. */

export interface HostedUi {
  domain: string;
  clientId: string;
}

const VERIFIER_KEY = "loyalty.pkce";

function base64Url(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function randomVerifier(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

export function redirectUri(origin: string): string {
  return `${origin}/signin`;
}

export function authorizeUrl(ui: HostedUi, origin: string, challenge: string, state: string): string {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: ui.clientId,
    redirect_uri: redirectUri(origin),
    scope: "openid email profile",
    code_challenge_method: "S256",
    code_challenge: challenge,
    state,
  });
  return `https://${ui.domain}/oauth2/authorize?${query}`;
}

export function logoutUrl(ui: HostedUi, origin: string): string {
  return `https://${ui.domain}/logout?${new URLSearchParams({ client_id: ui.clientId, logout_uri: `${origin}/` })}`;
}

/** Sends the browser to the hosted UI, keeping verifier and state for the way back. */
export async function startSignIn(ui: HostedUi, origin: string): Promise<string> {
  const verifier = randomVerifier();
  const state = randomVerifier();
  sessionStorage.setItem(VERIFIER_KEY, JSON.stringify({ verifier, state }));
  return authorizeUrl(ui, origin, await challengeOf(verifier), state);
}

/** The ID token for the code the hosted UI sent back, when `state` is the one this browser sent. */
export async function finishSignIn(ui: HostedUi, origin: string, code: string, state: string): Promise<string> {
  const kept = JSON.parse(sessionStorage.getItem(VERIFIER_KEY) ?? "{}") as { verifier?: string; state?: string };
  sessionStorage.removeItem(VERIFIER_KEY);
  if (!kept.verifier || kept.state !== state) throw new Error("sign-in state mismatch");
  const answer = await fetch(`https://${ui.domain}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: ui.clientId,
      code,
      redirect_uri: redirectUri(origin),
      code_verifier: kept.verifier,
    }),
  });
  if (!answer.ok) throw new Error(`token endpoint: HTTP ${answer.status}`);
  const tokens = (await answer.json()) as { id_token?: string };
  if (!tokens.id_token) throw new Error("no id_token");
  return tokens.id_token;
}
