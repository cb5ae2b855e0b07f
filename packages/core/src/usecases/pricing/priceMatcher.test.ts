import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Service } from "../../domain/service.ts";
import { normaliseKeyword, tokenize } from "../transcript/words.ts";
import { compilePriceList, PriceMatcherCache } from "./priceMatcher.ts";

let nextId = 0;
const service = (name: string, priceCents: number, keywords: string[], id = `svc-${++nextId}`): Service => ({
  id,
  orgId: "org-1",
  name,
  priceCents,
  keywords,
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

const botox = service("Botox", 40_000, ["botox", "wrinkle"], "a-botox");
const facelift = service("Facelift", 800_000, ["facelift", "face lift"], "b-facelift");
const lipo = service("Liposuction", 500_000, ["lipo"], "c-lipo");
const consult = service("Consultation", 15_000, ["consultation"], "d-consult");
const breast = service("Breast check", 20_000, ["breast"], "e-breast");
const augmentation = service("Breast Augmentation", 750_000, ["breast augmentation"], "f-augmentation");
const matcher = compilePriceList([botox, facelift, lipo, consult, breast, augmentation]);

describe("tokenize", () => {
  it("splits on anything but letters, digits and inner apostrophes, keeping offsets", () => {
    const text = "Dr. O'Brien's face-lift: $8,000 (don’t) — café";
    expect(tokenize(text).map((t) => [t.key, text.slice(t.start, t.end)])).toEqual([
      ["dr", "Dr"],
      ["o'brien's", "O'Brien's"],
      ["face", "face"],
      ["lift", "lift"],
      ["8", "8"],
      ["000", "000"],
      ["don't", "don’t"],
      ["café", "café"],
    ]);
  });
});

describe("tokenize offsets", () => {
  it("stay those of the original text when lower-casing lengthens it", () => {
    const text = "İzmir: a Face-Lift";
    expect(tokenize(text).map((t) => text.slice(t.start, t.end))).toEqual(["İzmir", "a", "Face", "Lift"]);
    expect(matcher.price(text).matches.map((m) => text.slice(m.start, m.end))).toEqual(["Face-Lift"]);
  });

  it("give back each word's key, for any text", () => {
    const unit = fc.oneof(
      fc.constantFrom("İ", "ß", "ẞ", "É", "e\u0301", "’", "'", "-", " ", "Σ", "ς", "𐐨", "𐐀"),
      fc.string({ unit: "grapheme", maxLength: 2 }),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        for (const t of tokenize(text))
          expect(text.slice(t.start, t.end).toLowerCase().replaceAll("’", "'").replaceAll("ς", "σ")).toBe(t.key);
      }),
    );
  });
});

describe("normaliseKeyword", () => {
  it("trims, lower-cases and collapses whitespace", () => {
    expect(normaliseKeyword("  Face \t  LIFT ")).toBe("face lift");
    expect(normaliseKeyword("Anti-Wrinkle")).toBe("anti-wrinkle");
  });
  it("rejects a keyword without a word", () => {
    expect(normaliseKeyword("")).toBeUndefined();
    expect(normaliseKeyword(" -- ! ")).toBeUndefined();
  });
});

