/**
 * Summarises a V8 CPU profile (`node --cpu-prof`) by where the time went: self time per package
 * (drizzle-orm, postgres, PGlite…), per core folder and adapter file, and the hottest functions.
 *
 *   node --cpu-prof --cpu-prof-dir=bench/out/prof --import tsx bench/run.ts pg-write
 *   pnpm tsx bench/postgres/profile.ts bench/out/prof/<file>.cpuprofile
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A bucket for a script URL: the npm package, the core folder or the adapter file, else the runtime. */
function bucketOf(url: string, functionName: string): string {
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  const core = /packages\/core\/src\/(?:usecases\/)?([^/]+)/.exec(url);
  if (core) return `core: ${core[1]}`;
  const adapter = /packages\/adapter-postgres\/src\/(.+)\.ts/.exec(url);
  if (adapter) return `adapter: ${adapter[1]}`;
  if (url.includes("/bench/")) return "bench harness";
  if (url.startsWith("node:")) return "node runtime (JS)";
  return functionName.startsWith("(") ? functionName : "native / V8 builtins";
}

export function summarizeProfile(file: string, top = 20): void {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));

  const buckets = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const [id, micros] of self) {
    const { callFrame } = byId.get(id) as ProfileNode;
    if (callFrame.functionName === "(idle)") continue;
    busy += micros;
    const bucket = bucketOf(callFrame.url, callFrame.functionName);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + micros);
    const where = callFrame.url
      ? `${callFrame.url.replace(/^.*\/(node_modules|packages)\//, "")}:${callFrame.lineNumber + 1}`
      : "";
    const name = `${callFrame.functionName || "(anonymous)"} ${where}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + micros);
  }
  const total = profile.timeDeltas.reduce((s, d) => s + d, 0);
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (not idle)`);
  const table = (m: Map<string, number>, label: string) =>
    console.table(
      [...m.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([name, micros]) => ({
          [label]: name,
          "self s": Number((micros / 1e6).toFixed(2)),
          "% busy": Number(((100 * micros) / busy).toFixed(1)),
        })),
    );
  table(buckets, "where");
  table(functions, "function");
}

const file = process.argv[2];
if (file && import.meta.url === `file://${process.argv[1]}`) summarizeProfile(file);
