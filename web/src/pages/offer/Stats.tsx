import { useState } from "preact/hooks";
import { api, ok } from "../../api/client";
import type { Offer, Stats } from "../../api/contract";
import { dailyChart } from "../../lib/chart";
import { downloadCsv } from "../../lib/csv";
import { day, isoDay, num } from "../../lib/format";
import { localName, useI18n } from "../../lib/i18n";
import { useLoad } from "../../lib/useLoad";
import { DataTable } from "../../ui/DataTable";
import { Field, Notice } from "../../ui/Field";
import { StatsDelivery } from "../../ui/StatsDelivery";

const W = 640;
const H = 220;
const PAD = 28;
const TOP = 10;

function Chart({ stats }: { stats: Stats }) {
  const { t, lang } = useI18n();
  const plotHeight = H - PAD - TOP;
  const chart = dailyChart(stats.daily, W - PAD, plotHeight);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-title">
        <title id="chart-title">{t("stampsPerDay")}</title>
        <g transform={`translate(${PAD},${TOP})`}>
          {chart.ticks.map((tick) => {
            const y = plotHeight * (1 - tick / chart.top);
            return (
              <g key={tick}>
                <line x1={0} x2={W - PAD} y1={y} y2={y} class="grid-line" />
                <text x={-6} y={y + 4} text-anchor="end" class="axis">
                  {num(lang, tick)}
                </text>
              </g>
            );
          })}
          {chart.stamps.map((bar, index) => (
            <rect key={`s${index}`} x={bar.x} y={bar.y} width={bar.width} height={bar.height} class="bar-stamps" />
          ))}
          {chart.prizes.map((bar, index) => (
            <rect key={`p${index}`} x={bar.x} y={bar.y} width={bar.width} height={bar.height} class="bar-prizes" />
          ))}
          {stats.daily.length > 0 && (
            <>
              <text x={0} y={plotHeight + 16} class="axis">
                {day(lang, stats.daily[0]!.date)}
              </text>
              <text x={W - PAD - 4} y={plotHeight + 16} text-anchor="end" class="axis">
                {day(lang, stats.daily[stats.daily.length - 1]!.date)}
              </text>
            </>
          )}
        </g>
      </svg>
      <figcaption class="legend">
        <span class="swatch bar-stamps" aria-hidden="true" /> {t("stamps")}
        <span class="swatch bar-prizes" aria-hidden="true" /> {t("prizes")}
      </figcaption>
    </figure>
  );
}

function Table({ caption, head, rows }: { caption: string; head: string[]; rows: (string | number)[][] }) {
  return <DataTable caption={caption} columns={head} rowHeaders rows={rows.map((cells, index) => ({ key: String(index), cells }))} />;
}

/** What happened over a date range (a chart of stamps and prizes per day, its numbers as a table) and where
 * members stand now (by tier, by branch). */
export function StatsTab({ offer }: { offer: Offer }) {
  const { t, lang, refusal } = useI18n();
  const today = new Date();
  const [from, setFrom] = useState(isoDay(today, -13));
  const [to, setTo] = useState(isoDay(today));
  const [range, setRange] = useState({ from, to });
  const stats = useLoad(
    () => ok(api.GET("/api/offers/{offerId}/stats", { params: { path: { offerId: offer.offerId }, query: range } })),
    [offer.offerId, range],
  );
  const data = stats.data;
  return (
    <div class="stack">
      <h2>{t("tabStats")}</h2>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setRange({ from, to });
        }}
      >
        <Field label={t("from")} type="date" value={from} onInput={setFrom} />
        <Field label={t("to")} type="date" value={to} onInput={setTo} />
        <button type="submit">{t("show")}</button>
      </form>
      {stats.error !== null && <Notice kind="error">{refusal(stats.error)}</Notice>}
      {data && (
        <>
          <dl class="facts card totals">
            {(
              [
                ["activeMembers", data.members.active],
                ["expiredMembers", data.members.expired],
                ["rewardReadyMembers", data.members.rewardReady],
                ["enrollments", data.totals.enrollments],
                ["stamps", data.totals.stamps],
                ["voids", data.totals.voids],
                ["prizes", data.totals.prizes],
                ["tierUpgrades", data.totals.tierUpgrades],
                ["expiredInRange", data.totals.expired],
                ["reactivatedInRange", data.totals.reactivated],
              ] as const
            ).map(([label, value]) => (
              <div key={label}>
                <dt>{t(label)}</dt>
                <dd>{num(lang, value)}</dd>
              </div>
            ))}
          </dl>
          <StatsDelivery stats={data} />
          <Chart stats={data} />
          <div class="actions">
            <button
              type="button"
              class="ghost"
              onClick={() =>
                downloadCsv(`${offer.name}-${range.from}-${range.to}.csv`, [
                  [t("day"), t("stamps"), t("prizes"), t("voids"), t("enrollments")],
                  ...data.daily.map((d) => [d.date, d.stamps, d.prizes, d.voids, d.enrollments]),
                ])
              }
            >
              {t("downloadCsv")}
            </button>
          </div>
          <Table
            caption={t("stampsPerDay")}
            head={[t("day"), t("stamps"), t("prizes"), t("voids"), t("enrollments")]}
            rows={data.daily.map((d) => [day(lang, d.date), num(lang, d.stamps), num(lang, d.prizes), num(lang, d.voids), num(lang, d.enrollments)])}
          />
          <Table
            caption={t("membersByTier")}
            head={[t("tier"), t("count")]}
            rows={[
              ...data.members.byTier.map((tier) => [`${tier.icon} ${localName(lang, tier.name, tier.nameAr)}`, num(lang, tier.count)]),
              [t("noTier"), num(lang, data.members.noTier)],
            ]}
          />
          <Table
            caption={t("byBranch")}
            head={[t("branch"), t("stamps"), t("prizes"), t("voids")]}
            rows={data.byBranch.map((branch) => [branch.branchName ?? branch.branchId, num(lang, branch.stamps), num(lang, branch.prizes), num(lang, branch.voids)])}
          />
        </>
      )}
    </div>
  );
}
