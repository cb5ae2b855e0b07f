/**
 * The keywords carriers and Twilio treat as opting out of, or back into, SMS. A message whose
 * whole body (trimmed, any case) is one of them changes the sender's opt-out state.
 */
const OPT_OUT = new Set(["stop", "stopall", "unsubscribe", "cancel", "end", "quit", "optout", "revoke", "opt-out"]);
const OPT_IN = new Set(["start", "yes", "unstop"]);

export function optOutIntent(body: string): "opt_out" | "opt_in" | null {
  const word = body.trim().toLowerCase();
  if (OPT_OUT.has(word)) return "opt_out";
  if (OPT_IN.has(word)) return "opt_in";
  return null;
}
