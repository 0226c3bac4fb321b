/** Cognito's own API (`AWSCognitoIdentityProviderService.*`), called the same way deployed and locally: sign up,
 * confirm the mailed code, sign in with the password (USER_PASSWORD_AUTH over TLS), an invited person's first
 * password, a forgotten password, token refresh and sign-out everywhere. */
import { appConfig } from "./config";

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
}

/** Cognito's refusal: its exception name (`CodeMismatchException`, …) and message. */
export class CognitoError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = "CognitoError";
  }
}

async function call<T>(operation: string, body: Record<string, unknown>): Promise<T> {
  const config = await appConfig();
  const answer = await fetch(config.endpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify({ ClientId: config.clientId, ...body }),
  });
  const parsed = (await answer.json().catch(() => ({}))) as Record<string, unknown>;
  if (!answer.ok) {
    const kind = String(parsed["__type"] ?? "UnknownError").split("#").pop() ?? "UnknownError";
    throw new CognitoError(kind, String(parsed["message"] ?? parsed["Message"] ?? kind));
  }
  return parsed as T;
}

interface AuthAnswer {
  AuthenticationResult?: { IdToken: string; AccessToken: string; RefreshToken?: string };
  ChallengeName?: string;
  Session?: string;
}

/** Signed in, or asked for a new password (an invited person's first sign-in). */
export type SignInResult = { tokens: Tokens } | { newPasswordSession: string };

function result(answer: AuthAnswer, refreshToken = ""): SignInResult {
  const done = answer.AuthenticationResult;
  if (done) {
    return {
      tokens: { idToken: done.IdToken, accessToken: done.AccessToken, refreshToken: done.RefreshToken ?? refreshToken },
    };
  }
  if (answer.ChallengeName === "NEW_PASSWORD_REQUIRED" && answer.Session) return { newPasswordSession: answer.Session };
  throw new CognitoError("UnsupportedChallenge", answer.ChallengeName ?? "no tokens");
}

export function signUp(email: string, password: string): Promise<unknown> {
  return call("SignUp", { Username: email, Password: password, UserAttributes: [{ Name: "email", Value: email }] });
}

export function confirmSignUp(email: string, code: string): Promise<unknown> {
  return call("ConfirmSignUp", { Username: email, ConfirmationCode: code.trim() });
}

export function resendCode(email: string): Promise<unknown> {
  return call("ResendConfirmationCode", { Username: email });
}

export async function signIn(email: string, password: string): Promise<SignInResult> {
  const answer = await call<AuthAnswer>("InitiateAuth", {
    AuthFlow: "USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
  return result(answer);
}

export async function setNewPassword(email: string, session: string, password: string): Promise<SignInResult> {
  const answer = await call<AuthAnswer>("RespondToAuthChallenge", {
    ChallengeName: "NEW_PASSWORD_REQUIRED",
    Session: session,
    ChallengeResponses: { USERNAME: email, NEW_PASSWORD: password },
  });
  return result(answer);
}

export function forgotPassword(email: string): Promise<unknown> {
  return call("ForgotPassword", { Username: email });
}

export function confirmForgotPassword(email: string, code: string, password: string): Promise<unknown> {
  return call("ConfirmForgotPassword", { Username: email, ConfirmationCode: code.trim(), Password: password });
}

export async function refreshTokens(refreshToken: string): Promise<Tokens> {
  const answer = await call<AuthAnswer>("InitiateAuth", {
    AuthFlow: "REFRESH_TOKEN_AUTH",
    AuthParameters: { REFRESH_TOKEN: refreshToken },
  });
  const signedIn = result(answer, refreshToken);
  if (!("tokens" in signedIn)) throw new CognitoError("NotAuthorizedException", "no tokens");
  return signedIn.tokens;
}

/** Every refresh token of the person revoked: each of their devices is signed out within the ID token's life. */
export function globalSignOut(accessToken: string): Promise<unknown> {
  return call("GlobalSignOut", { AccessToken: accessToken });
}
