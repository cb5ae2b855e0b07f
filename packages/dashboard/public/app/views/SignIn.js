/** Sign-in with an access token (a JWT from the identity provider, or the dev token `pnpm start` prints). */
import { useState } from "preact/hooks";
import { html } from "../html.js";
import { createApi } from "../lib/api.js";

/** Accepts a pasted `Bearer …` header value too. */
const cleaned = (text) => text.trim().replace(/^Bearer\s+/i, "");

export function SignIn({ onSignedIn, reason }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event) => {
    event.preventDefault();
    const candidate = cleaned(token);
    if (!candidate) return setError("Paste your access token first.");
    setBusy(true);
    setError(null);
    try {
      await createApi(candidate).get("/api/analytics/dashboard-pulse"); // checks the token before keeping it
      onSignedIn(candidate);
    } catch (caught) {
      setError(
        caught.status === 401 ? "That token was not accepted. Check that it is whole and not expired." : caught.message,
      );
    } finally {
      setBusy(false);
    }
  };

  return html`<main id="main" class="signin">
    <h1>Voxanne</h1>
    <form onSubmit=${submit} class="panel" aria-labelledby="signin-title">
      <h2 id="signin-title">Sign in</h2>
      ${reason && html`<p class="notice" role="status">${reason}</p>`}
      <div class="field">
        <label for="token">Access token (JWT)</label>
        <input id="token" name="token" type="password" autocomplete="off" spellcheck="false"
          aria-describedby="token-hint" value=${token} onInput=${(e) => setToken(e.currentTarget.value)} />
        <span id="token-hint" class="muted small">
          Kept in this tab only, until you sign out or close it. <code>pnpm start</code> prints a development token.
        </span>
      </div>
      ${error && html`<p class="notice error" role="alert">${error}</p>`}
      <button type="submit" disabled=${busy}>${busy ? "Checking…" : "Sign in"}</button>
    </form>
  </main>`;
}
