import type { ComponentChildren } from "preact";
import { appConfig } from "../auth/config";
import { logoutUrl } from "../auth/pkce";
import { clearSession, currentSession } from "../auth/session";
import { useI18n } from "../lib/i18n";
import { navigate } from "../lib/router";
import { Link } from "./Link";

async function signOut(): Promise<void> {
  clearSession();
  const config = await appConfig().catch(() => null);
  if (config?.auth === "cognito") window.location.assign(logoutUrl(config, window.location.origin));
  else navigate("/signin");
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
          {session?.role === "owner" && (
            <Link href="/business" class="ghost">
              {t("business")}
            </Link>
          )}
          {session && (
            <span class="who">
              {t("signedInAs", { role: t(session.role === "owner" ? "roleOwner" : "roleManager"), business: session.businessId })}
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
