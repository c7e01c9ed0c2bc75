/**
 * Browser entry of the Control UI (bundled by `scripts/build_ui.ts` into
 * `src/ui/assets.generated.ts`).
 * @module
 */
/// <reference lib="dom" />
import { render } from "preact";
import { App } from "./app.ts";
import { html } from "./html.ts";

render(html`<${App} />`, document.getElementById("app")!);
// The first render is synchronous: from here the page answers input (bench/control_ui_load.ts).
performance.mark("clawgate-ui-interactive");
