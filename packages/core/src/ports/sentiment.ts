import type { Sentiment } from "../domain/call.ts";

/**
 * Judges the sentiment of a transcript when the vendor gave none.
 *
 * Guarantees: deterministic for the default lexicon analyser (same text, same result); score in
 * −1..1; never throws for any string (empty text is neutral).
 */
export interface SentimentAnalyser {
  analyse(transcript: string): Promise<Omit<Sentiment, "source">>;
}
