// @onegate/web/launcher: the launcher widget's page entry.
//
// The gate serves this file as /.onegate/launcher.js next to `wasm/launcher.js` and
// `wasm/launcher_bg.wasm`, and injects into module pages:
//   <script type="application/json" id="onegate-launcher-data">{LauncherInput}</script>
//   <script type="module" src="/.onegate/launcher.js"></script>
// On import it loads the WebAssembly from its own origin (CSP `script-src 'self'
// 'wasm-unsafe-eval'` is enough) and, when the page carries launcher data, mounts the widget into
// #onegate-launcher (or #onegate-login-choice on login pages), or floating at the top right.

import init, { mountFromPage, mountLauncher as mountRaw } from './wasm/launcher.js';

performance.mark('onegate-launcher:start');
await init({ module_or_path: new URL('./wasm/launcher_bg.wasm', import.meta.url) });

/**
 * The launcher mounted from the page's data, or undefined. Held here so it stays mounted; call
 * `launcher.unmount()` to remove it.
 */
export let launcher;
try {
  launcher = mountFromPage();
} catch (err) {
  console.warn(`onegate launcher: ${err.message} (${err.code})`);
}
performance.mark('onegate-launcher:interactive');

/**
 * Mounts the launcher for `input` inside `target`, or floating at the top right when `target` is
 * null. Keep the returned handle referenced; `handle.unmount()` removes the widget.
 */
export function mountLauncher(input, target = null) {
  return mountRaw(input, target);
}
