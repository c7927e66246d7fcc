// Builds the npm package @onegate/web into web/pkg/ (git-ignored).
//
//   node web/build.mjs
//
// For each entry (the `launcher` widget and the `decisions` API) it builds onegate-web for
// wasm32-unknown-unknown with that cargo feature, runs `wasm-bindgen --target web` (the CLI must
// match the pinned wasm-bindgen; override with WASM_BINDGEN_BIN), shrinks the result with
// binaryen's `wasm-opt -Oz` from the repo's node_modules (never Debian's; override with
// WASM_OPT_BIN) and minifies the JS glue with esbuild (ESBUILD_BIN). Then it copies the
// hand-written JS entries and types from web/js/ and writes package.json.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = path.join(root, 'web');
const pkg = path.join(web, 'pkg');
const wasmDir = path.join(pkg, 'wasm');
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
const wasmBindgen = process.env.WASM_BINDGEN_BIN ?? 'wasm-bindgen';
const wasmOpt = process.env.WASM_OPT_BIN ?? path.join(root, 'node_modules', '.bin', 'wasm-opt');
const esbuild = process.env.ESBUILD_BIN ?? path.join(root, 'node_modules', '.bin', 'esbuild');

/** The entries: cargo feature = output name in pkg/wasm/. */
const ENTRIES = ['launcher', 'decisions'];

/** The wasm features rustc emits by default for wasm32-unknown-unknown. */
const WASM_FEATURES = [
  '--enable-bulk-memory',
  '--enable-bulk-memory-opt',
  '--enable-nontrapping-float-to-int',
  '--enable-sign-ext',
  '--enable-mutable-globals',
  '--enable-multivalue',
  '--enable-reference-types',
];

function run(cmd, args) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
}

rmSync(pkg, { recursive: true, force: true });
mkdirSync(wasmDir, { recursive: true });

for (const entry of ENTRIES) {
  run('cargo', [
    'build', '-p', 'onegate-web', '--release', '--target', 'wasm32-unknown-unknown',
    '--no-default-features', '--features', entry,
  ]);
  const built = path.join(targetDir, 'wasm32-unknown-unknown', 'release', 'onegate_web.wasm');
  run(wasmBindgen, ['--target', 'web', '--out-dir', wasmDir, '--out-name', entry, built]);
  const bg = path.join(wasmDir, `${entry}_bg.wasm`);
  run(wasmOpt, ['-Oz', ...WASM_FEATURES, bg, '-o', bg]);
  // The generated glue is readable but large; minified it is about a third of its gzip size.
  const glue = path.join(wasmDir, `${entry}.js`);
  run(esbuild, [glue, '--minify', '--format=esm', '--allow-overwrite', `--outfile=${glue}`]);
}

for (const file of ['api.js', 'index.js', 'index.node.js', 'index.d.ts', 'launcher.js',
  'launcher.d.ts']) {
  copyFileSync(path.join(web, 'js', file), path.join(pkg, file));
}

// The launcher's page entry and its glue become one file: one request fewer before the wasm
// can be fetched. Its wasm stays next to it in wasm/.
const entry = path.join(pkg, 'launcher.js');
run(esbuild, [entry, '--bundle', '--minify', '--format=esm', '--allow-overwrite',
  `--outfile=${entry}`]);
for (const file of ['launcher.js', 'launcher.d.ts', 'launcher_bg.wasm.d.ts']) {
  rmSync(path.join(wasmDir, file));
}
copyFileSync(path.join(web, 'README.md'), path.join(pkg, 'README.md'));

const manifest = {
  name: '@onegate/web',
  version: '0.1.0',
  description: 'The onegate launcher widget and the core decisions, in WebAssembly',
  license: 'Apache-2.0',
  type: 'module',
  types: './index.d.ts',
  exports: {
    '.': { types: './index.d.ts', node: './index.node.js', default: './index.js' },
    './launcher': { types: './launcher.d.ts', default: './launcher.js' },
    './package.json': './package.json',
  },
  files: ['*.js', '*.d.ts', 'wasm/', 'README.md'],
  sideEffects: ['./launcher.js', './index.js', './index.node.js'],
  engines: { node: '>=20' },
};
writeFileSync(path.join(pkg, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

for (const entry of ENTRIES) {
  const bytes = statSync(path.join(wasmDir, `${entry}_bg.wasm`)).size;
  console.log(`${entry}: ${bytes} bytes of wasm (before gzip)`);
}
console.log(`built ${path.relative(root, pkg)}/`);
