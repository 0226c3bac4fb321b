import { useEffect, useState } from "preact/hooks";

/** The app's pages by path; anything else is "not found". */
export type Route =
  | { page: "dashboard" }
  | { page: "signin" }
  | { page: "welcome" }
  | { page: "branches" }
  | { page: "staff" }
  | { page: "scan" }
  | { page: "join"; offerId: string }
  | { page: "recover"; token: string | null }
  | { page: "preferences"; customerId: string | null; offerId: string | null; token: string | null }
  | { page: "offer"; offerId: string; tab: OfferTab }
  | { page: "member"; offerId: string; customerId: string }
  | { page: "business" }
  | { page: "poster"; offerId: string; size: "a4" | "a6" }
  | { page: "notFound" };

export type OfferTab = "tiers" | "customers" | "stats" | "settings" | "campaigns";
const TABS: readonly OfferTab[] = ["tiers", "customers", "stats", "settings", "campaigns"];

export function routeOf(pathname: string, search: string): Route {
  const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const [first, second, third, fourth] = parts;
  if (parts.length === 0) return { page: "dashboard" };
  if (first === "signin" && parts.length === 1) return { page: "signin" };
  if (first === "scan" && parts.length === 1) return { page: "scan" };
  if (first === "business" && parts.length === 1) return { page: "business" };
  if (first === "welcome" && parts.length === 1) return { page: "welcome" };
  if (first === "branches" && parts.length === 1) return { page: "branches" };
  if (first === "staff" && parts.length === 1) return { page: "staff" };
  if (first === "join" && second && parts.length === 2) return { page: "join", offerId: second };
  if (first === "pass" && second === "recover" && parts.length === 2) {
    return { page: "recover", token: new URLSearchParams(search).get("token") };
  }
  if (first === "pass" && second === "preferences" && parts.length === 2) {
    const query = new URLSearchParams(search);
    return { page: "preferences", customerId: query.get("customerId"), offerId: query.get("offerId"), token: query.get("token") };
  }
  if (first === "offers" && second) {
    if (parts.length === 2) return { page: "offer", offerId: second, tab: "tiers" };
    if (third === "poster" && parts.length === 3) return { page: "poster", offerId: second, size: "a4" };
    if (third === "counter-card" && parts.length === 3) return { page: "poster", offerId: second, size: "a6" };
    if (third === "customers" && fourth && parts.length === 4) {
      return { page: "member", offerId: second, customerId: fourth };
    }
    const tab = TABS.find((name) => name === third);
    if (tab && parts.length === 3) return { page: "offer", offerId: second, tab };
  }
  return { page: "notFound" };
}

const CHANGED = "loyalty:navigate";

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  window.dispatchEvent(new Event(CHANGED));
}

export function useLocation(): { pathname: string; search: string } {
  const read = () => ({ pathname: location.pathname, search: location.search });
  const [where, setWhere] = useState(read);
  useEffect(() => {
    const update = () => setWhere(read());
    window.addEventListener("popstate", update);
    window.addEventListener(CHANGED, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(CHANGED, update);
    };
  }, []);
  return where;
}

/** A same-origin link that changes page without reloading the app. */
export function followLink(event: MouseEvent, path: string): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigate(path);
}
