/** Where this deployment's people sign in, read from /config.json (served by the local stack, or written to the
 * web bucket by `make deploy-web` from the stack's outputs): Cognito's API (its regional endpoint deployed, the
 * local stack's front of moto's Cognito locally) and the user pool's app client. */
export interface AppConfig {
  auth: "cognito";
  region: string;
  clientId: string;
  endpoint: string;
}

let loaded: Promise<AppConfig> | undefined;

export function appConfig(): Promise<AppConfig> {
  loaded ??= fetch("/config.json", { cache: "no-store" }).then((answer) => {
    if (!answer.ok) throw new Error(`config.json: HTTP ${answer.status}`);
    return answer.json() as Promise<AppConfig>;
  });
  return loaded;
}
