/** The contract every SentimentAnalyser passes: the guarantees of `ports/sentiment.ts`, as tests. */
import fc from "fast-check";
import { describe, expect } from "vitest";
import { SENTIMENT_LABELS } from "../../domain/call.ts";
import type { SentimentAnalyser } from "../../ports/sentiment.ts";
import type { Closable, ContractOptions, FixtureFactory } from "./contractKit.ts";
import { contractTests, fixturesOf } from "./contractKit.ts";

/** An analyser under test. */
export interface SentimentFixture extends Closable {
  adapter: SentimentAnalyser;
}

export interface SentimentContractOptions extends ContractOptions<SentimentContractTest> {
  /** Runs per property (fast-check); default 100. Lower it for slow analysers. */
  numRuns?: number;
}

export const SENTIMENT_CONTRACT_TESTS = [
  "is deterministic: the same text gives the same result, across instances",
  "keeps the score a finite number within −1..1 for any text",
  "labels agree with the score's sign",
  "returns a documented label and urgency, and a string or null summary",
  "judges empty and blank text neutral, score 0",
  "never throws, whatever the unicode",
  "recognises plainly positive and plainly negative text",
] as const;
export type SentimentContractTest = (typeof SENTIMENT_CONTRACT_TESTS)[number];

/** Code units that trip text handling: lone surrogates, joiners, direction marks, BOM, NUL. */
const oddUnit = fc.oneof(
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
  fc.constantFrom("\u200d", "\u200b", "\u202e", "\u2066", "\ufeff", "\u0000", "\u0301", "\ufffd", "\n", "\t"),
);

/** Any text a transcript might hold, and some it should not: words, emoji, any code point, odd units. */
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.string({ unit: fc.oneof(fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), oddUnit) }),
  fc
    .array(fc.constantFrom("great", "terrible", "not", "very", "love", "hate", "pain", "thanks", "!", "😀", "😡"))
    .map((words) => words.join(" ")),
);

/**
 * Declares the SentimentAnalyser contract suite for one analyser. `makeFixture` runs once per
 * test; the determinism test makes a second fixture to compare instances. A non-deterministic
 * analyser (an LLM) skips that test with its reason.
 *
 * @example
 * sentimentContract("lexicon", () => ({ adapter: lexiconSentiment() }));
 */
export function sentimentContract(
  name: string,
  makeFixture: FixtureFactory<SentimentFixture>,
  options: SentimentContractOptions = {},
): void {
  const suite = `SentimentAnalyser contract: ${name}`;
  const runs = { numRuns: options.numRuns ?? 100 };
  describe(suite, () => {
    const test = contractTests(suite, SENTIMENT_CONTRACT_TESTS, options.skip);
    const setup = fixturesOf(makeFixture);

    test("is deterministic: the same text gives the same result, across instances", async () => {
      const [one, other] = [(await setup()).adapter, (await setup()).adapter];
      await fc.assert(
        fc.asyncProperty(anyText, async (text) => {
          const first = await one.analyse(text);
          expect(await one.analyse(text)).toEqual(first);
          expect(await other.analyse(text)).toEqual(first);
        }),
        runs,
      );
    });

    test("keeps the score a finite number within −1..1 for any text", async () => {
      const { adapter } = await setup();
      await fc.assert(
        fc.asyncProperty(anyText, async (text) => {
          const { score } = await adapter.analyse(text);
          expect(Number.isFinite(score)).toBe(true);
          expect(score).toBeGreaterThanOrEqual(-1);
          expect(score).toBeLessThanOrEqual(1);
        }),
        runs,
      );
    });

    test("labels agree with the score's sign", async () => {
      const { adapter } = await setup();
      await fc.assert(
        fc.asyncProperty(anyText, async (text) => {
          const { score, label } = await adapter.analyse(text);
          // A neutral band around 0 is allowed; a label against the sign is not.
          if (label === "positive") expect(score).toBeGreaterThan(0);
          if (label === "negative") expect(score).toBeLessThan(0);
          if (score === 0) expect(label).toBe("neutral");
        }),
        runs,
      );
    });

    test("returns a documented label and urgency, and a string or null summary", async () => {
      const { adapter } = await setup();
      await fc.assert(
        fc.asyncProperty(anyText, async (text) => {
          const result = await adapter.analyse(text);
          expect(SENTIMENT_LABELS).toContain(result.label);
          expect(["low", "medium", "high"]).toContain(result.urgency);
          expect(result.summary === null || typeof result.summary === "string").toBe(true);
          expect(result).not.toHaveProperty("source");
        }),
        runs,
      );
    });

    test("judges empty and blank text neutral, score 0", async () => {
      const { adapter } = await setup();
      for (const text of ["", " ", "\n\t  \r\n", "\u00a0\u2003"]) {
        expect(await adapter.analyse(text)).toMatchObject({ score: 0, label: "neutral" });
      }
    });

    test("never throws, whatever the unicode", async () => {
      const { adapter } = await setup();
      const hard = [
        "\ud800",
        "\udfff\ud800",
        "👩🏽‍⚕️".repeat(500),
        "e\u0301".repeat(1000),
        "\u202eevil text\u202c",
        "\u0000\u0001\u001f",
        "ｇｒｅａｔ ＴＥＲＲＩＢＬＥ",
        `${"é".normalize("NFD")}ß İ ı ǅ`,
        "great ".repeat(20_000),
      ];
      for (const text of hard) await expect(adapter.analyse(text)).resolves.toBeDefined();
      await fc.assert(
        fc.asyncProperty(anyText, async (text) => {
          await expect(adapter.analyse(text)).resolves.toBeDefined();
        }),
        runs,
      );
    });

    test("recognises plainly positive and plainly negative text", async () => {
      const { adapter } = await setup();
      const happy = await adapter.analyse("Thank you so much, this is wonderful, I love it and I am very happy!");
      const upset = await adapter.analyse("This is terrible, I am angry and upset, the worst awful experience.");
      expect(happy.score).toBeGreaterThan(0);
      expect(happy.label).toBe("positive");
      expect(upset.score).toBeLessThan(0);
      expect(upset.label).toBe("negative");
    });
  });
}
