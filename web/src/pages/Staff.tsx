import { useState } from "preact/hooks";
import { api, ok } from "../api/client";
import { ApiError, fieldErrors } from "../api/errors";
import { localName, useI18n } from "../lib/i18n";
import { useLoad } from "../lib/useLoad";
import { Field, Notice, Select } from "../ui/Field";

type StaffRole = "owner" | "manager";

/** The business's people: "Invite" (a manager to a branch, or a co-owner), "Change branch", "Remove". */
export function Staff() {
  const { t, lang, refusal } = useI18n();
  const people = useLoad(() => ok(api.GET("/api/staff")), []);
  const branches = useLoad(() => ok(api.GET("/api/branches")), []);
  const active = (branches.data?.items ?? []).filter((b) => b.status === "ACTIVE");
  const names = new Map((branches.data?.items ?? []).map((b) => [b.branchId, localName(lang, b.name, b.nameAr)]));
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<StaffRole>("manager");
  const [branch, setBranch] = useState("");
  const [moving, setMoving] = useState<{ userId: string; branchId: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const errors = error instanceof ApiError ? fieldErrors(error.details) : new Map<string, string[]>();
  const chosenBranch = branch || active[0]?.branchId || "";

  async function act(action: () => Promise<unknown>, done: string | null = null) {
    setError(null);
    setNote(null);
    try {
      await action();
      setNote(done);
      people.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  const invite = (event: Event) => {
    event.preventDefault();
    const address = email.trim();
    void act(async () => {
      const body = role === "manager" ? { email: address, role, branchId: chosenBranch } : { email: address, role };
      await ok(api.POST("/api/staff", { body }));
      setEmail("");
    }, t("invitationSent", { email: address }));
  };
  const branchOptions = active.map((b) => ({ value: b.branchId, label: localName(lang, b.name, b.nameAr) }));

  return (
    <div class="stack">
      <h1>{t("staff")}</h1>
      {people.error !== null && <Notice kind="error">{refusal(people.error)}</Notice>}
      {note && <Notice kind="ok">{note}</Notice>}
      <table aria-label={t("staff")}>
        <thead>
          <tr>
            <th scope="col">{t("email")}</th>
            <th scope="col">{t("role")}</th>
            <th scope="col">{t("branch")}</th>
            <th scope="col">{t("status")}</th>
            <th scope="col">
              <span class="visually-hidden">{t("actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(people.data?.items ?? []).map((person) => (
            <tr key={person.userId}>
              <td dir="ltr">{person.email ?? t("formerStaff")}</td>
              <td>{t(person.role === "owner" ? "roleOwner" : "roleManager")}</td>
              <td>{person.branchId ? names.get(person.branchId) ?? person.branchId : "—"}</td>
              <td>{t(`person${person.status}`)}</td>
              <td class="row">
                {person.status !== "REMOVED" && person.role === "manager" && moving?.userId !== person.userId && (
                  <button type="button" class="ghost" onClick={() => setMoving({ userId: person.userId, branchId: person.branchId ?? "" })}>
                    {t("changeBranch")}
                  </button>
                )}
                {moving?.userId === person.userId && (
                  <>
                    <Select label={t("branch")} value={moving.branchId} options={branchOptions} onChange={(branchId) => setMoving({ ...moving, branchId })} />
                    <button
                      type="button"
                      onClick={() =>
                        void act(() => ok(api.PATCH("/api/staff/{userId}", { params: { path: { userId: person.userId } }, body: { branchId: moving.branchId } }))).then(() => setMoving(null))
                      }
                    >
                      {t("save")}
                    </button>
                  </>
                )}
                {person.status !== "REMOVED" && (
                  <button
                    type="button"
                    class="ghost danger"
                    onClick={() => {
                      if (window.confirm(t("confirmRemove", { email: person.email ?? "" }))) {
                        void act(() => ok(api.DELETE("/api/staff/{userId}", { params: { path: { userId: person.userId } } })));
                      }
                    }}
                  >
                    {t("remove")}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="card stack" onSubmit={invite} aria-labelledby="invite">
        <h2 id="invite">{t("invite")}</h2>
        <div class="grid2">
          <Field label={t("email")} type="email" value={email} onInput={setEmail} required dir="ltr" errors={errors.get("email")} />
          <Select
            label={t("role")}
            value={role}
            onChange={(value) => setRole(value === "owner" ? "owner" : "manager")}
            options={[
              { value: "manager", label: t("roleManager") },
              { value: "owner", label: t("roleOwner") },
            ]}
          />
          {role === "manager" && <Select label={t("branch")} value={chosenBranch} onChange={setBranch} options={branchOptions} />}
        </div>
        {error !== null && <Notice kind="error">{refusal(error)}</Notice>}
        <button type="submit">{t("invite")}</button>
      </form>
    </div>
  );
}
