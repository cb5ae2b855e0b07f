/** The page's entry: the token from this tab's session decides between sign-in and the dashboard. */
import { render } from "preact";
import { useState } from "preact/hooks";
import { html } from "./html.js";
import { session } from "./lib/session.js";
import { Dashboard } from "./views/Dashboard.js";
import { SignIn } from "./views/SignIn.js";

function App() {
  const [token, setToken] = useState(session.get);
  const [reason, setReason] = useState(null);

  if (!token) {
    return html`<${SignIn}
      reason=${reason}
      onSignedIn=${(signedIn) => {
        session.set(signedIn);
        setReason(null);
        setToken(signedIn);
      }}
    />`;
  }
  return html`<${Dashboard}
    key=${token}
    token=${token}
    onSignOut=${(why) => {
      session.clear();
      setReason(typeof why === "string" ? why : "You have signed out.");
      setToken(null);
    }}
  />`;
}

const root = document.getElementById("app");
root.textContent = "";
render(html`<${App} />`, root);
