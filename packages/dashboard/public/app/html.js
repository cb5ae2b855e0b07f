/** `html\`...\`` templates rendered by Preact: htm parses them in the browser, so there is no JSX build. */
import htm from "htm";
import { h } from "preact";

export const html = htm.bind(h);
