// The launcher's size budget, held by the suite: what every module page loads (launcher.js with
// its glue, and its wasm) is at most 30 KiB gzip. Size, unlike time, does not depend on the
// machine, so it is a test here; the time budget is printed by `cargo xtask bench`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KIB, LAUNCHER_BUDGET_BYTES, LAUNCHER_FILES, gzipBytes } from '../web/size.mjs';

test('the launcher entry stays within 30 KiB gzip', () => {
  const bytes = gzipBytes(LAUNCHER_FILES);
  const shown = `${(bytes / KIB).toFixed(1)} KiB of ${LAUNCHER_BUDGET_BYTES / KIB} KiB`;
  console.log(`launcher entry: ${shown}`);
  assert.ok(bytes > 4 * KIB, `the files hold a real build (${shown})`);
  assert.ok(bytes <= LAUNCHER_BUDGET_BYTES, `over budget: ${shown}`);
});
