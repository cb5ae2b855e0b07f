/**
 * Pricing a ~10 KB transcript against price lists of 10 and of 1,000 services (three keywords
 * each). Target: the 1,000-service list costs less than 2× the 10-service one, since matching must
 * be linear in the transcript whatever the number of services. `modern-ahocorasick` (character-level,
 * leftmost-longest, Unicode word boundaries) runs beside it as the library to beat.
 */

import { compilePriceList, normaliseKeyword, type Service } from "@voxanne/core";
import AhoCorasick from "modern-ahocorasick";
import { Bench, type Task } from "tinybench";
import type { BenchOptions } from "./run.ts";

const TARGET_RATIO = 2;
const OURS = "voxanne word trie";
const AC_UNICODE = "modern-ahocorasick, unicode words";
const AC_NONE = "modern-ahocorasick + word check";
const TRANSCRIPT_CHARS = 10_000;

/** mulberry32: a small seeded PRNG, so every run prices the same text against the same lists. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
};

// Keyword words are made of these syllables; no English word of the transcript below is one.
const SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "qua", "dri", "fen", "gol", "pex", "yu"];

/** `count` services with three distinct keywords each: one word, two words, three words. */
function priceList(count: number, random: () => number): Service[] {
  const used = new Set<string>();
  const word = (): string => {
    for (;;) {
      const w = Array.from({ length: 3 + Math.floor(random() * 2) }, () => pick(random, SYLLABLES)).join("");
      if (!used.has(w)) {
        used.add(w);
        return w;
      }
    }
  };
  const at = new Date(0);
  return Array.from({ length: count }, (_, i) => ({
    id: `svc-${String(i).padStart(4, "0")}`,
    orgId: "org-bench",
    name: `Treatment ${i}`,
    priceCents: 10_000 + Math.floor(random() * 1_000_000),
    keywords: [word(), `${word()} ${word()}`, `${word()} ${word()} ${word()}`],
    createdAt: at,
    updatedAt: at,
  }));
}

const LINES = [
  "AI: Thank you for calling Bright Aesthetics, this is Ava. How can I help you today?",
  "User: Hi, I was hoping to ask a few questions before I decide anything.",
  "AI: Of course, take your time. What would you like to know?",
  "User: How long does the recovery usually take, and will I need someone to drive me home?",
  "AI: Most patients are back to normal activities within a week, and yes, please arrange a ride.",
  "User: Okay. My sister had something similar done last year and she was really happy with it.",
  "AI: That is lovely to hear. We can also send you before and after photos by text.",
  "User: Do you offer payment plans? I would rather spread the cost over a few months.",
  "AI: We do, with zero interest over six or twelve months for approved applicants.",
  "User: Great. Is Dr. Patel available on Thursday afternoons, or only in the mornings?",
  "AI: Dr. Patel sees patients on Thursday from one until six in the evening.",
  "User: I'm a bit nervous, to be honest, it's my first time doing anything like this.",
  "AI: That is completely normal. The consultation is there to answer every question you have.",
  "User: Could you tell me what the price includes? Follow-up visits, aftercare, that kind of thing?",
  "AI: The quoted price includes two follow-up visits and the aftercare kit.",
];

