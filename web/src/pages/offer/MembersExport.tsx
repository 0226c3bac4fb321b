import { useEffect, useRef, useState } from "preact/hooks";
import { api, idempotent, ok } from "../../api/client";
import type { Offer } from "../../api/contract";
import { newIdempotencyKey, sendIdempotent } from "../../api/idempotency";
import { num } from "../../lib/format";
import { useI18n } from "../../lib/i18n";
import { Notice } from "../../ui/Field";

const POLL_MS = 1000;

type State =
  | { step: "idle" }
  | { step: "running"; exportId: string; rows: number }
  | { step: "done"; rows: number; url: string }
  | { step: "failed"; reason: string };

/**
 * "Export CSV": the server writes every member of the offer to a file off the request path; this shows how many
 * are written while it runs, then "Download" (a link that works for 15 minutes).
 */
export function MembersExport({ offer }: { offer: Offer }) {
  const { t, lang, refusal } = useI18n();
  const [state, setState] = useState<State>({ step: "idle" });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const poll = (exportId: string) => {
    timer.current = setTimeout(async () => {
      try {
        const found = await ok(api.GET("/api/exports/{exportId}", { params: { path: { exportId } } }));
        if (found.status === "DONE" && found.downloadUrl) setState({ step: "done", rows: found.rows, url: found.downloadUrl });
        else if (found.status === "FAILED") setState({ step: "failed", reason: t("exportFailed") });
        else {
          setState({ step: "running", exportId, rows: found.rows });
          poll(exportId);
        }
      } catch (error) {
        setState({ step: "failed", reason: refusal(error) });
      }
    }, POLL_MS);
  };

  const start = async () => {
    clearTimeout(timer.current);
    setState({ step: "running", exportId: "", rows: 0 });
    try {
      const started = await sendIdempotent(newIdempotencyKey(), (key) =>
        ok(api.POST("/api/offers/{offerId}/customers/export", { params: { path: { offerId: offer.offerId } }, ...idempotent(key) })),
      );
      setState({ step: "running", exportId: started.exportId, rows: 0 });
      poll(started.exportId);
    } catch (error) {
      setState({ step: "failed", reason: refusal(error) });
    }
  };

  return (
    <div class="actions export">
      <button type="button" class="ghost" onClick={start} disabled={state.step === "running"}>
        {t("exportCsv")}
      </button>
      {state.step === "running" && (
        <p role="status" class="notice notice-info">
          <progress aria-label={t("exportCsv")} />
          {t("exportRunning", { rows: num(lang, state.rows) })}
        </p>
      )}
      {state.step === "done" && (
        <>
          <Notice kind="ok">{t("exportDone", { rows: num(lang, state.rows) })}</Notice>
          <a class="button" href={state.url} download>
            {t("download")}
          </a>
        </>
      )}
      {state.step === "failed" && <Notice kind="error">{state.reason}</Notice>}
    </div>
  );
}
