import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lexiconSentiment } from "./lexiconSentiment.ts";

const analyser = lexiconSentiment();
const analyse = (text: string) => analyser.analyse(text);

describe("lexiconSentiment", () => {
  it("labels positive, negative and neutral text", async () => {
    expect(await analyse("Thank you so much, that's wonderful!")).toMatchObject({ label: "positive", score: 1 });
    expect(await analyse("This is terrible and I'm angry")).toMatchObject({ label: "negative", score: -1 });
    expect(await analyse("What are your opening hours on Monday")).toMatchObject({ label: "neutral" });
  });

  it("scores AFINN's comparative, clamped to -1..1", async () => {
    // "good" is +3 in AFINN, over 11 words: 0.273.
    expect((await analyse("the clinic was good and I will come back next week")).score).toBe(0.273);
    expect((await analyse("good")).score).toBe(1);
  });

  it("is neutral, low urgency and without summary for empty text", async () => {
    for (const text of ["", "   ", "\n"]) {
      expect(await analyse(text)).toEqual({ score: 0, label: "neutral", summary: null, urgency: "low" });
    }
  });

  it("reads urgency from whole-word cues", async () => {
    for (const text of [
      "It's urgent",
      "ASAP please",
      "an emergency",
      "I'm in pain",
      "it keeps bleeding",
      "the swelling",
      "can I come today",
      "see me right away",
    ]) {
      expect((await analyse(text)).urgency).toBe("high");
    }
    for (const text of ["sometime soon", "maybe this week"]) expect((await analyse(text)).urgency).toBe("medium");
    for (const text of ["paint job", "painless", "this weekend", "right here"])
      expect((await analyse(text)).urgency).toBe("low");
    expect((await analyse("soon, or today if possible")).urgency).toBe("high");
  });

  it("reads the caller's lines of a labelled transcript", async () => {
    const transcript =
      "AI: Thank you for calling, how can I help you today? Wonderful!\nUser: My lip is swollen and it hurts.\nAI: I am so sorry.";
    expect(await analyse(transcript)).toMatchObject({ label: "negative", urgency: "low" });
    expect((await analyse(`${transcript}\nUser: Can you see me today?`)).urgency).toBe("high");
  });

  it("labels the seed's booked Botox call positive", async () => {
    const transcript = [
      "AI: Thank you for calling Bright Aesthetics, this is Ava. How can I help you today?",
      "User: Hi, I'd like to book Botox. It would be my first time.",
      "User: Tuesday at 2 is perfect.",
      "User: No, that's it. Thank you!",
    ].join("\n");
    expect(await analyse(transcript)).toMatchObject({ label: "positive", urgency: "low", summary: null });
  });

  it("is deterministic, bounded and consistent with its label for any text", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom("good ", "bad ", "pain ", "hello ", "AI: ", "User: ", "\n", "!", "😀") }),
        async (text) => {
          const first = await analyse(text);
          expect(await lexiconSentiment().analyse(text)).toEqual(first);
          expect(first.score).toBeGreaterThanOrEqual(-1);
          expect(first.score).toBeLessThanOrEqual(1);
          expect(first.label).toBe(first.score > 0.05 ? "positive" : first.score < -0.05 ? "negative" : "neutral");
        },
      ),
    );
  });
});
