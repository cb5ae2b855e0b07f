/**
 * Layer rules for the hexagon (DESIGN.md "Shape"), checked in CI by `pnpm lint`:
 *   - packages/core/src imports only its own files and a short allow-list of pure libraries;
 *   - no import cycle anywhere;
 *   - adapter packages never import each other (only a composition root wires them);
 *   - every import resolves.
 *
 * Paths are matched after resolution: npm packages as `…/node_modules/<name>/…` (pnpm's real path
 * under node_modules/.pnpm, or the symlink), workspace packages as `packages/<name>/…`, Node
 * built-ins as `fs` / `node:fs` with dependency type "core". An import that does not resolve keeps
 * its bare name, hence the `^<name>` alternatives.
 */

/** `(^|/)node_modules/(name|name)/` or the bare (unresolved) name: one regex for a list of npm packages. */
const npm = (...names) => {
  const alt = names.map((n) => n.replace(/[.+]/g, "\\$&").replace(/\*/g, "[^/]*")).join("|");
  return `(^|/)node_modules/(${alt})(/|$)|^(${alt})(/|$)`;
};

const CORE = "^packages/core/src/";
const ADAPTERS = ["^packages/adapter-[^/]+/", npm("@voxanne/adapter-*")];

/** Pure libraries core may use everywhere (and their type packages). */
const CORE_LIBS = npm("valibot", "libphonenumber-js", "sentiment", "@types/sentiment");
/** The DI container: only the `@voxanne/core/container` subpath (and its test) may load it. */
const DI_LIBS = npm("tsyringe", "reflect-metadata");
const DI_HOME = "^packages/core/src/container(\\.test)?\\.ts$";
/** Test libraries: only tests and the published `@voxanne/core/testing` kit. */
const TEST_LIBS = npm("vitest", "@vitest/*", "fast-check");
const TEST_HOME = ["\\.test\\.ts$", "^packages/core/src/testing/"];

/** Frameworks, drivers, vendor SDKs, HTTP clients, loggers: named so the error says what went wrong. */
const IO_LIBS = npm(
  "hono",
  "@hono/*",
  "drizzle-orm",
  "drizzle-kit",
  "postgres",
  "pg",
  "@electric-sql/*",
  "twilio",
  "ws",
  "pino",
  "pino-*",
  "hono-*",
  "undici",
  "axios",
  "node-fetch",
  "got",
  "ky",
  "express",
  "fastify",
  "ioredis",
  "redis",
  "jose",
  "dotenv",
);
/** Node built-ins, with or without the `node:` prefix (fs, net, http, https, dgram, child_process…). */
const BUILTIN = { dependencyTypes: ["core"] };

module.exports = {
  forbidden: [
    // (a) core stays pure
    {
      name: "core-not-to-adapters",
      comment: "Core defines the ports; adapters depend on core, never the other way round.",
      severity: "error",
      from: { path: CORE },
      to: { path: ADAPTERS },
    },
    {
      name: "core-not-to-node-builtins",
      comment: "Core does no I/O: no node:fs, net, http, child_process… (take a port instead).",
      severity: "error",
      from: { path: CORE },
      to: BUILTIN,
    },
    {
      name: "core-not-to-io-libraries",
      comment: "Core imports no framework, driver, vendor SDK, HTTP client or logger; an adapter does.",
      severity: "error",
      from: { path: CORE },
      to: { path: IO_LIBS },
    },
    {
      name: "core-only-allowed-packages",
      comment:
        "Core may import its own files, valibot, libphonenumber-js and sentiment; tsyringe/reflect-metadata " +
        "from container.ts; vitest/fast-check from tests and testing/. Anything else needs a decision first.",
      severity: "error",
      from: { path: CORE },
      to: {
        dependencyTypesNot: ["core"],
        pathNot: [CORE, CORE_LIBS, DI_LIBS, TEST_LIBS, IO_LIBS, ...ADAPTERS],
      },
    },
    {
      name: "core-di-only-in-container",
      comment: "Plain `@voxanne/core` must pull in neither tsyringe nor reflect-metadata (DESIGN.md).",
      severity: "error",
      from: { path: CORE, pathNot: DI_HOME },
      to: { path: DI_LIBS },
    },
    {
      name: "core-test-libs-only-in-tests",
      comment: "vitest and fast-check belong to *.test.ts files and the `@voxanne/core/testing` kit.",
      severity: "error",
      from: { path: CORE, pathNot: TEST_HOME },
      to: { path: TEST_LIBS },
    },
    // (b) no cycles, type-only imports included: a cycle of types is still a layering knot
    {
      name: "no-circular",
      comment: "Import cycles make load order matter and blur the layers; extract the shared part.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    // (c) adapters are independent; only a composition root (adapter-http's server, examples) wires them
    {
      name: "adapters-not-to-other-adapters",
      comment:
        "An adapter may import core, never another adapter. The one composition root (adapter-http's src/server/) wires them.",
      severity: "error",
      from: { path: "^packages/(adapter-[^/]+)/", pathNot: "^packages/adapter-http/src/server/" },
      to: { path: ADAPTERS, pathNot: "^packages/$1/" },
    },
    // (d) every import resolves
    {
      name: "not-to-unresolvable",
      comment: "The import does not resolve: a typo, a missing dependency in that package.json, or a wrong extension.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Record imports of npm packages (so the rules above see them) without crawling into them.
    doNotFollow: { path: "(^|/)node_modules/" },
    exclude: { path: ["(^|/)\\.voxanne/", "(^|/)coverage/", "(^|/)drizzle/", "^bench/out/"] },
    // Keep type-only imports: they couple layers as much as value imports do.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["types", "import", "require", "node", "default"],
      mainFields: ["types", "typings", "module", "main"],
      extensions: [".ts", ".d.ts", ".js", ".mjs", ".cjs", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