describe("compilePriceList", () => {
  it("matches whole words only", () => {
    expect(matcher.price("I have a lipoma").source).not.toBe("price_list");
    expect(matcher.price("thinking about lipo").serviceName).toBe("Liposuction");
    expect(matcher.price("botoxes?").source).not.toBe("price_list");
  });

  it("ignores case", () => {
    expect(matcher.price("BOTOX please").serviceId).toBe("a-botox");
  });

  it("matches multi-word keywords across spaces, hyphens, line breaks and case", () => {
    for (const text of ["a face lift", "a Face-Lift", "a face\n  lift", "a FACE, lift"]) {
      expect(matcher.price(text)).toMatchObject({ serviceId: "b-facelift", matches: [{ keyword: "face lift" }] });
    }
    expect(matcher.price("my face will lift").source).not.toBe("price_list");
  });

  it("keeps the longest keyword where keywords overlap", () => {
    const cheapBreast = compilePriceList([service("Breast", 900_000, ["breast"], "x"), augmentation]);
    const result = cheapBreast.price("about breast augmentation");
    // "breast" alone would be dearer, but it is part of the longer match.
    expect(result.matches).toEqual([
      {
        serviceId: "f-augmentation",
        serviceName: "Breast Augmentation",
        keyword: "breast augmentation",
        start: 6,
        end: 25,
      },
    ]);
    expect(result.priceCents).toBe(750_000);
    expect(cheapBreast.price("breast, then augmentation").serviceId).toBe("x");
  });

  it("prices the call at the dearest matched service", () => {
    const result = matcher.price("A consultation for botox, maybe a facelift, or botox only");
    expect(result).toMatchObject({
      serviceId: "b-facelift",
      serviceName: "Facelift",
      priceCents: 800_000,
      source: "price_list",
    });
    expect(result.matches.map((m) => m.serviceId)).toEqual(["d-consult", "a-botox", "b-facelift", "a-botox"]);
  });

  it("breaks price ties by the lower service id", () => {
    const list = [service("Z", 100, ["zeta"], "id-2"), service("A", 100, ["alpha"], "id-1")];
    expect(compilePriceList(list).price("zeta alpha").serviceId).toBe("id-1");
    expect(compilePriceList(list.reverse()).price("zeta alpha").serviceId).toBe("id-1");
  });

  it("gives a keyword shared by two services to the dearer one", () => {
    const list = [service("Cheap", 100, ["peel"], "p1"), service("Dear", 900, ["peel"], "p2")];
    expect(compilePriceList(list).price("a peel").matches).toMatchObject([{ serviceId: "p2" }]);
  });

  it("reports offsets that point at the matched text", () => {
    const text = "Hello!\nCould I get a Face-Lift and some BOTOX?";
    const result = matcher.price(text);
    expect(result.matches.map((m) => text.slice(m.start, m.end))).toEqual(["Face-Lift", "BOTOX"]);
  });

  it("falls back to the default catalogue when the org's list matches nothing", () => {
    const custom = compilePriceList([service("Tummy Tuck", 650_000, ["tummy tuck"])]);
    expect(custom.price("how much is a nose job?")).toEqual({
      serviceId: "default:rhinoplasty",
      serviceName: "Rhinoplasty",
      priceCents: 600_000,
      source: "fallback",
      matches: [
        { serviceId: "default:rhinoplasty", serviceName: "Rhinoplasty", keyword: "nose job", start: 14, end: 22 },
      ],
    });
    expect(compilePriceList([]).price("breast implants").serviceId).toBe("default:breast-augmentation");
    expect(custom.price("tummy tuck and botox").source).toBe("price_list");
  });

  it("is worth nothing when neither list matches", () => {
    for (const text of ["", "just a question about parking", "  \n "]) {
      expect(matcher.price(text)).toEqual({
        serviceId: null,
        serviceName: null,
        priceCents: 0,
        source: "none",
        matches: [],
      });
    }
  });

  it("ignores keywords without a word", () => {
    expect(compilePriceList([service("Odd", 5, ["--", "odd"])]).price("-- odd").matches).toHaveLength(1);
  });

  it("prices the seed's calls", () => {
    const defaults = compilePriceList([]);
    const botoxCall =
      "AI: How can I help you today?\nUser: Hi, I'd like to book Botox.\nAI: A first Botox visit includes a short consultation.";
    expect(defaults.price(botoxCall)).toMatchObject({ serviceName: "Botox", priceCents: 40_000 });
    const rhinoCall =
      "User: how much does a rhinoplasty cost?\nAI: The consultation is one hundred fifty dollars.\nUser: Do you also do the non-surgical kind with filler?";
    expect(defaults.price(rhinoCall)).toMatchObject({ serviceName: "Rhinoplasty", priceCents: 600_000 });
  });
});

