import type { Service } from "../../domain/service.ts";
import type { PriceMatcher } from "../pricing/priceMatcher.ts";
import { normaliseKeyword } from "../transcript/words.ts";

const sameWords = (a: string, b: string) => normaliseKeyword(a) === normaliseKeyword(b);

/**
 * The price-list service a spoken service name means: the one with that name or keyword (case and
 * spacing aside), else the one the price matcher finds in the words ("lip filler touch-up" →
 * Fillers). Null when the org's own list knows none of it: a booking does not need a service, and
 * the fallback table's services are not the org's.
 */
export function serviceNamed(matcher: PriceMatcher, services: readonly Service[], name: string): Service | null {
  if (normaliseKeyword(name) === undefined) return null;
  const named = services.find((s) => sameWords(s.name, name) || s.keywords.some((k) => sameWords(k, name)));
  if (named) return named;
  const priced = matcher.price(name);
  return priced.source === "price_list" ? (services.find((s) => s.id === priced.serviceId) ?? null) : null;
}
