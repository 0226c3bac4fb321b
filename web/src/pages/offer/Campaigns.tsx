import { useEffect, useState } from "preact/hooks";
import { api, idempotent, ok } from "../../api/client";
import type { Offer } from "../../api/contract";
import type { components } from "../../api/schema";
import { ApiError, fieldErrors } from "../../api/errors";
import { newIdempotencyKey, sendIdempotent } from "../../api/idempotency";
import { campaignText, type CampaignWord } from "../../lib/campaignStrings";
import { detailText } from "../../lib/details";
import { localName, useI18n } from "../../lib/i18n";
import { useLoad } from "../../lib/useLoad";
import { Field, Notice, Select } from "../../ui/Field";

type Campaign = components["schemas"]["Campaign"];
type Segment = Campaign["audience"]["segment"];
const SEGMENTS: readonly Segment[] = ["ALL", "REWARD_READY", "EXPIRING_SOON", "AT_RISK"];
const EMPTY = { message: "", messageAr: "", audience: "ALL", sendAt: "" };

function audienceOf(choice: string): Campaign["audience"] {
  if (choice.startsWith("TIER:")) return { segment: "TIER", tierId: choice.slice(5) };
  if (choice.startsWith("BRANCH:")) return { segment: "BRANCH", branchId: choice.slice(7) };
  return { segment: choice as Segment };
}

/** The offer's Campaigns tab: a bilingual message to the wallets of an audience, previewed, sent now or later;
 * each campaign with what became of it. */
