import { api, ok } from "../api/client";
import { useI18n } from "../lib/i18n";
import { useLoad } from "../lib/useLoad";
import { Notice } from "../ui/Field";
import { PassReady } from "./PassReady";
import { ConsentChoice } from "./Preferences";

/** `/pass/recover?token=…`: a mailed link's token → the customer's pass, with the same wallet buttons. */
export function Recover({ token }: { token: string | null }) {
  const { t, refusal } = useI18n();
  const pass = useLoad(
    () => (token ? ok(api.POST("/api/passes/recover", { body: { token } })) : Promise.reject(new Error("no token"))),
    [token],
  );
  return (
    <div class="stack">
      <h1>{t("recoverTitle")}</h1>
      {!token && <Notice kind="error">{t("recoverMissing")}</Notice>}
      {token && pass.error !== null && <Notice kind="error">{refusal(pass.error)}</Notice>}
      {pass.loading && token && <p>{t("loading")}</p>}
      {pass.data && <PassReady pass={pass.data} />}
      {pass.data && token && <ConsentChoice link={{ recoveryToken: token }} />}
    </div>
  );
}