describe("compilePriceList properties", () => {
  // Keyword words come from one alphabet, filler words from another, so that filler never forms a
  // keyword; each keyword word belongs to one keyword only, so keywords never overlap.
  const keywordWord = fc.stringMatching(/^[a-hé]{2,6}$/u);
  const fillerWord = fc.stringMatching(/^[p-z]{1,7}$/u);
  const separator = fc.constantFrom(" ", "  ", "-", ", ", ".\n", " — ");
  const casing = fc.constantFrom<(s: string) => string>(
    (s) => s,
    (s) => s.toUpperCase(),
    (s) => s.charAt(0).toUpperCase() + s.slice(1),
  );

  const priceLists = fc
    .uniqueArray(keywordWord, { minLength: 1, maxLength: 40 })
    .chain((words) =>
      fc
        .array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1_000_000 })), {
          minLength: 1,
          maxLength: 15,
        })
        .map((specs) => {
          const pool = [...words];
          const services: Service[] = [];
          specs.forEach(([length, price], n) => {
            const keywords: string[] = [];
            for (let k = 0; k < 3 && pool.length > 0; k++) keywords.push(pool.splice(0, length).join(" "));
            if (keywords.length > 0) services.push(service(`S${n}`, price, keywords, `p${n}`));
          });
          return services;
        }),
    )
    .filter((services) => services.length > 0);

  /** A transcript of filler, whole keywords and keyword prefixes, in random case and separators. */
  const transcripts = (services: Service[]) => {
    const keywords = services.flatMap((s) => s.keywords);
    const piece = fc.oneof(
      fillerWord,
      fc.constantFrom(...keywords),
      fc.constantFrom(...keywords).map((k) => k.split(" ")[0] ?? k),
    );
    return fc
      .array(fc.tuple(piece, separator, casing), { maxLength: 30 })
      .map((parts) => parts.map(([p, sep, cased]) => cased(p).split(" ").join(sep) + sep).join(""));
  };

  /** Independent oracle: does the keyword occur as a run of whole words? */
  const occurs = (keyword: string, text: string): boolean => {
    const words = ` ${text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .join(" ")} `;
    return words.includes(` ${keyword} `);
  };

  it("values the call at the dearest service whose keyword occurs as whole words", () => {
    fc.assert(
      fc.property(
        priceLists.chain((services) => fc.tuple(fc.constant(services), transcripts(services))),
        ([services, text]) => {
          const result = compilePriceList(services).price(text);
          const present = services.filter((s) => s.keywords.some((k) => occurs(k, text)));
          const best = present.reduce<Service | undefined>(
            (b, s) =>
              b === undefined || s.priceCents > b.priceCents || (s.priceCents === b.priceCents && s.id < b.id) ? s : b,
            undefined,
          );
          expect(result.priceCents).toBe(best?.priceCents ?? result.priceCents);
          expect(result.serviceId).toBe(best?.id ?? result.serviceId);
          expect(result.source === "price_list").toBe(best !== undefined);
        },
      ),
    );
  });

  it("reports matches whose text is their keyword, in order and without overlap", () => {
    // Here keywords may overlap and share words freely.
    const anyList = fc
      .array(
        fc.tuple(fc.array(fc.constantFrom("ab", "cd", "ef", "Ab", "é"), { minLength: 1, maxLength: 3 }), fc.nat(100)),
        {
          minLength: 1,
          maxLength: 10,
        },
      )
      .map((specs) => specs.map(([words, price], n) => service(`S${n}`, price, [words.join(" ")], `q${n}`)));
    const text = fc
      .array(fc.tuple(fc.constantFrom("ab", "AB", "cd", "ef", "é", "x", "abx"), separator), { maxLength: 25 })
      .map((parts) => parts.map(([w, sep]) => w + sep).join(""));
    fc.assert(
      fc.property(anyList, text, (services, transcript) => {
        const result = compilePriceList(services).price(transcript);
        let previousEnd = 0;
        for (const m of result.matches) {
          const slice = transcript.slice(m.start, m.end);
          expect(tokenize(slice).map((t) => t.key)).toEqual(tokenize(m.keyword).map((t) => t.key));
          expect(m.start).toBeGreaterThanOrEqual(previousEnd);
          previousEnd = m.end;
        }
        if (result.source === "price_list") {
          expect(result.priceCents).toBe(
            Math.max(...result.matches.map((m) => services.find((s) => s.id === m.serviceId)?.priceCents ?? -1)),
          );
        }
      }),
    );
  });
});

describe("PriceMatcherCache", () => {
  it("reuses the compiled matcher until the price list changes", () => {
    const cache = new PriceMatcherCache();
    const list = [botox, facelift];
    const first = cache.get("org-1", list);
    expect(cache.get("org-1", [...list])).toBe(first);
    const repriced = cache.get("org-1", [botox, { ...facelift, priceCents: 1 }]);
    expect(repriced).not.toBe(first);
    expect(cache.get("org-1", [botox, { ...facelift, priceCents: 1, keywords: ["lift"] }])).not.toBe(repriced);
    expect(
      cache
        .get("org-1", [botox, { ...facelift, priceCents: 1, keywords: ["lift"], updatedAt: new Date(5) }])
        .price("lift"),
    ).toMatchObject({ priceCents: 1 });
  });

  it("keeps each org's matcher apart", () => {
    const cache = new PriceMatcherCache();
    expect(cache.get("org-1", [botox]).price("botox").serviceId).toBe("a-botox");
    expect(cache.get("org-2", [lipo]).price("botox").source).toBe("fallback");
  });

  it("evicts the least recently used org beyond its capacity", () => {
    const cache = new PriceMatcherCache(2);
    const one = cache.get("org-1", [botox]);
    const two = cache.get("org-2", [botox]);
    expect(cache.get("org-1", [botox])).toBe(one); // org-1 is now the most recent
    cache.get("org-3", [botox]); // evicts org-2
    expect(cache.get("org-1", [botox])).toBe(one);
    expect(cache.get("org-2", [botox])).not.toBe(two);
  });
});
