// @onegate/web for browsers and bundlers: loads the decisions WebAssembly from next to this file.

import init from './wasm/decisions.js';

await init({ module_or_path: new URL('./wasm/decisions_bg.wasm', import.meta.url) });

export * from './api.js';
