import { useCallback, useEffect, useState } from "preact/hooks";
import { api, ok } from "../../api/client";
import type { ErrorDetail, Offer, TiersInForce } from "../../api/contract";
import { ApiError, fieldErrors } from "../../api/errors";
import { detailText } from "../../lib/details";
import { useI18n } from "../../lib/i18n";
import { nextRow, rowOf, tierConfig, type TierRow } from "../../lib/tierRows";
import { Field, Notice } from "../../ui/Field";
import { PassPreviewPanel } from "./PassPreview";

type Errors = Map<string, string[]>;

function TierFields({
  index,
  row,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  row: TierRow;
  errors: Errors;
  onChange: (row: TierRow) => void;
  onRemove: (() => void) | null;
}) {
  const { t } = useI18n();
  const at = (field: string) => errors.get(`tiers[${index}].${field}`);
  const edit = (field: keyof TierRow) => (value: string) => onChange({ ...row, [field]: value });
  const whole = errors.get(`tiers[${index}].`) ?? errors.get(`tiers[${index}]`);
  return (
    <fieldset class="tier-row card">
      <legend>
        <span aria-hidden="true">{row.icon} </span>
        {t("tierN", { n: index + 1 })}
      </legend>
      {whole && <Notice kind="error">{whole.join(" ")}</Notice>}
      <div class="grid2">
        <Field label={t("tierNameEn")} value={row.name} onInput={edit("name")} dir="ltr" errors={at("name")} />
        <Field label={t("tierNameAr")} value={row.nameAr} onInput={edit("nameAr")} dir="rtl" errors={at("nameAr")} />
        <Field label={t("minRewards")} type="number" min={1} value={row.minRewards} onInput={edit("minRewards")} errors={at("minRewards")} />
        <Field
          label={t("maxRewards")}
          type="number"
          min={1}
          value={row.maxRewards}
          onInput={edit("maxRewards")}
          hint={t("maxRewardsHint")}
          errors={at("maxRewards")}
        />
        <Field label={t("tierIcon")} value={row.icon} onInput={edit("icon")} errors={at("icon")} />
        <Field label={t("tierColor")} type="color" value={row.color} onInput={edit("color")} errors={at("color")} />
      </div>
      {errors.get(`tiers[${index}].id`) && <Notice kind="error">{errors.get(`tiers[${index}].id`)!.join(" ")}</Notice>}
      {onRemove && (
        <button type="button" class="ghost danger" onClick={onRemove}>
          {t("removeTier")}
        </button>
      )}
    </fieldset>
  );
}

/** The editor's rows for a ladder: a saved custom ladder's tiers keep their ids; default tiers get theirs from names. */
function rowsOf(ladder: TiersInForce): TierRow[] {
  if (ladder.customTiers) return ladder.customTiers.map((tier) => rowOf(tier));
  return ladder.tiers.map((tier) => rowOf(tier, ladder.source === "custom"));
}

/** "Loyalty Tiers": the ladder editor beside a live preview of the pass it would give. */
export function TiersTab({ offer }: { offer: Offer }) {
  const { t, lang, refusal } = useI18n();
  const [enabled, setEnabled] = useState(false);
  const [rows, setRows] = useState<TierRow[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  // What the live preview found wrong with the draft: marked at the fields before anyone presses "Save".
  const [draftProblems, setDraftProblems] = useState<ErrorDetail[]>([]);
  const previewProblems = useCallback((details: ErrorDetail[]) => setDraftProblems(details), []);

  useEffect(() => {
    ok(api.GET("/api/offers/{offerId}/loyalty-tiers", { params: { path: { offerId: offer.offerId } } })).then(
      (ladder) => {
        setEnabled(ladder.enabled);
        setRows(rowsOf(ladder));
        setLoaded(true);
      },
      setError,
    );
  }, [offer.offerId]);

  const errors: Errors = fieldErrors(error instanceof ApiError ? error.details : draftProblems, (message) => detailText(lang, message));
  const general = [...errors.entries()].filter(([field]) => !field.startsWith("tiers[")).flatMap(([, messages]) => messages);
  const change = (update: TierRow[]) => {
    setRows(update);
    setSaved(false);
  };

  async function save(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const ladder = await ok(
        api.PUT("/api/offers/{offerId}/loyalty-tiers", {
          params: { path: { offerId: offer.offerId } },
          body: tierConfig(enabled, rows),
        }),
      );
      setRows(rowsOf(ladder));
      setSaved(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="tiers-layout">
      <form class="stack" onSubmit={save} aria-labelledby="tiers-heading">
        <h2 id="tiers-heading">{t("tabTiers")}</h2>
        {error !== null && <Notice kind="error">{error instanceof ApiError && error.status === 422 ? t("notSaved") : refusal(error)}</Notice>}
        {general.length > 0 && <Notice kind="error">{general.join(" ")}</Notice>}
        {!loaded && error === null && <p>{t("loading")}</p>}
        {/* The controls wait for the saved ladder, so nothing typed before it arrives is overwritten. */}
        {loaded && (
          <>
            <label class="switch">
              <input
                type="checkbox"
                role="switch"
                checked={enabled}
                onChange={(event) => {
                  setEnabled(event.currentTarget.checked);
                  setSaved(false);
                }}
              />
              {t("enableCustomTiers")}
            </label>
            {!enabled && <p class="hint">{t("defaultTiersNote")}</p>}
            {rows.map((row, index) => (
              <TierFields
                key={index}
                index={index}
                row={row}
                errors={errors}
                onChange={(next) => change(rows.map((old, i) => (i === index ? next : old)))}
                onRemove={rows.length > 1 ? () => change(rows.filter((_, i) => i !== index)) : null}
              />
            ))}
            <div class="actions">
              <button type="button" class="ghost" onClick={() => change([...rows, nextRow(rows)])} disabled={rows.length >= 10}>
                {t("addTier")}
              </button>
              <button type="submit" aria-busy={busy} disabled={busy}>
                {t("save")}
              </button>
            </div>
          </>
        )}
        {saved && <Notice kind="ok">{t("saved")}</Notice>}
      </form>
      <PassPreviewPanel offer={offer} config={loaded ? tierConfig(enabled, rows) : null} onProblems={previewProblems} />
    </div>
  );
}