export function CampaignsTab({ offer }: { offer: Offer }) {
  const { lang, refusal } = useI18n();
  const c = (word: CampaignWord, values?: Record<string, string | number>) => campaignText(lang, word, values);
  const path = { params: { path: { offerId: offer.offerId } } };
  const list = useLoad(() => ok(api.GET("/api/offers/{offerId}/campaigns", path)), [offer.offerId]);
  const branches = useLoad(() => ok(api.GET("/api/branches")), []);
  const [form, setForm] = useState(EMPTY);
  const [size, setSize] = useState<number | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const errors = error instanceof ApiError ? fieldErrors(error.details, (message) => detailText(lang, message)) : new Map<string, string[]>();
  const edit = (name: keyof typeof EMPTY) => (value: string) => {
    setForm({ ...form, [name]: value });
    setSent(false);
  };

  useEffect(() => {
    const audience = audienceOf(form.audience);
    setSize(null);
    void ok(
      api.GET("/api/offers/{offerId}/campaign-audience", {
        params: { path: { offerId: offer.offerId }, query: audience.tierId
          ? { segment: audience.segment, tierId: audience.tierId }
          : audience.branchId
            ? { segment: audience.segment, branchId: audience.branchId }
            : { segment: audience.segment } },
      }),
    )
      .then((answer) => setSize(answer.audienceSize))
      .catch(() => setSize(null));
  }, [form.audience, offer.offerId]);

  async function send() {
    setError(null);
    setBusy(true);
    const body: components["schemas"]["CampaignDraft"] = {
      message: form.message,
      messageAr: form.messageAr,
      audience: audienceOf(form.audience),
    };
    if (form.sendAt) body.sendAt = new Date(form.sendAt).toISOString();
    try {
      await sendIdempotent(key, (k) => ok(api.POST("/api/offers/{offerId}/campaigns", { ...path, body, ...idempotent(k) })));
      setForm(EMPTY);
      setKey(newIdempotencyKey());
      setSent(true);
      list.set(await ok(api.GET("/api/offers/{offerId}/campaigns", path)));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const options = [
    ...SEGMENTS.map((segment) => ({ value: segment, label: c(`segment${segment}` as CampaignWord) })),
    ...offer.effectiveTiers.map((tier) => ({ value: `TIER:${tier.id}`, label: c("segmentTIER", { name: localName(lang, tier.name, tier.nameAr) }) })),
    // A branch's regulars: members most of whose stamps of the cycle under way that branch gave.
    ...(branches.data?.items ?? [])
      .filter((branch) => branch.status === "ACTIVE")
      .map((branch) => ({ value: `BRANCH:${branch.branchId}`, label: c("segmentBRANCH", { name: localName(lang, branch.name, branch.nameAr) }) })),
  ];
  const business = localName(lang, offer.name, offer.nameAr);
  const refused = error instanceof ApiError && error.code === "CAMPAIGN_LIMIT" ? c("refusalCAMPAIGN_LIMIT") : error !== null ? refusal(error) : null;
  return (
    <div class="stack">
      <h2>{c("campaigns")}</h2>
      <form
        class="stack card"
        aria-labelledby="new-campaign"
        onSubmit={(event) => {
          event.preventDefault();
          void send();
        }}
      >
        <h3 id="new-campaign">{c("newCampaign")}</h3>
        <div class="grid2">
          <Field label={c("messageEn")} value={form.message} onInput={edit("message")} dir="ltr" errors={errors.get("message")} />
          <Field label={c("messageAr")} value={form.messageAr} onInput={edit("messageAr")} dir="rtl" errors={errors.get("messageAr")} />
          <Select label={c("audience")} value={form.audience} onChange={edit("audience")} options={options} />
          <div class="field">
            <label for="campaign-send-at">{c("sendAt")}</label>
            <input
              id="campaign-send-at"
              type="datetime-local"
              value={form.sendAt}
              onInput={(event) => edit("sendAt")(event.currentTarget.value)}
              aria-describedby="campaign-send-at-hint"
            />
            <small id="campaign-send-at-hint" class="hint">
              {c("sendAtHint")}
            </small>
            {errors.get("sendAt") && (
              <p class="field-error" role="alert">
                {errors.get("sendAt")?.join(" ")}
              </p>
            )}
          </div>
        </div>
        <p role="status">{size === null ? "" : c("audienceSize", { n: size })}</p>
        <section aria-label={c("preview")} class="grid2">
          <div class="card">
            <h4>{c("appleWallet")}</h4>
            <p class="hint">{c("lockScreen")}</p>
            <p>
              <strong>{business}</strong>
            </p>
            <p dir="ltr">{form.message}</p>
            <p dir="rtl" lang="ar">
              {form.messageAr}
            </p>
          </div>
          <div class="card">
            <h4>{c("googleWallet")}</h4>
            <p class="hint">{c("lockScreen")}</p>
            <p>
              <strong>{business}</strong>
            </p>
            <p dir="ltr">{form.message}</p>
            <p dir="rtl" lang="ar">
              {form.messageAr}
            </p>
          </div>
        </section>
        <p class="hint">{c("allowance")}</p>
        {refused !== null && <Notice kind="error">{refused}</Notice>}
        {sent && <Notice kind="ok">{c("sentOk")}</Notice>}
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? c("sending") : c("send")}
          </button>
        </div>
      </form>
      {list.data && list.data.items.length === 0 && <p>{c("noCampaigns")}</p>}
      {list.data && list.data.items.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-label={c("campaigns")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{c("message")}</th>
                <th scope="col">{c("when")}</th>
                <th scope="col">{c("status")}</th>
                <th scope="col">{c("countSent")}</th>
                <th scope="col">{c("countDelivered")}</th>
                <th scope="col">{c("countFetched")}</th>
                <th scope="col">{c("countDeferred")}</th>
                <th scope="col">{c("countFailed")}</th>
                <th scope="col">{c("countWonBack")}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((campaign) => (
                <tr key={campaign.campaignId}>
                  <td>{lang === "ar" ? campaign.messageAr : campaign.message}</td>
                  <td>{new Date(campaign.sendAt).toLocaleString(lang === "ar" ? "ar" : "en")}</td>
                  <td>{c(`status${campaign.status}` as CampaignWord)}</td>
                  <td>{campaign.counts.sent}</td>
                  <td>{campaign.counts.delivered}</td>
                  <td>{campaign.counts.fetched}</td>
                  <td>{campaign.counts.deferred}</td>
                  <td>{campaign.counts.failed}</td>
                  <td>{campaign.counts.wonBack}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
