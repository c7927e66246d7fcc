// @onegate/web for Node: reads the decisions WebAssembly from disk and instantiates it
// synchronously, so importing the package is all a Node caller has to do.

import { readFileSync } from 'node:fs';
import { initSync } from './wasm/decisions.js';

initSync({ module: readFileSync(new URL('./wasm/decisions_bg.wasm', import.meta.url)) });

export * from './api.js';
