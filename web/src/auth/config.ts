/** How this deployment signs people in, read from /config.json (served by the local stack, or written to the
 * web bucket by `make deploy-web` from the stack's outputs). */
export type AppConfig =
  | { auth: "local"; demoBusinessId: string; demoBranchId: string }
  | { auth: "cognito"; domain: string; clientId: string };

let loaded: Promise<AppConfig> | undefined;

export function appConfig(): Promise<AppConfig> {
  loaded ??= fetch("/config.json", { cache: "no-store" }).then((answer) => {
    if (!answer.ok) throw new Error(`config.json: HTTP ${answer.status}`);
    return answer.json() as Promise<AppConfig>;
  });
  return loaded;
}
