import { useEffect, useRef, useState } from "preact/hooks";
import { api, idempotent, ok } from "../api/client";
import type { PassStatus, TierUpgrade } from "../api/contract";
import { ApiError } from "../api/errors";
import { passKey, sendIdempotent } from "../api/idempotency";
import type { CameraScan } from "../lib/camera";
import { dateTime } from "../lib/format";
import { localName, useI18n } from "../lib/i18n";
import { parseQrPayload, parseShortCode, type PassRef } from "../lib/qrPayload";
import { Field, Notice } from "../ui/Field";
import { FindCustomer, type Found, FoundList, useCustomerSearch } from "./FindCustomer";
import { VoidStamp } from "./VoidStamp";

interface Card {
  ref: PassRef;
  pass: PassStatus;
}

/** What the screen says after the last action: one notice at a time, replaced or cleared by the next action. */
type Outcome =
  | { kind: "stamp" | "prize" | "void" | "reactivated" }
  | { kind: "upgrade"; upgrade: TierUpgrade }
  | { kind: "refused"; error: unknown }
  | { kind: "problem"; text: string };

async function loadCard(ref: PassRef): Promise<Card> {
  // One call: the pass status carries the customer's and the offer's names and the pass's short code.
  const pass = await ok(api.GET("/api/branch-manager/passes/{customerId}/{offerId}", { params: { path: ref } }));
  return { ref, pass };
}

