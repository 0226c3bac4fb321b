import type { ComponentChildren } from "preact";
import { useMemo, useState } from "preact/hooks";
import type { Lang } from "./api/contract";
import { currentSession } from "./auth/session";
import { applyLang, I18nContext, refusalText, storedLang, translate, useI18n, type I18n } from "./lib/i18n";
import { routeOf, useLocation, type Route } from "./lib/router";
import { BusinessPage } from "./pages/Business";
import { Dashboard } from "./pages/Dashboard";
import { Join } from "./pages/Join";
import { MemberPage } from "./pages/Member";
import { OfferPage } from "./pages/Offer";
import { Poster } from "./pages/Poster";
import { Recover } from "./pages/Recover";
import { Scanner } from "./pages/Scanner";
import { Branches } from "./pages/Branches";
import { CreateBusiness } from "./pages/CreateBusiness";
import { SignIn } from "./pages/SignIn";
import { Staff } from "./pages/Staff";
import { Shell } from "./ui/Shell";
import { Notice } from "./ui/Field";
import { Link } from "./ui/Link";

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case "signin":
      return <SignIn />;
    case "join":
      return <Join offerId={route.offerId} />;
    case "recover":
      return <Recover token={route.token} />;
    case "welcome":
      return <Signed>{() => <CreateBusiness />}</Signed>;
    case "branches":
      return <Signed owner>{() => <Branches />}</Signed>;
    case "staff":
      return <Signed owner>{() => <Staff />}</Signed>;
    case "scan":
      return <Signed>{() => <Scanner />}</Signed>;
    case "dashboard":
      return <Signed owner>{() => <Dashboard />}</Signed>;
    case "offer":
      return <Signed owner>{() => <OfferPage offerId={route.offerId} tab={route.tab} />}</Signed>;
    case "member":
      return <Signed owner>{() => <MemberPage offerId={route.offerId} customerId={route.customerId} />}</Signed>;
    case "business":
      return <Signed owner>{() => <BusinessPage />}</Signed>;
    case "poster":
      return <Signed owner>{() => <Poster offerId={route.offerId} size={route.size} />}</Signed>;
    case "notFound":
      return <NotFound />;
  }
}

function NotFound() {
  const { t } = useI18n();
  return (
    <section>
      <h1>{t("notFound")}</h1>
      <Link href="/">{t("home")}</Link>
    </section>
  );
}

/** A page for signed-in people: others are sent to sign in; a manager on an owner's page goes to the scanner. */
function Signed({ owner = false, children }: { owner?: boolean; children: () => ComponentChildren }) {
  const { t } = useI18n();
  const session = currentSession();
  if (!session) {
    return (
      <section class="stack">
        <Notice kind="info">{t("signInRequired")}</Notice>
        <Link href="/signin" class="button">
          {t("signIn")}
        </Link>
      </section>
    );
  }
  if (!session.businessId) return <CreateBusiness />;
  if (owner && session.role !== "owner") {
    return (
      <section class="stack">
        <Notice kind="info">{t("ownerOnly")}</Notice>
        <Link href="/scan" class="button">
          {t("scan")}
        </Link>
      </section>
    );
  }
  return <>{children()}</>;
}

export function App() {
  const [lang, setLangState] = useState<Lang>(() => {
    const initial = storedLang();
    applyLang(initial);
    return initial;
  });
  const where = useLocation();
  const i18n = useMemo<I18n>(
    () => ({
      lang,
      t: (key, values) => translate(lang, key, values),
      setLang: (next) => {
        applyLang(next);
        setLangState(next);
      },
      refusal: (error) => refusalText(lang, error),
    }),
    [lang],
  );
  const route = routeOf(where.pathname, where.search);
  return (
    <I18nContext.Provider value={i18n}>
      <Shell wide={route.page !== "scan" && route.page !== "join" && route.page !== "recover"}>
        <Page route={route} />
      </Shell>
    </I18nContext.Provider>
  );
}
