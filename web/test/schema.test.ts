import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";

// The app's client is typed from functions/openapi/openapi.json: a contract change without `make client` fails here.
test("the generated client matches openapi.json", () => {
  const fresh = join(mkdtempSync(join(tmpdir(), "schema-")), "schema.d.ts");
  execFileSync("node_modules/.bin/openapi-typescript", ["../functions/openapi/openapi.json", "-o", fresh], { stdio: "pipe" });
  expect(readFileSync("src/api/schema.d.ts", "utf8"), "src/api/schema.d.ts is stale: run `make client`").toBe(
    readFileSync(fresh, "utf8"),
  );
}, 60_000);
