import { useState } from "preact/hooks";
import { api, idempotent, ok } from "../api/client";
import type { VoidAnswer } from "../api/contract";
import { newIdempotencyKey, sendIdempotent } from "../api/idempotency";
import { useI18n } from "../lib/i18n";
import type { PassRef } from "../lib/qrPayload";
import { Field, Notice } from "../ui/Field";

/** "Void stamp" with an optional reason: takes back one mistaken stamp (one key per tap, reused on retry). */
export function VoidStamp({ pass, onVoided }: { pass: PassRef; onVoided: (answer: VoidAnswer) => void }) {
  const { t, refusal } = useI18n();
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: true } | { error: unknown } | null>(null);
  async function voidStamp() {
    setBusy(true);
    setOutcome(null);
    try {
      const answer = await sendIdempotent(newIdempotencyKey(), (key) =>
        ok(
          api.POST("/api/branch-manager/void-stamp/{customerId}/{offerId}", {
            params: { path: pass },
            body: reason.trim() ? { reason: reason.trim() } : {},
            ...idempotent(key),
          }),
        ),
      );
      setReason("");
      setOutcome({ ok: true });
      onVoided(answer);
    } catch (error) {
      setOutcome({ error });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="stack void-stamp">
      <Field label={t("voidReason")} value={reason} onInput={setReason} />
      <button type="button" class="ghost danger" disabled={busy} onClick={() => void voidStamp()}>
        {t("voidStamp")}
      </button>
      {outcome && "ok" in outcome && <Notice kind="ok">{t("stampVoided")}</Notice>}
      {outcome && "error" in outcome && <Notice kind="error">{refusal(outcome.error)}</Notice>}
    </div>
  );
}
