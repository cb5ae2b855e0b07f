/** The default sentiment analyser: the AFINN lexicon, plus whole-word urgency cues. */
import Sentiment from "sentiment";
import type { Urgency } from "../../domain/call.ts";
import type { SentimentAnalyser } from "../../ports/sentiment.ts";
import { callerSpeech, PhraseTrie, tokenize } from "../transcript/words.ts";

const URGENCY_CUES = new PhraseTrie<Urgency>();
for (const cue of ["urgent", "asap", "emergency", "pain", "bleeding", "swelling", "today", "right away"])
  URGENCY_CUES.add(cue, "high");
for (const cue of ["soon", "this week"]) URGENCY_CUES.add(cue, "medium");

const urgencyOf = (text: string): Urgency => {
  let urgency: Urgency = "low";
  for (const { value } of URGENCY_CUES.scan(tokenize(text))) {
    if (value === "high") return "high";
    urgency = value;
  }
  return urgency;
};

/** Beyond this distance from 0 a score is labelled positive or negative. */
const NEUTRAL_BAND = 0.05;

/**
 * Sentiment from the AFINN-165 lexicon (the `sentiment` package), read on the caller's lines
 * when the transcript labels its speakers (the agent is polite whatever the caller feels).
 *
 * - score = AFINN `comparative` (sum of word scores, each −5..5, divided by the number of words),
 *   clamped to −1..1 and rounded to 3 decimals;
 * - label: positive above 0.05, negative below −0.05, else neutral;
 * - urgency: high on any of urgent, asap, emergency, pain, bleeding, swelling, today, right away;
 *   else medium on soon, this week; else low (whole words);
 * - summary: null (a lexicon cannot summarise).
 *
 * Deterministic; empty text is neutral with low urgency.
 */
export const lexiconSentiment = (): SentimentAnalyser => {
  const afinn = new Sentiment();
  return {
    async analyse(transcript) {
      const text = callerSpeech(transcript);
      // No `extras` option: the package merges them into its shared lexicon for good.
      const { comparative } = afinn.analyze(text);
      // `|| 0` turns −0 into 0, so equal results compare equal everywhere.
      const score = Math.round(Math.min(1, Math.max(-1, comparative)) * 1000) / 1000 || 0;
      const label = score > NEUTRAL_BAND ? "positive" : score < -NEUTRAL_BAND ? "negative" : "neutral";
      return { score, label, summary: null, urgency: urgencyOf(text) };
    },
  };
};
