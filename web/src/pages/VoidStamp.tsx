import { useState } from "preact/hooks";
import { api, idempotent, ok } from "../api/client";
import type { VoidAnswer } from "../api/contract";
import { passKey, sendIdempotent } from "../api/idempotency";
import { useI18n } from "../lib/i18n";
import type { PassRef } from "../lib/qrPayload";
import { Field, Notice } from "../ui/Field";

interface VoidStampProps {
  pass: PassRef;
  onVoided: (answer: VoidAnswer) => void;
  /** Where the outcome is told: a screen with one notice at a time takes it; otherwise it shows here. */
  onRefused?: (error: unknown) => void;
  /** Called as the person starts (a tap on "Void stamp"), so the screen clears what it said before. */
  onStart?: () => void;
}

/**
 * "Void stamp" takes back one mistaken stamp, only once confirmed (with an optional reason): a mis-tap never
 * removes a stamp. One key per confirmation, reused on retry.
 */
export function VoidStamp({ pass, onVoided, onRefused, onStart }: VoidStampProps) {
  const { t, refusal } = useI18n();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: true } | { error: unknown } | null>(null);
  async function voidStamp() {
    setBusy(true);
    setOutcome(null);
    try {
      const answer = await sendIdempotent(passKey(pass), (key) =>
        ok(
          api.POST("/api/branch-manager/void-stamp/{customerId}/{offerId}", {
            params: { path: pass },
            body: reason.trim() ? { reason: reason.trim() } : {},
            ...idempotent(key),
          }),
        ),
      );
      setReason("");
      setAsking(false);
      if (!onRefused) setOutcome({ ok: true });
      onVoided(answer);
    } catch (error) {
      setAsking(false);
      if (onRefused) onRefused(error);
      else setOutcome({ error });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="stack void-stamp">
      {!asking && (
        <button
          type="button"
          class="ghost danger"
          onClick={() => {
            setOutcome(null);
            onStart?.();
            setAsking(true);
          }}
        >
          {t("voidStamp")}
        </button>
      )}
      {asking && (
        <div role="alertdialog" aria-labelledby="void-question" class="card confirm stack">
          <p id="void-question">{t("voidConfirm")}</p>
          <Field label={t("voidReason")} value={reason} onInput={setReason} />
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={() => void voidStamp()}>
              {t("confirmVoid")}
            </button>
            <button type="button" class="ghost" disabled={busy} onClick={() => setAsking(false)}>
              {t("cancel")}
            </button>
          </div>
        </div>
      )}
      {outcome && "ok" in outcome && <Notice kind="ok">{t("stampVoided")}</Notice>}
      {outcome && "error" in outcome && <Notice kind="error">{refusal(outcome.error)}</Notice>}
    </div>
  );
}
