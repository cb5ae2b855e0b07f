/**
 * Words of a transcript: the tokenizer, the caller's side of a labelled transcript, and a
 * word-level phrase trie. Pricing, intent, urgency and sentiment all read transcripts through it,
 * so "whole words" means the same thing everywhere.
 */
/** One word of a text: its matching key and where it sits in the original text (end exclusive). */
export interface WordToken {
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

// A word is a run of letters (any script), combining marks and digits; an apostrophe between two
// runs stays inside it ("don't"). Everything else separates words, so "face-lift" is "face" "lift".
// One shared instance: `tokenize` resets `lastIndex` and never yields mid-scan.
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['\u2019][\p{L}\p{M}\p{N}]+)*/gu;

/** The words of `text`, lower-cased (typographic apostrophes read as `'`), with their offsets. */
export function tokenize(text: string): WordToken[] {
  // Lower-case once, not per word (half the cost). Offsets must stay those of `text`: lower-casing
  // only ever lengthens a character ("İ"), so an equal length means equal offsets.
  const lower = text.toLowerCase();
  const aligned = lower.length === text.length;
  const source = aligned ? lower : text;
  const curly = text.includes("\u2019");
  // Lower-casing picks final sigma by context ("ΟΣ" → "ος"), which differs between the whole text
  // and a word alone: fold it to σ, as Unicode case folding does.
  const sigma = /[\u03a3\u03c2]/.test(text);
  const tokens: WordToken[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(source); m !== null; m = WORD.exec(source)) {
    const word = m[0];
    let key = aligned ? word : word.toLowerCase();
    if (curly) key = key.replaceAll("\u2019", "'");
    if (sigma) key = key.replaceAll("\u03c2", "\u03c3");
    tokens.push({ key, start: m.index, end: m.index + word.length });
  }
  return tokens;
}

// Vapi transcripts are lines prefixed "AI:" / "User:". Rules about the caller (intent, urgency,
// mood) must not read the agent's stock lines ("How can I help you today?", "Shall I book you?").
const SPEAKER = /^[ \t]*(ai|assistant|agent|bot|user|customer|caller)[ \t]*:/i;
const CALLER_LABELS = new Set(["user", "customer", "caller"]);

/**
 * The caller's side of a transcript: the text of its caller lines when the transcript labels its
 * speakers (an unlabelled line belongs to the speaker before it), else the whole transcript.
 */
export function callerSpeech(transcript: string): string {
  const spoken: string[] = [];
  let labelled = false;
  let callerSpeaking = false;
  for (const line of transcript.split("\n")) {
    const label = SPEAKER.exec(line);
    if (label !== null) {
      labelled = true;
      callerSpeaking = CALLER_LABELS.has((label[1] ?? "").toLowerCase());
    }
    if (callerSpeaking) spoken.push(label === null ? line : line.slice(label[0].length));
  }
  return labelled ? spoken.join("\n") : transcript;
}

/**
 * A keyword as stored: trimmed, lower-cased, whitespace collapsed; `undefined` when it holds no
 * word (e.g. `"--"`), since such a keyword could never match.
 */
export function normaliseKeyword(k: string): string | undefined {
  const keyword = k.trim().toLowerCase().replace(/\s+/gu, " ");
  return tokenize(keyword).length > 0 ? keyword : undefined;
}

/** A phrase found in a text, with the value it was registered with. */
export interface PhraseHit<T> {
  phrase: string;
  value: T;
  start: number;
  end: number;
}

interface PhraseEnd<T> {
  phrase: string;
  value: T;
}

interface TrieNode<T> {
  next: Map<string, TrieNode<T>> | undefined;
  end: PhraseEnd<T> | undefined;
}

/**
 * A trie over words (not characters) for whole-word, multi-word phrase search.
 *
 * `scan` is leftmost-longest and non-overlapping: at each word it walks the trie as far as the
 * text allows and keeps the longest phrase that ends on the way, then resumes after it. A walk
 * is at most as deep as the longest phrase (in words) and each step is one Map lookup, so a scan
 * costs O(words × longest phrase), whatever the number of phrases.
 */
export class PhraseTrie<T> {
  private readonly root: TrieNode<T> = { next: undefined, end: undefined };

  /**
   * @param outranks whether `candidate` should replace `current` when one phrase (as words) is
   *   added twice; by default the first one stays.
   */
  constructor(private readonly outranks: (candidate: T, current: T) => boolean = () => false) {}

  /** Registers `phrase`; a phrase without any word is ignored. */
  add(phrase: string, value: T): this {
    const words = tokenize(phrase);
    if (words.length === 0) return this;
    let node = this.root;
    for (const { key } of words) {
      node.next ??= new Map();
      let child = node.next.get(key);
      if (child === undefined) {
        child = { next: undefined, end: undefined };
        node.next.set(key, child);
      }
      node = child;
    }
    if (node.end === undefined || this.outranks(value, node.end.value)) node.end = { phrase, value };
    return this;
  }

  /** The phrases in `tokens` (from {@link tokenize}), left to right, longest first at each word. */
  scan(tokens: readonly WordToken[]): PhraseHit<T>[] {
    const hits: PhraseHit<T>[] = [];
    let i = 0;
    while (i < tokens.length) {
      let node: TrieNode<T> | undefined = this.root;
      let found: PhraseEnd<T> | undefined;
      let last = i;
      for (let j = i; j < tokens.length && node.next !== undefined; j++) {
        const token = tokens[j];
        node = token === undefined ? undefined : node.next.get(token.key);
        if (node === undefined) break;
        if (node.end !== undefined) {
          found = node.end;
          last = j;
        }
      }
      const first = tokens[i];
      const lastToken = tokens[last];
      if (found !== undefined && first !== undefined && lastToken !== undefined) {
        hits.push({ phrase: found.phrase, value: found.value, start: first.start, end: lastToken.end });
        i = last + 1;
      } else {
        i++;
      }
    }
    return hits;
  }
}
