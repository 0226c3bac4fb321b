import { useState } from "preact/hooks";
import * as cognito from "../auth/cognito";
import { saveTokens, type Session } from "../auth/session";
import { useI18n } from "../lib/i18n";
import { navigate } from "../lib/router";
import { Field, Notice } from "../ui/Field";

type Step = "signIn" | "signUp" | "confirm" | "forgot" | "reset" | "newPassword";

/** Where a signed-in person starts: no business yet → create one; a manager → the scanner; an owner → offers. */
export function landing(session: Session | null): void {
  if (!session) return;
  navigate(!session.businessId ? "/welcome" : session.role === "manager" ? "/scan" : "/", true);
}

/** Accounts through Cognito's API: sign in, create an account and confirm the mailed code, a forgotten password,
 * an invited person's first password. */
export function SignIn() {
  const { t, refusal } = useI18n();
  const [step, setStep] = useState<Step>("signIn");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [session, setSession] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function go(next: Step, message: string | null = null) {
    setStep(next);
    setError(null);
    setNote(message);
    setPassword("");
    setCode("");
  }

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  function signedIn(result: cognito.SignInResult) {
    if ("newPasswordSession" in result) {
      setSession(result.newPasswordSession);
      go("newPassword", t("chooseNewPassword"));
      return;
    }
    landing(saveTokens(result.tokens));
  }

  const submit = (event: Event) => {
    event.preventDefault();
    const address = email.trim();
    void run(async () => {
      if (step === "signIn") signedIn(await cognito.signIn(address, password));
      else if (step === "signUp") {
        await cognito.signUp(address, password);
        go("confirm", t("codeSent"));
      } else if (step === "confirm") {
        await cognito.confirmSignUp(address, code);
        go("signIn", t("accountConfirmed"));
      } else if (step === "forgot") {
        await cognito.forgotPassword(address);
        go("reset", t("codeSent"));
      } else if (step === "reset") {
        await cognito.confirmForgotPassword(address, code, password);
        go("signIn", t("passwordChanged"));
      } else signedIn(await cognito.setNewPassword(address, session, password));
    });
  };

  const titles: Record<Step, string> = {
    signIn: t("signIn"),
    signUp: t("createAccount"),
    confirm: t("confirmAccount"),
    forgot: t("forgotPassword"),
    reset: t("resetPassword"),
    newPassword: t("newPassword"),
  };
  const actions: Record<Step, string> = {
    signIn: t("signIn"),
    signUp: t("createAccount"),
    confirm: t("confirm"),
    forgot: t("sendCode"),
    reset: t("resetPassword"),
    newPassword: t("saveNewPassword"),
  };
  const asksPassword = step === "signIn" || step === "signUp";
  return (
    <section class="narrow-page">
      <h1>{titles[step]}</h1>
      <form class="card stack" onSubmit={submit}>
        {note && <Notice kind="info">{note}</Notice>}
        <Field label={t("email")} type="email" value={email} onInput={setEmail} required dir="ltr" autocomplete="username" />
        {asksPassword && (
          <Field
            label={t("password")}
            type="password"
            value={password}
            onInput={setPassword}
            required
            dir="ltr"
            autocomplete={step === "signUp" ? "new-password" : "current-password"}
            hint={step === "signUp" ? t("passwordRules") : undefined}
          />
        )}
        {(step === "confirm" || step === "reset") && (
          <Field label={t("confirmationCode")} value={code} onInput={setCode} required dir="ltr" autocomplete="one-time-code" />
        )}
        {(step === "reset" || step === "newPassword") && (
          <Field
            label={t("newPassword")}
            type="password"
            value={password}
            onInput={setPassword}
            required
            dir="ltr"
            autocomplete="new-password"
            hint={t("passwordRules")}
          />
        )}
        {error !== null && <Notice kind="error">{refusal(error)}</Notice>}
        <button type="submit" disabled={busy}>
          {actions[step]}
        </button>
        <div class="row">
          {step !== "signIn" && (
            <button type="button" class="ghost" onClick={() => go("signIn")}>
              {t("backToSignIn")}
            </button>
          )}
          {step === "signIn" && (
            <>
              <button type="button" class="ghost" onClick={() => go("signUp")}>
                {t("createAccount")}
              </button>
              <button type="button" class="ghost" onClick={() => go("forgot")}>
                {t("forgotPassword")}
              </button>
            </>
          )}
          {step === "confirm" && (
            <button type="button" class="ghost" disabled={busy} onClick={() => void run(async () => {
              await cognito.resendCode(email.trim());
              setNote(t("codeSent"));
            })}>
              {t("resendCode")}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
