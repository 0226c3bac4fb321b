import { useI18n } from "../lib/i18n";

export function StatusBadge({ status }: { status: "ACTIVE" | "ARCHIVED" | "EXPIRED" }) {
  const { t } = useI18n();
  return <span class={`badge badge-${status.toLowerCase()}`}>{t(`status${status}`)}</span>;
}
