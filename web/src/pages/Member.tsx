import { useEffect, useRef, useState } from "preact/hooks";
import { api, ok } from "../api/client";
import type { Credential, Member, PassEvent, PassStatus } from "../api/contract";
import { dateTime, num } from "../lib/format";
import { HISTORY_RETRIES, HISTORY_RETRY_MS, historyBehind } from "../lib/history";
import { localName, useI18n } from "../lib/i18n";
import { useLoad } from "../lib/useLoad";
import { Notice } from "../ui/Field";
import { Link } from "../ui/Link";
import { StatusBadge } from "../ui/StatusBadge";
import { DataTable } from "../ui/DataTable";
import { WalletDelivery } from "../ui/WalletDelivery";
import { VoidStamp } from "./VoidStamp";

interface MemberView {
  pass: PassStatus;
  member: Member | null;
  history: PassEvent[];
}

async function loadMember(offerId: string, customerId: string): Promise<MemberView> {
  const path = { customerId, offerId };
  const [pass, members, history] = await Promise.all([
    ok(api.GET("/api/branch-manager/passes/{customerId}/{offerId}", { params: { path } })),
    ok(api.GET("/api/offers/{offerId}/customers", { params: { path: { offerId }, query: { q: customerId } } })),
    ok(api.GET("/api/branch-manager/passes/{customerId}/{offerId}/history", { params: { path, query: { limit: 100 } } })),
  ]);
  return { pass, member: members.items.find((item) => item.customerId === customerId) ?? null, history: history.items };
}

/** The customer's tier credentials for this offer, newest first, each with where it stands (owners only). */
function Credentials({ customerId, offerId }: { customerId: string; offerId: string }) {
  const { t, lang, refusal } = useI18n();
  const credentials = useLoad(
    () => ok(api.GET("/api/customers/{customerId}/credentials", { params: { path: { customerId } } })),
    [customerId],
  );
  const mine: Credential[] = credentials.data?.items.filter((item) => item.offerId === offerId) ?? [];
  return (
    <section class="stack" aria-labelledby="credentials-heading">
      <h2 id="credentials-heading">{t("credentials")}</h2>
      {credentials.error !== null && <Notice kind="error">{refusal(credentials.error)}</Notice>}
      {credentials.data && mine.length === 0 && <p>{t("noCredentials")}</p>}
      {mine.length > 0 && (
        <DataTable
          label={t("credentials")}
          columns={[t("tier"), t("credentialStatus"), t("day")]}
          rows={mine.map((credential) => ({
            key: credential.issuanceId,
            cells: [credential.tier.name, t(`credential${credential.status}`), dateTime(lang, credential.updatedAt)],
          }))}
        />
      )}
    </section>
  );
}

function History({
  events,
  updating,
  onRefresh,
}: {
  events: readonly PassEvent[];
  updating: boolean;
  onRefresh: () => void;
}) {
  const { t, lang } = useI18n();
  return (
    <section class="stack" aria-labelledby="history-heading">
      <div class="title-row">
        <h2 id="history-heading">{t("history")}</h2>
        <button type="button" class="ghost" onClick={onRefresh}>
          {t("refreshHistory")}
        </button>
        <span role="status">{updating ? t("historyUpdating") : ""}</span>
      </div>
      <DataTable
        label={t("historyEvents")}
        columns={[t("day"), t("history"), t("branch"), t("stamps"), t("prizes")]}
        rows={events.map((event) => ({
          key: event.eventId,
          cells: [
            dateTime(lang, event.at),
            `${t(`kind${event.kind}`)}${event.reason ? ` · ${event.reason}` : ""}`,
            event.branchName ?? event.branchId ?? "",
            num(lang, event.currentStamps),
            num(lang, event.rewardsClaimed),
          ],
        }))}
      />
    </section>
  );
}

