import { useState } from "preact/hooks";
import { api, ok } from "../../api/client";
import { currentSession } from "../../auth/session";
import type { Offer, PassState } from "../../api/contract";
import { dateTime } from "../../lib/format";
import { localName, useI18n } from "../../lib/i18n";
import { useLoad } from "../../lib/useLoad";
import { Field, Notice, Select } from "../../ui/Field";
import { DataTable } from "../../ui/DataTable";
import { Link } from "../../ui/Link";
import { StatusBadge } from "../../ui/StatusBadge";
import { MembersExport } from "./MembersExport";

type SortBy = "joined" | "lastActivity";
type Segment = "" | "EXPIRING_SOON" | "REWARD_READY" | "AT_RISK";

interface Query {
  q: string;
  status: "" | PassState;
  tier: string;
  sort: SortBy;
  segment: Segment;
  cursor: string | null;
}

/**
 * The offer's members: "Search" (the start of a name or an email, or a short code), "Sort by", "Segment", status
 * and tier filters, "Next page".
 */
export function CustomersTab({ offer }: { offer: Offer }) {
  const { t, lang, refusal } = useI18n();
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState<Query>({
    q: "",
    status: "",
    tier: "",
    sort: "joined",
    segment: "",
    cursor: null,
  });
  const [earlier, setEarlier] = useState<(string | null)[]>([]);
  const members = useLoad(
    () =>
      ok(
        api.GET("/api/offers/{offerId}/customers", {
          params: {
            path: { offerId: offer.offerId },
            query: {
              limit: 20,
              ...(query.q && { q: query.q }),
              ...(query.status && { status: query.status }),
              ...(query.tier && { tier: query.tier }),
              ...(query.sort !== "joined" && { sort: query.sort }),
              ...(query.segment && { segment: query.segment }),
              ...(query.cursor && { cursor: query.cursor }),
            },
          },
        }),
      ),
    [offer.offerId, query],
  );
  const refine = (change: Partial<Query>) => {
    setEarlier([]);
    setQuery({ ...query, ...change, cursor: null });
  };
  const base = `/offers/${encodeURIComponent(offer.offerId)}/customers`;

  return (
    <div class="stack">
      <h2>{t("tabCustomers")}</h2>
      {currentSession()?.role === "owner" && <MembersExport offer={offer} />}
      <form
        class="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          refine({ q: search.trim() });
        }}
      >
        <Field label={t("search")} hint={t("searchHint")} type="search" value={search} onInput={setSearch} dir="auto" />
        <button type="submit">{t("search")}</button>
        <Select
          label={t("sortBy")}
          value={query.sort}
          onChange={(value) => refine({ sort: value === "lastActivity" ? "lastActivity" : "joined" })}
          options={[
            { value: "joined", label: t("sortJoined") },
            { value: "lastActivity", label: t("sortLastVisit") },
          ]}
        />
        <Select
          label={t("segment")}
          value={query.segment}
          onChange={(value) => refine({ segment: value === "EXPIRING_SOON" || value === "REWARD_READY" || value === "AT_RISK" ? value : "" })}
          options={[
            { value: "", label: t("all") },
            { value: "EXPIRING_SOON", label: t("segmentEXPIRING_SOON") },
            { value: "REWARD_READY", label: t("segmentREWARD_READY") },
            { value: "AT_RISK", label: t("segmentAT_RISK") },
          ]}
        />
        <Select
          label={t("filterStatus")}
          value={query.status}
          onChange={(value) => refine({ status: value === "ACTIVE" || value === "EXPIRED" ? value : "" })}
          options={[
            { value: "", label: t("all") },
            { value: "ACTIVE", label: t("statusACTIVE") },
            { value: "EXPIRED", label: t("statusEXPIRED") },
          ]}
        />
        <Select
          label={t("filterTier")}
          value={query.tier}
          onChange={(value) => refine({ tier: value })}
          options={[
            { value: "", label: t("all") },
            ...offer.effectiveTiers.map((tier) => ({ value: tier.id, label: `${tier.icon} ${localName(lang, tier.name, tier.nameAr)}` })),
            { value: "none", label: t("noTier") },
          ]}
        />
      </form>
      {members.error !== null && <Notice kind="error">{refusal(members.error)}</Notice>}
      {members.loading && <p>{t("loading")}</p>}
      {members.data && members.data.items.length === 0 && <p>{t("noMembers")}</p>}
      {members.data && members.data.items.length > 0 && (
        <DataTable
          label={t("tabCustomers")}
          columns={[t("name"), t("email"), t("filterStatus"), t("progress"), t("tier"), t("lastVisit")]}
          rows={members.data.items.map((member) => ({
            key: member.customerId,
            cells: [
              <Link href={`${base}/${encodeURIComponent(member.customerId)}`}>{member.name || member.customerId}</Link>,
              <bdi dir="ltr">{member.email}</bdi>,
              <StatusBadge status={member.status} />,
              t("stampOf", { current: member.progress.currentStamps, max: member.progress.maxStamps }),
              member.tier.currentTier
                ? `${member.tier.currentTier.icon} ${localName(lang, member.tier.currentTier.name, member.tier.currentTier.nameAr)}`
                : t("noTier"),
              dateTime(lang, member.lastActivityAt) ?? t("never"),
            ],
          }))}
        />
      )}
      <div class="actions">
        {earlier.length > 0 && (
          <button
            type="button"
            class="ghost"
            onClick={() => {
              setQuery({ ...query, cursor: earlier[earlier.length - 1] ?? null });
              setEarlier(earlier.slice(0, -1));
            }}
          >
            {t("previousPage")}
          </button>
        )}
        {members.data?.nextCursor && (
          <button
            type="button"
            onClick={() => {
              setEarlier([...earlier, query.cursor]);
              setQuery({ ...query, cursor: members.data?.nextCursor ?? null });
            }}
          >
            {t("nextPage")}
          </button>
        )}
      </div>
    </div>
  );
}
