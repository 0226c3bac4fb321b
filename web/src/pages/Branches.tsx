import { useState } from "preact/hooks";
import { api, ok } from "../api/client";
import { ApiError, fieldErrors } from "../api/errors";
import { localName, useI18n } from "../lib/i18n";
import { useLoad } from "../lib/useLoad";
import { Field, Notice } from "../ui/Field";

const EMPTY = { name: "", nameAr: "", address: "" };

/** The business's branches: "Add branch", "Rename", "Archive branch". */
export function Branches() {
  const { t, lang, refusal } = useI18n();
  const branches = useLoad(() => ok(api.GET("/api/branches")), []);
  const [form, setForm] = useState(EMPTY);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const errors = error instanceof ApiError ? fieldErrors(error.details) : new Map<string, string[]>();

  async function act(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
      branches.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  const add = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      const body = {
        name: form.name.trim(),
        ...(form.nameAr.trim() ? { nameAr: form.nameAr.trim() } : {}),
        ...(form.address.trim() ? { address: form.address.trim() } : {}),
      };
      await ok(api.POST("/api/branches", { body }));
      setForm(EMPTY);
    });
  };
  const patch = (branchId: string, body: { name?: string; status?: "ARCHIVED" | "ACTIVE" }) =>
    act(() => ok(api.PATCH("/api/branches/{branchId}", { params: { path: { branchId } }, body })));

  return (
    <div class="stack">
      <h1>{t("branches")}</h1>
      {branches.error !== null && <Notice kind="error">{refusal(branches.error)}</Notice>}
      {branches.data && branches.data.items.length === 0 && <p>{t("noBranches")}</p>}
      <ul class="offer-list" aria-label={t("branches")}>
        {(branches.data?.items ?? []).map((branch) => (
          <li key={branch.branchId} class="card offer-row">
            <div>
              <h2 class="offer-name" id={`branch-${branch.branchId}`}>{localName(lang, branch.name, branch.nameAr)}</h2>
              <p class="hint">{branch.address ?? ""} {branch.status === "ARCHIVED" ? `· ${t("statusARCHIVED")}` : ""}</p>
            </div>
            {renaming?.id === branch.branchId ? (
              <form
                class="row"
                onSubmit={(event) => {
                  event.preventDefault();
                  void patch(branch.branchId, { name: renaming.name.trim() }).then(() => setRenaming(null));
                }}
              >
                <Field label={t("branchNameEn")} value={renaming.name} onInput={(name) => setRenaming({ id: branch.branchId, name })} required dir="ltr" />
                <button type="submit">{t("save")}</button>
              </form>
            ) : (
              <button type="button" class="ghost" aria-describedby={`branch-${branch.branchId}`} onClick={() => setRenaming({ id: branch.branchId, name: branch.name })}>
                {t("rename")}
              </button>
            )}
            {branch.status === "ACTIVE" && (
              <button type="button" class="ghost" aria-describedby={`branch-${branch.branchId}`} onClick={() => void patch(branch.branchId, { status: "ARCHIVED" })}>
                {t("archiveBranch")}
              </button>
            )}
          </li>
        ))}
      </ul>
      <form class="card stack" onSubmit={add} aria-labelledby="add-branch">
        <h2 id="add-branch">{t("addBranch")}</h2>
        <div class="grid2">
          <Field label={t("branchNameEn")} value={form.name} onInput={(name) => setForm({ ...form, name })} required dir="ltr" errors={errors.get("name")} />
          <Field label={t("branchNameAr")} value={form.nameAr} onInput={(nameAr) => setForm({ ...form, nameAr })} dir="rtl" errors={errors.get("nameAr")} />
          <Field label={t("address")} value={form.address} onInput={(address) => setForm({ ...form, address })} errors={errors.get("address")} />
        </div>
        {error !== null && <Notice kind="error">{refusal(error)}</Notice>}
        <button type="submit">{t("addBranch")}</button>
      </form>
    </div>
  );
}
