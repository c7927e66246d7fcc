// Sizes of the built package (web/pkg), as budgets count them: gzip at level 9, summed over an
// entry's files. Shared by the bench (web/bench.mjs, which prints them) and the end-to-end suite
// (tests/launcher-size.test.mjs, which holds the launcher to its budget).

import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const pkg = fileURLToPath(new URL('./pkg/', import.meta.url));

/** 1 KiB. */
export const KIB = 1024;

/** The launcher entry (what every module page loads) may be at most this, gzip. */
export const LAUNCHER_BUDGET_BYTES = 30 * KIB;

/** The files of the launcher entry: its script (glue bundled in) and its wasm. */
export const LAUNCHER_FILES = ['launcher.js', 'wasm/launcher_bg.wasm'];

/** The files of the decisions entry (the npm package's API). */
export const DECISION_FILES = ['index.js', 'api.js', 'wasm/decisions.js', 'wasm/decisions_bg.wasm'];

/** Gzip bytes of `files` (paths inside web/pkg), summed. */
export function gzipBytes(files) {
  return files.reduce((sum, file) => {
    const bytes = readFileSync(path.join(pkg, file));
    return sum + gzipSync(bytes, { level: 9 }).length;
  }, 0);
}
