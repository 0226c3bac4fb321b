import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api/errors";
import { appConfig, type AppConfig } from "../auth/config";
import { finishSignIn, startSignIn } from "../auth/pkce";
import { saveSession, type Role, type Session } from "../auth/session";
import { useI18n } from "../lib/i18n";
import { navigate } from "../lib/router";
import { Field, Notice, Select } from "../ui/Field";

function landing(session: Session | null): void {
  navigate(session?.role === "manager" ? "/scan" : "/", true);
}

/** Deployed: to Cognito's hosted UI and back (the code exchanged with the PKCE verifier). */
function HostedSignIn({ config }: { config: Extract<AppConfig, { auth: "cognito" }> }) {
  const { t, refusal } = useI18n();
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const query = new URLSearchParams(window.location.search);
    const code = query.get("code");
    const origin = window.location.origin;
    const step = code
      ? finishSignIn(config, origin, code, query.get("state") ?? "").then((token) => landing(saveSession(token)))
      : startSignIn(config, origin).then((url) => window.location.assign(url));
    step.catch(setError);
  }, [config]);
  return error ? <Notice kind="error">{refusal(error)}</Notice> : <p>{t("signingIn")}</p>;
}

/** Locally: the local stack's sign-in, whose user pool issues the token the gateway checks. */
function LocalSignIn({ config }: { config: Extract<AppConfig, { auth: "local" }> }) {
  const { t, refusal } = useI18n();
  const [role, setRole] = useState<Role>("owner");
  const [business, setBusiness] = useState(config.demoBusinessId);
  const [branch, setBranch] = useState(config.demoBranchId);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await fetch("/_local/signin", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ role, businessId: business.trim(), branchId: role === "manager" ? branch.trim() : null }),
      });
      const body = (await answer.json()) as { idToken?: string };
      if (!answer.ok || !body.idToken) throw ApiError.from(answer.status, body);
      landing(saveSession(body.idToken));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card stack" onSubmit={submit}>
      <p class="hint">{t("localSignInNote")}</p>
      <Select
        label={t("role")}
        value={role}
        onChange={(value) => setRole(value === "manager" ? "manager" : "owner")}
        options={[
          { value: "owner", label: t("roleOwner") },
          { value: "manager", label: t("roleManager") },
        ]}
      />
      <Field label={t("business")} value={business} onInput={setBusiness} required dir="ltr" />
      <Field label={t("branch")} value={branch} onInput={setBranch} dir="ltr" />
      {error !== null && <Notice kind="error">{refusal(error)}</Notice>}
      <button type="submit" disabled={busy}>
        {t("signIn")}
      </button>
    </form>
  );
}

export function SignIn() {
  const { t, refusal } = useI18n();
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    appConfig().then(setConfig, setError);
  }, []);
  return (
    <section class="narrow-page">
      <h1>{t("signIn")}</h1>
      {error !== null && <Notice kind="error">{refusal(error)}</Notice>}
      {config?.auth === "local" && <LocalSignIn config={config} />}
      {config?.auth === "cognito" && <HostedSignIn config={config} />}
    </section>
  );
}