function CodeEntry({ onCode }: { onCode: (text: string) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [code, setCode] = useState("");
  if (!open) {
    // Shown on request: the camera is the counter's usual way.
    return (
      <button type="button" class="ghost" onClick={() => setOpen(true)}>
        {t("enterCode")}
      </button>
    );
  }
  return (
    <form
      class="stack"
      onSubmit={(event) => {
        event.preventDefault();
        onCode(code);
      }}
    >
      {/* The field keeps the button's name: "Enter code" then leads to the place to type it. */}
      <Field label={t("enterCode")} hint={t("codeHint")} value={code} onInput={setCode} dir="ltr" autocomplete="off" />
      <button type="submit">{t("open")}</button>
    </form>
  );
}

function CustomerCard({
  card,
  onChange,
  onStart,
}: {
  card: Card;
  onChange: (card: Card, outcome: Outcome | null) => void;
  onStart: () => void;
}) {
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const { pass } = card;
  const tier = pass.tier.currentTier;
  const expired = pass.status === "EXPIRED";

  async function act(route: "scan" | "confirm-prize" | "reactivate") {
    onStart();
    setBusy(true);
    try {
      // One key per tap, naming the pass: automatic retries after a network failure reuse it, so the stamp is
      // never doubled, and the scan stays one write.
      const key = passKey(card.ref);
      const params = { params: { path: card.ref } };
      if (route === "scan") {
        const answer = await sendIdempotent(key, (k) =>
          ok(api.POST("/api/branch-manager/scan/{customerId}/{offerId}", { ...params, ...idempotent(k) })),
        );
        onChange({ ...card, pass: { ...pass, ...answer, lastActivityAt: new Date().toISOString() } }, { kind: "stamp" });
      } else if (route === "reactivate") {
        const answer = await sendIdempotent(key, (k) =>
          ok(api.POST("/api/branch-manager/reactivate/{customerId}/{offerId}", { ...params, ...idempotent(k) })),
        );
        onChange({ ...card, pass: answer }, { kind: "reactivated" });
      } else {
        const answer = await sendIdempotent(key, (k) =>
          ok(api.POST("/api/branch-manager/confirm-prize/{customerId}/{offerId}", { ...params, ...idempotent(k) })),
        );
        const next = { ...card, pass: { ...pass, progress: answer.progress, tier: answer.tier, rewardReady: false } };
        onChange(next, answer.tierUpgrade ? { kind: "upgrade", upgrade: answer.tierUpgrade } : { kind: "prize" });
      }
    } catch (error) {
      // A full card refuses a stamp: show "Confirm prize" instead of asking for another tap. An expired one
      // shows "Reactivate"; one reactivated elsewhere meanwhile is read again.
      const code = error instanceof ApiError ? error.code : null;
      if (code === "PASS_ACTIVE") {
        loadCard(card.ref).then(
          (fresh) => onChange(fresh, { kind: "refused", error }),
          () => onChange(card, { kind: "refused", error }),
        );
        return;
      }
      const next =
        code === "REWARD_READY"
          ? { ...card, pass: { ...pass, rewardReady: true } }
          : code === "PASS_EXPIRED"
            ? { ...card, pass: { ...pass, status: "EXPIRED" as const } }
            : card;
      // An expired pass: the card itself now says so, with "Reactivate"; no second notice.
      onChange(next, code === "PASS_EXPIRED" ? null : { kind: "refused", error });
    } finally {
      setBusy(false);
    }
  }

  return (
    <article class={expired ? "card customer-card expired" : "card customer-card"} aria-labelledby="customer-name">
      <p class="offer-name">{localName(lang, pass.offerName, pass.offerNameAr)}</p>
      <h2 id="customer-name">{pass.name || card.ref.customerId}</h2>
      <p class="stamp-count" aria-label={t("progress")}>
        {t("stampOf", { current: pass.progress.currentStamps, max: pass.progress.maxStamps })}
      </p>
      <div class="stamps" aria-hidden="true">
        {Array.from({ length: pass.progress.maxStamps }, (_, i) => (
          <span key={i} class={i < pass.progress.currentStamps ? "stamp on" : "stamp"} />
        ))}
      </div>
      <dl class="facts">
        <div>
          <dt>{t("tier")}</dt>
          <dd>{tier ? `${tier.icon} ${localName(lang, tier.name, tier.nameAr)}` : t("noTier")}</dd>
        </div>
        <div>
          <dt>{t("lastVisit")}</dt>
          <dd>{dateTime(lang, pass.lastActivityAt) ?? t("never")}</dd>
        </div>
        <div>
          <dt>{t("shortCode")}</dt>
          <dd dir="ltr" class="short-code">
            {pass.shortCode}
          </dd>
        </div>
      </dl>
      {expired && <Notice kind="error">{t("passExpiredCard")}</Notice>}
      {!expired && pass.rewardReady && <Notice kind="info">{t("rewardReady")}</Notice>}
      <div class="actions big">
        {expired ? (
          <button type="button" disabled={busy} onClick={() => void act("reactivate")}>
            {t("reactivate")}
          </button>
        ) : pass.rewardReady ? (
          <button type="button" disabled={busy} onClick={() => void act("confirm-prize")}>
            {t("confirmPrize")}
          </button>
        ) : (
          <button type="button" disabled={busy} onClick={() => void act("scan")}>
            {t("addStamp")}
          </button>
        )}
      </div>
      {!expired && (
        // Apart from the main action, and only once confirmed: a mis-tap never takes a stamp back.
        <div class="void-zone">
          <VoidStamp
            pass={card.ref}
            onStart={onStart}
            onVoided={(answer) => onChange({ ...card, pass: { ...pass, ...answer } }, { kind: "void" })}
            onRefused={(error) => onChange(card, { kind: "refused", error })}
          />
        </div>
      )}
    </article>
  );
}

function OutcomeNotice({ outcome }: { outcome: Outcome }) {
  const { t, lang, refusal } = useI18n();
  switch (outcome.kind) {
    case "stamp":
      return <Notice kind="ok">{t("stampAdded")}</Notice>;
    case "prize":
      return <Notice kind="ok">{t("prizeConfirmed")}</Notice>;
    case "void":
      return <Notice kind="ok">{t("stampVoided")}</Notice>;
    case "reactivated":
      return <Notice kind="ok">{t("reactivated")}</Notice>;
    case "upgrade":
      return (
        <div class="celebration" role="status">
          <span class="confetti" aria-hidden="true">
            {t("celebrate")}
          </span>
          <p class="upgrade-message">
            {lang === "ar" ? outcome.upgrade.messageAr : outcome.upgrade.message}
          </p>
          <p>{t("prizeConfirmed")}</p>
        </div>
      );
    case "refused":
      return <Notice kind="error">{refusal(outcome.error)}</Notice>;
    case "problem":
      return <Notice kind="error">{outcome.text}</Notice>;
  }
}

/** The branch manager's scanner: a phone's camera (or a typed code) → the customer card → stamp or prize. */
export function Scanner() {
  const { t, refusal } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const camera = useRef<CameraScan | null>(null);
  const [scanning, setScanning] = useState(false);
  const [card, setCard] = useState<Card | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [found, setFound] = useState<Found[] | null>(null);
  const search = useCustomerSearch();

  const stopCamera = () => {
    camera.current?.stop();
    camera.current = null;
    setScanning(false);
  };
  useEffect(() => stopCamera, []);

  const show = (ref: PassRef) => {
    setOutcome(null);
    setFound(null);
    loadCard(ref).then(setCard, (error: unknown) => {
      setCard(null);
      setOutcome({ kind: "problem", text: refusal(error) });
    });
  };

  // What the camera read or a person typed: the QR's text, or the short code under the barcode.
  const open = (text: string): boolean => {
    setOutcome(null);
    const ref = parseQrPayload(text);
    if (ref) {
      show(ref);
      return true;
    }
    const code = parseShortCode(text);
    if (!code) {
      setOutcome({ kind: "problem", text: t("badCode") });
      return false;
    }
    search(code).then(
      (passes) => {
        if (passes.length === 1 && passes[0]) show(passes[0].ref);
        else if (passes.length === 0) setOutcome({ kind: "problem", text: t("noPassWithCode") });
        else setFound(passes);
      },
      (error: unknown) => setOutcome({ kind: "problem", text: refusal(error) }),
    );
    return true;
  };

  async function startCamera() {
    setCard(null);
    setFound(null);
    setOutcome(null);
    if (!video.current || !navigator.mediaDevices?.getUserMedia) {
      setOutcome({ kind: "problem", text: t("cameraUnavailable") });
      return;
    }
    setScanning(true);
    try {
      // The QR decoder loads with the camera, so the dashboard and the join page do not carry it.
      const { scanWithCamera } = await import("../lib/camera");
      camera.current = await scanWithCamera(video.current, (text) => {
        const accepted = open(text);
        if (accepted) setScanning(false);
        return accepted;
      });
    } catch {
      setScanning(false);
      setOutcome({ kind: "problem", text: t("cameraUnavailable") });
    }
  }

  return (
    <div class="stack scanner">
      <h1>{t("scan")}</h1>
      <div class="actions big">
        {scanning ? (
          <button type="button" class="ghost" onClick={stopCamera}>
            {t("stopCamera")}
          </button>
        ) : (
          <button type="button" onClick={() => void startCamera()}>
            {t("scan")}
          </button>
        )}
      </div>
      <video ref={video} class={scanning ? "camera" : "camera hidden"} muted aria-label={t("scan")} />
      <CodeEntry onCode={open} />
      <FindCustomer
        onStart={() => {
          setOutcome(null);
          setCard(null);
        }}
        onResults={setFound}
        onProblem={(error) => setOutcome({ kind: "problem", text: refusal(error) })}
      />
      {outcome && <OutcomeNotice outcome={outcome} />}
      {found && <FoundList found={found} onOpen={show} />}
      {card && (
        <CustomerCard
          card={card}
          onStart={() => setOutcome(null)}
          onChange={(next, result) => {
            setCard(next);
            setOutcome(result);
          }}
        />
      )}
    </div>
  );
}
