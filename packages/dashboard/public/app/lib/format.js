/** How numbers, money and times read on the page. */

const moneyFormats = new Map();

/** 40000 → "$400.00". */
export function money(cents, currency = "USD") {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { style: "currency", currency });
    moneyFormats.set(currency, format);
  }
  return format.format((cents ?? 0) / 100);
}

/** 1234500 → "$12K": short enough for a chart's axis. */
export const compactMoney = (cents, currency = "USD") =>
  new Intl.NumberFormat(undefined, { style: "currency", currency, notation: "compact" }).format((cents ?? 0) / 100);

/** 95 → "1 min 35 s". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  return minutes > 0 ? `${minutes} min ${rest} s` : `${rest} s`;
}

export const percent = (value) => `${Number(value ?? 0).toFixed(1)} %`;

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export const dateTime = (iso) => (iso ? dateTimeFormat.format(new Date(iso)) : "—");

/** "in_progress" → "in progress". */
export const words = (value) => String(value ?? "").replaceAll("_", " ");

/** A price typed in the currency's unit ("400", "1,250.50") → cents, or undefined when it is not a price. */
export function parsePrice(text) {
  const cleaned = String(text).replaceAll(",", "").trim();
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return undefined;
  return Math.round(Number(cleaned) * 100);
}

/** "botox, wrinkle ,, injection" → ["botox", "wrinkle", "injection"]. */
export const parseKeywords = (text) =>
  String(text)
    .split(",")
    .map((keyword) => keyword.trim())
    .filter(Boolean);
