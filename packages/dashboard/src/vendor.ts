/**
 * The browser libraries the page imports, as files of the installed npm packages: served as they
 * ship (no bundler), under `/dashboard/vendor/<name>`, and named in the page's import map.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** A file beside a package's resolved entry (for packages whose `exports` do not list the ES module). */
const beside = (specifier: string, file: string) => join(dirname(require.resolve(specifier)), file);

/** URL name → file on disk. Resolved once at start, so a missing package fails at boot, not in a browser. */
export const VENDOR_FILES: Readonly<Record<string, string>> = {
  "preact.mjs": require.resolve("preact"),
  "preact-hooks.mjs": require.resolve("preact/hooks"),
  "htm.mjs": beside("htm", "htm.mjs"),
  "uplot.mjs": beside("uplot", "uPlot.esm.js"),
  "uplot.css": beside("uplot", "uPlot.min.css"),
};

for (const [name, file] of Object.entries(VENDOR_FILES)) {
  if (!existsSync(file)) throw new Error(`@voxanne/dashboard: vendor file for ${name} is missing (${file})`);
}
