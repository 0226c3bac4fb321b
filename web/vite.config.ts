import { defineConfig } from "vitest/config";

// Preact's automatic JSX runtime; tsconfig.json says the same to the type checker.
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "dist", sourcemap: false },
  server: { proxy: { "/api": "http://127.0.0.1:3000", "/wallet": "http://127.0.0.1:3000", "/_local": "http://127.0.0.1:3000", "/config.json": "http://127.0.0.1:3000" } },
  test: { environment: "node", include: ["test/**/*.test.ts"] },
});
