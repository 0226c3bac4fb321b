import type { ComponentChildren } from "preact";
import { api, ok } from "../api/client";
import { globalSignOut } from "../auth/cognito";
import { accessToken, clearSession, currentSession } from "../auth/session";
import { localName, useI18n } from "../lib/i18n";
import { navigate } from "../lib/router";
import { useLoad } from "../lib/useLoad";
import { Link } from "./Link";

/** Signed out everywhere: every refresh token of the person revoked, then this device forgets the session. */
async function signOut(): Promise<void> {
  const token = accessToken();
  if (token) await globalSignOut(token).catch(() => undefined);
  clearSession();
  navigate("/signin");
}

/** The business's name, never its id. */
function BusinessName({ businessId }: { businessId: string }) {
  const { lang } = useI18n();
  const business = useLoad(() => ok(api.GET("/api/business")), [businessId]);
  return <>{business.data ? localName(lang, business.data.name, business.data.nameAr) : ""}</>;
}

/** Header on every page: the app's name, who is signed in, the language toggle and "Sign out". */
export function Shell({ wide, children }: { wide: boolean; children: ComponentChildren }) {
  const { t, lang, setLang } = useI18n();
  const session = currentSession();
  return (
    <>
      <header class="topbar">
        <Link href={session?.role === "manager" ? "/scan" : "/"} class="brand">
          {t("appName")}
        </Link>
        <nav aria-label={t("appName")} class="topbar-actions">
          {session?.role === "owner" && session.businessId && (
            <>
              <Link href="/">{t("offers")}</Link>
              <Link href="/business">{t("business")}</Link>
              <Link href="/branches">{t("branches")}</Link>
              <Link href="/staff">{t("staff")}</Link>
            </>
          )}
          {session?.businessId && (
            <span class="who">
              {t(session.role === "owner" ? "roleOwner" : "roleManager")} · <BusinessName businessId={session.businessId} />
            </span>
          )}
          <button
            type="button"
            class="ghost"
            lang={lang === "en" ? "ar" : "en"}
            onClick={() => setLang(lang === "en" ? "ar" : "en")}
          >
            {t("otherLanguage")}
          </button>
          {session && (
            <button type="button" class="ghost" onClick={() => void signOut()}>
              {t("signOut")}
            </button>
          )}
        </nav>
      </header>
      <main class={wide ? "wide" : "narrow"}>{children}</main>
    </>
  );
}