function EraseCustomer({ customerId, onErased }: { customerId: string; onErased: () => void }) {
  const { t, refusal } = useI18n();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function erase() {
    try {
      await ok(api.DELETE("/api/customers/{customerId}", { params: { path: { customerId } } }));
      onErased();
    } catch (failure) {
      setError(failure);
    }
  }
  return (
    <div class="stack">
      {!asking && (
        <button type="button" class="danger" onClick={() => setAsking(true)}>
          {t("eraseCustomer")}
        </button>
      )}
      {asking && (
        <div role="alertdialog" aria-labelledby="erase-question" class="card confirm">
          <p id="erase-question">{t("eraseConfirm")}</p>
          <div class="actions">
            <button type="button" class="danger" onClick={() => void erase()}>
              {t("confirmErase")}
            </button>
            <button type="button" class="ghost" onClick={() => setAsking(false)}>
              {t("cancel")}
            </button>
          </div>
        </div>
      )}
      {error !== null && <Notice kind="error">{refusal(error)}</Notice>}
    </div>
  );
}

/** A member of an offer: where their card stands, its history, "Void stamp" and "Erase customer". */
export function MemberPage({ offerId, customerId }: { offerId: string; customerId: string }) {
  const { t, lang, refusal } = useI18n();
  const view = useLoad(() => loadMember(offerId, customerId), [offerId, customerId]);
  const [erased, setErased] = useState(false);
  const back = `/offers/${encodeURIComponent(offerId)}/customers`;
  const data = view.data;
  const tier = data?.pass.tier.currentTier;
  // The table stream writes a change's event a moment after the change (issue 15): while the newest event does
  // not describe the pass as it stands, read again, a bounded number of times.
  const behind = data !== null && historyBehind(data.pass, data.history);
  const retries = useRef(0);
  useEffect(() => {
    if (!behind) {
      retries.current = 0;
      return;
    }
    if (retries.current >= HISTORY_RETRIES) return;
    retries.current += 1;
    const timer = setTimeout(view.reload, HISTORY_RETRY_MS);
    return () => clearTimeout(timer);
  }, [data]);
  const updating = behind && retries.current < HISTORY_RETRIES;
  return (
    <div class="stack">
      <Link href={back}><span aria-hidden="true">{t("backArrow")}</span> {t("tabCustomers")}</Link>
      {erased && <Notice kind="ok">{t("erased")}</Notice>}
      {view.error !== null && !erased && <Notice kind="error">{refusal(view.error)}</Notice>}
      {data && !erased && (
        <>
          <div class="title-row">
            <h1>{data.member?.name ?? customerId}</h1>
            <StatusBadge status={data.pass.status} />
          </div>
          <dl class="facts card">
            <div>
              <dt>{t("progress")}</dt>
              <dd>{t("stampOf", { current: data.pass.progress.currentStamps, max: data.pass.progress.maxStamps })}</dd>
            </div>
            <div>
              <dt>{t("tier")}</dt>
              <dd>{tier ? `${tier.icon} ${localName(lang, tier.name, tier.nameAr)}` : t("noTier")}</dd>
            </div>
            <div>
              <dt>{t("completed")}</dt>
              <dd>{num(lang, data.pass.progress.rewardsClaimed)}</dd>
            </div>
            <div>
              <dt>{t("email")}</dt>
              <dd dir="ltr">{data.member?.email ?? ""}</dd>
            </div>
            <div>
              <dt>{t("lastVisit")}</dt>
              <dd>{dateTime(lang, data.pass.lastActivityAt) ?? t("never")}</dd>
            </div>
            <div>
              <dt>{t("memberSince")}</dt>
              <dd>{dateTime(lang, data.pass.memberSince)}</dd>
            </div>
            <div>
              <dt>{t("offersAndNews")}</dt>
              <dd>
                {data.member?.marketingConsent
                  ? t("consentYes", { at: dateTime(lang, data.member.marketingConsentAt) ?? "" })
                  : t("consentNo")}
              </dd>
            </div>
          </dl>
          <div class="actions">
            <VoidStamp pass={{ customerId, offerId }} onVoided={view.reload} />
          </div>
          {data.member && <WalletDelivery wallet={data.member.wallet} />}
          <History
            events={data.history}
            updating={updating}
            onRefresh={() => {
              retries.current = 0;
              view.reload();
            }}
          />
          <Credentials customerId={customerId} offerId={offerId} />
          <EraseCustomer customerId={customerId} onErased={() => setErased(true)} />
        </>
      )}
      {view.loading && !data && <p>{t("loading")}</p>}
    </div>
  );
}
