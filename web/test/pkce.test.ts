import { expect, test } from "vitest";
import { authorizeUrl, challengeOf, logoutUrl } from "../src/auth/pkce";
import { sessionFromToken } from "../src/auth/session";

test("the S256 challenge is RFC 7636's", async () => {
  // RFC 7636, appendix B.
  expect(await challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
});

test("the hosted UI is asked for a code with the challenge and our redirect", () => {
  const url = new URL(authorizeUrl({ domain: "auth.example.com", clientId: "client1" }, "https://app.example.com", "CH", "ST"));
  expect(url.origin + url.pathname).toBe("https://auth.example.com/oauth2/authorize");
  expect(Object.fromEntries(url.searchParams)).toMatchObject({
    response_type: "code",
    client_id: "client1",
    redirect_uri: "https://app.example.com/signin",
    code_challenge: "CH",
    code_challenge_method: "S256",
    state: "ST",
  });
  expect(logoutUrl({ domain: "auth.example.com", clientId: "client1" }, "https://app.example.com")).toBe(
    "https://auth.example.com/logout?client_id=client1&logout_uri=https%3A%2F%2Fapp.example.com%2F",
  );
});

test("a session reads role, business and branch from the ID token", () => {
  const claims = { "cognito:groups": ["manager"], "custom:businessId": "biz_1", "custom:branchId": "b-1", exp: 2_000_000_000 };
  const token = `x.${btoa(JSON.stringify(claims)).replace(/=+$/, "")}.y`;
  expect(sessionFromToken(token)).toEqual({ token, role: "manager", businessId: "biz_1", branchId: "b-1", expiresAt: 2_000_000_000_000 });
  expect(sessionFromToken("not-a-token")).toBeNull();
});
