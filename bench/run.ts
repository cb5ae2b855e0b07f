/**
 * Runs the benchmarks: every `bench/*.bench.ts` module, in name order, or only those whose file
 * name contains one of the arguments. `pnpm bench [--smoke] [name…]`; `--smoke` runs each bench
 * tiny, to check that it works, not to measure.
 *
 * A bench module exports `run(opts: BenchOptions): Promise<void>`, prints its own table, and sets
 * `process.exitCode = 1` when it misses its target.
 */
import { readdir } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface BenchOptions {
  smoke: boolean;
}

export interface BenchModule {
  run(opts: BenchOptions): Promise<void>;
}

const isBenchModule = (m: unknown): m is BenchModule =>
  typeof m === "object" && m !== null && typeof (m as Partial<BenchModule>).run === "function";

async function main(args: readonly string[]): Promise<void> {
  const opts: BenchOptions = { smoke: args.includes("--smoke") };
  const filters = args.filter((a) => !a.startsWith("--"));
  const dir = fileURLToPath(new URL(".", import.meta.url));
  const files = (await readdir(dir))
    .filter((f) => f.endsWith(".bench.ts") && (filters.length === 0 || filters.some((name) => f.includes(name))))
    .sort();
  if (files.length === 0) throw new Error(`no bench module in ${dir} matches ${filters.join(", ")}`);

  console.log(
    `node ${process.version}, ${availableParallelism()} cores${opts.smoke ? ", smoke run (figures mean nothing)" : ""}`,
  );
  for (const file of files) {
    console.log(`\n## ${file}`);
    const module: unknown = await import(pathToFileURL(`${dir}${file}`).href);
    if (!isBenchModule(module)) throw new Error(`${file} does not export run(opts)`);
    await module.run(opts);
  }
}

await main(process.argv.slice(2));