/** A realistic transcript of about `chars` characters that mentions `mentions` now and then. */
function transcript(chars: number, mentions: readonly string[], random: () => number): string {
  const lines: string[] = [];
  let length = 0;
  while (length < chars) {
    const line =
      lines.length % 8 === 1
        ? `User: I read about ${pick(random, mentions)} on your website, is that something you do?`
        : pick(random, LINES);
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join("\n");
}

interface Subject {
  name: string;
  services: number;
  price: (text: string) => number;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * The same job done with modern-ahocorasick on the lower-cased text, leftmost-longest, either with
 * its own Unicode word boundaries or with none and a word check of ours on each hit (its fastest
 * mode). Neither folds "face-lift" into "face lift"; the bench text does not need it.
 */
function ahoCorasick(services: readonly Service[], boundary: "unicode" | "none"): (text: string) => number {
  const patterns = services.flatMap((s) =>
    s.keywords.flatMap((k) => {
      const pattern = normaliseKeyword(k);
      return pattern === undefined ? [] : [{ pattern, data: s.priceCents }];
    }),
  );
  const matcher = new AhoCorasick(patterns, { boundary });
  return (text) => {
    const lower = text.toLowerCase();
    let best = 0;
    for (const hit of matcher.search(lower, { strategy: "leftmost-longest" })) {
      const wholeWord =
        boundary === "unicode" ||
        !(WORD_CHAR.test(lower.charAt(hit.start - 1)) || WORD_CHAR.test(lower.charAt(hit.end)));
      if (wholeWord) best = Math.max(best, hit.data ?? 0);
    }
    return best;
  };
}

function verdictOf(ratio: number, ours: boolean, smoke: boolean): string {
  if (smoke) return "not judged (smoke)";
  if (!ours) return "for reference";
  return ratio < TARGET_RATIO ? "PASS" : "FAIL";
}

const meanMs = (task: Task | undefined): number => {
  const result = task?.result;
  if (result === undefined || !("latency" in result)) throw new Error(`${task?.name ?? "a task"} did not complete`);
  return result.latency.mean;
};

export async function run(opts: BenchOptions): Promise<void> {
  const random = prng(0x5eed);
  const large = priceList(1_000, random);
  const small = large.slice(0, 10);
  // Mentions come from the services both lists share, so both find the same matches.
  const mentions = small.slice(0, 4).flatMap((s) => s.keywords);
  const text = transcript(opts.smoke ? 1_000 : TRANSCRIPT_CHARS, mentions, random);

  // Compiled once, outside the timed loop, as PriceMatcherCache does per org.
  const subjects: Subject[] = [];
  for (const services of [small, large]) {
    const matcher = compilePriceList(services);
    subjects.push({ name: OURS, services: services.length, price: (t) => matcher.price(t).priceCents });
    subjects.push({ name: AC_UNICODE, services: services.length, price: ahoCorasick(services, "unicode") });
    subjects.push({ name: AC_NONE, services: services.length, price: ahoCorasick(services, "none") });
  }
  const expected = subjects[0]?.price(text);
  for (const s of subjects) {
    if (s.price(text) !== expected) throw new Error(`${s.name} (${s.services}) disagrees on the price`);
  }

  const bench = new Bench(
    opts.smoke ? { time: 5, iterations: 3, warmupTime: 1, warmupIterations: 1 } : { time: 1_500, warmupTime: 300 },
  );
  for (const s of subjects) bench.add(`${s.name}, ${s.services} services`, () => void s.price(text));
  await bench.run();

  console.log(`transcript ${text.length} chars; the 1,000-service list holds the 10-service one`);
  console.table(
    bench.tasks.map((task) => ({
      task: task.name,
      "ops/s": Math.round(1_000 / meanMs(task)),
      "mean µs": Number((meanMs(task) * 1_000).toFixed(1)),
      "±%": task.result && "latency" in task.result ? Number(task.result.latency.rme.toFixed(1)) : NaN,
    })),
  );
  const mean = (name: string, services: number) => meanMs(bench.getTask(`${name}, ${services} services`));
  for (const name of [OURS, AC_UNICODE, AC_NONE]) {
    const ratio = mean(name, 1000) / mean(name, 10);
    const verdict = verdictOf(ratio, name === OURS, opts.smoke);
    console.log(`${name}: cost(1000) / cost(10) = ${ratio.toFixed(2)}× (target < ${TARGET_RATIO}×) ${verdict}`);
    if (verdict === "FAIL") process.exitCode = 1;
  }
  for (const name of [AC_UNICODE, AC_NONE]) {
    const speedup = mean(name, 1000) / mean(OURS, 1000);
    console.log(`${OURS} vs ${name} at 1,000 services: ${speedup.toFixed(1)}× ${speedup >= 1 ? "faster" : "slower"}`);
  }
}
