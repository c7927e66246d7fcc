// @onegate/web's decision API, imported from the built package (web/pkg, made by
// `node web/build.mjs`) through node_modules and its package.json exports, exactly as a consumer
// would; plus `tsc --noEmit` over a small TypeScript consumer of its types.
//
// Needs no servers. The fixture consumer lives in tests/fixtures/web-consumer/; this file links
// web/pkg into its node_modules/@onegate/web before importing.

import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkgDir = path.join(root, 'web', 'pkg');
const consumerDir = path.join(root, 'tests', 'fixtures', 'web-consumer');

let og;

before(async () => {
  assert.ok(
    existsSync(path.join(pkgDir, 'package.json')),
    'web/pkg is missing: build it with `node web/build.mjs` (or `cargo xtask build`)',
  );
  const scope = path.join(consumerDir, 'node_modules', '@onegate');
  mkdirSync(scope, { recursive: true });
  rmSync(path.join(scope, 'web'), { recursive: true, force: true });
  symlinkSync(path.relative(scope, pkgDir), path.join(scope, 'web'), 'dir');
  og = await import(new URL('./fixtures/web-consumer/consumer.mjs', import.meta.url));
});

const BROWSER = { client: 'browser' };
const ON = { unified_login: true };
const REQUIRED = { unified_login: true, require_hub_login: true, user_exceptions: ['Alice'] };

describe('decideLogin', () => {
  const rows = [
    // [name, input, outcome, rule, license_type]
    ['live_mobile_refused', { settings: ON, client: 'live_mobile', method: 'module_credentials' },
      'refuse', 'live_mobile_refused'],
    ['hub_login_not_enabled', { settings: {}, ...BROWSER, method: 'hub_login' },
      'refuse', 'hub_login_not_enabled'],
    ['license_barred_from_hub_login',
      { settings: ON, ...BROWSER, method: 'hub_login', license_type: 'dashboard_user' },
      'refuse', 'license_barred_from_hub_login', 'dashboard_user'],
    ['hub_login_accepted', { settings: ON, ...BROWSER, method: 'hub_login', license_type: 'full' },
      'allow', 'hub_login_accepted'],
    ['module_credentials_accepted', { settings: ON, ...BROWSER, method: 'module_credentials' },
      'allow', 'module_credentials_accepted'],
    ['user_exception',
      { settings: REQUIRED, ...BROWSER, method: 'module_credentials', username: 'alice' },
      'allow', 'user_exception'],
    ['implicit_exception',
      { settings: REQUIRED, ...BROWSER, method: 'module_credentials', license_type: 'contractor' },
      'allow', 'implicit_exception', 'contractor'],
    ['hub_login_required',
      { settings: REQUIRED, ...BROWSER, method: 'module_credentials', username: 'bob' },
      'send_to_hub', 'hub_login_required'],
  ];
  for (const [name, input, outcome, rule, license] of rows) {
    test(name, () => {
      const decision = og.decideLogin(input);
      assert.equal(decision.outcome, outcome);
      assert.equal(decision.rule, rule);
      assert.equal(decision.license_type, license);
      assert.match(decision.explanation, /KaseyaOne/);
    });
  }

  test('the explanation names the brand given', () => {
    const decision = og.decideLogin({ settings: REQUIRED, ...BROWSER, method: 'module_credentials',
      brand: 'Acme Hub' });
    assert.equal(decision.explanation,
      'this module requires login with Acme Hub; continue to Acme Hub to sign in');
  });

  test('an unusable input is an OnegateError value_invalid', () => {
    const cases = [
      [{}, 'the login input is invalid: missing field `settings`'],
      [{ settings: {}, client: 'phone', method: 'hub_login' },
        'the login input is invalid: unknown variant `phone`, expected `browser` or `live_mobile`'],
      [null, /^the login input is invalid: /],
    ];
    for (const [input, message] of cases) {
      assert.throws(() => og.decideLogin(input), (err) => {
        assert.ok(err instanceof og.OnegateError);
        assert.ok(err instanceof Error);
        assert.equal(err.name, 'OnegateError');
        assert.equal(err.code, 'value_invalid');
        if (message instanceof RegExp) assert.match(err.message, message);
        else assert.equal(err.message, message);
        return true;
      });
    }
  });
});

describe('resolveSecurityLevel and accessGroupTable', () => {
  const groups = [
    { id: 'g-tech', name: 'Technician' },
    { id: 'g-admin', name: 'Administrator' },
    { id: 'g-dup', name: 'Dispatcher' },
    { id: 'g-old', name: 'Retired' },
    { id: 'g-none', name: 'Nobody Maps' },
  ];
  const levels = [
    { id: 'lvl-tech', name: 'Technician', active: true, rank: 2 },
    { id: 'lvl-admin', name: 'Administrator', active: true, rank: 9 },
    { id: 'lvl-d1', name: 'Dispatcher', active: true, rank: 3 },
    { id: 'lvl-d2', name: 'Dispatcher', active: true, rank: 3 },
    { id: 'lvl-old', name: 'Retired', active: false, rank: 1 },
    { id: 'lvl-low', name: 'Read Only', active: true, rank: 0 },
  ];
  const settings = {
    access_groups: ['g-none', 'g-admin', 'g-tech', 'g-dup', 'g-old', 'g-gone'],
    defaults: { security_level: 'lvl-low' },
  };
  const resolve = (user_groups, moment = 'sign_in', s = settings) =>
    og.resolveSecurityLevel({ settings: s, groups, levels, user_groups, moment });

  test('group_matched: the first mapping group in the admin order wins', () => {
    assert.deepEqual(resolve(['g-tech', 'g-admin']),
      { level: 'lvl-admin', reason: { kind: 'group_matched', group: 'g-admin' } });
  });
  test('several_groups_at_creation: the default level', () => {
    assert.deepEqual(resolve(['g-tech', 'g-admin'], 'creation'),
      { level: 'lvl-low', reason: { kind: 'several_groups_at_creation', count: 2 } });
  });
  test('no_group_maps: the default level', () => {
    assert.deepEqual(resolve(['g-none', 'g-dup', 'g-old']),
      { level: 'lvl-low', reason: { kind: 'no_group_maps' } });
  });
  test('access_groups_off: nothing changes at sign-in', () => {
    assert.deepEqual(resolve(['g-tech'], 'sign_in', { defaults: settings.defaults }),
      { level: null, reason: { kind: 'access_groups_off' } });
  });
  test('the mapping table says why each group maps or not', () => {
    assert.deepEqual(og.accessGroupTable({ settings, groups, levels }), [
      { group: 'g-none', name: 'Nobody Maps',
        mapping: { kind: 'no_level_named', group_name: 'Nobody Maps' } },
      { group: 'g-admin', name: 'Administrator',
        mapping: { kind: 'maps', level: 'lvl-admin', level_name: 'Administrator' } },
      { group: 'g-tech', name: 'Technician',
        mapping: { kind: 'maps', level: 'lvl-tech', level_name: 'Technician' } },
      { group: 'g-dup', name: 'Dispatcher',
        mapping: { kind: 'several_levels_named', count: 2, group_name: 'Dispatcher' } },
      { group: 'g-old', name: 'Retired',
        mapping: { kind: 'level_inactive', level: 'lvl-old', level_name: 'Retired' } },
      { group: 'g-gone', name: null, mapping: { kind: 'group_unknown' } },
    ]);
  });
  test('a missing moment is value_invalid', () => {
    assert.throws(() => og.resolveSecurityLevel({ settings, groups, levels, user_groups: [] }),
      { name: 'OnegateError', code: 'value_invalid',
        message: 'the security level input is invalid: missing field `moment`' });
  });
});

describe('checkReturnUrl', () => {
  const policy = {
    origins: ['https://psa.example.com', 'https://rmm.example.com:8443'],
    base: 'https://psa.example.com/',
    fallback: 'https://hub.example.com/',
  };
  const accepted = [
    ['/tickets?id=7', 'https://psa.example.com/tickets?id=7'],
    ['https://rmm.example.com:8443/x', 'https://rmm.example.com:8443/x'],
  ];
  for (const [candidate, resolved] of accepted) {
    test(`accepts ${candidate}`, () => {
      assert.equal(og.checkReturnUrl(candidate, policy), resolved);
    });
  }
  const refused = [
    ['//evil.example/', "the return URL is not one of this tenant's registered origins"],
    ['/\\evil.example', 'the return URL contains a backslash or a control character'],
    ['javascript:alert(1)', 'the return URL must use https or http'],
    ['https://rmm.example.com/', "the return URL is not one of this tenant's registered origins"],
    ['https://user:pw@psa.example.com/', 'the return URL must not carry a user name or password'],
    ['', 'the return URL is empty'],
  ];
  for (const [candidate, message] of refused) {
    test(`refuses ${JSON.stringify(candidate)}`, () => {
      assert.throws(() => og.checkReturnUrl(candidate, policy),
        { name: 'OnegateError', code: 'return_url_rejected', message });
      assert.equal(og.returnUrlOrFallback(candidate, policy), policy.fallback);
    });
  }
  test('a candidate that is not a string is value_invalid', () => {
    assert.throws(() => og.checkReturnUrl(42, policy), { code: 'value_invalid' });
  });
  test('a policy without origins is value_invalid', () => {
    assert.throws(() => og.checkReturnUrl('/', { base: policy.base }),
      { code: 'value_invalid',
        message: 'the return URL policy is invalid: missing field `origins`' });
  });
});

describe('launcherView', () => {
  const input = {
    signed_in_via: 'hub',
    page: 'module',
    entitlements: [
      { module_id: 'psa', name: 'PSA', url: 'https://psa.example.com/' },
      { module_id: 'rmm', name: '<b>RMM</b>', url: 'https://rmm.example.com/', icon: '/rmm.svg' },
    ],
    current_module: 'psa',
    unified_login: true,
    current_url: 'https://psa.example.com/t?id=1',
    sign_in_url: 'https://psa.example.com/.onegate/login',
    hub_home: 'https://hub.example.com/',
  };
  test('hub sign-in: the waffle with the current module marked', () => {
    assert.deepEqual(og.launcherView(input), {
      view: 'waffle', label: 'Open My KaseyaOne', title: 'My KaseyaOne',
      home: 'https://hub.example.com/',
      items: [
        { module_id: 'psa', name: 'PSA', href: 'https://psa.example.com/', icon: null,
          current: true },
        { module_id: 'rmm', name: '<b>RMM</b>', href: 'https://rmm.example.com/',
          icon: '/rmm.svg', current: false },
      ],
    });
  });
  test('module credentials: the hub icon returning here', () => {
    assert.deepEqual(og.launcherView({ ...input, signed_in_via: 'module_credentials' }), {
      view: 'hub_icon', label: 'Log in to KaseyaOne',
      href: 'https://psa.example.com/.onegate/login?return_to=' +
        'https%3A%2F%2Fpsa.example.com%2Ft%3Fid%3D1',
    });
  });
  test('login page: the login choice, or nothing with unified login off', () => {
    const login = og.launcherView({ ...input, page: 'login', signed_in_via: 'nobody' });
    assert.equal(login.view, 'login_choice');
    assert.equal(login.label, 'Log In with KaseyaOne');
    assert.deepEqual(og.launcherView({ ...input, page: 'login', unified_login: false }),
      { view: 'hidden' });
  });
  test('an unknown page is value_invalid', () => {
    assert.throws(() => og.launcherView({ ...input, page: 'home' }),
      { code: 'value_invalid', message: /^the launcher input is invalid: unknown variant `home`/ });
  });
});

describe('package', () => {
  test('exports resolve to the built files', () => {
    const require = createRequire(path.join(consumerDir, 'consumer.mjs'));
    const manifest = JSON.parse(readFileSync(require.resolve('@onegate/web/package.json'), 'utf8'));
    assert.equal(manifest.name, '@onegate/web');
    assert.equal(manifest.type, 'module');
    for (const target of [manifest.exports['.'].node, manifest.exports['.'].default,
      manifest.exports['.'].types, manifest.exports['./launcher'].default,
      manifest.exports['./launcher'].types]) {
      assert.ok(existsSync(path.join(pkgDir, target)), target);
    }
    for (const file of ['wasm/launcher_bg.wasm', 'wasm/decisions_bg.wasm']) {
      assert.ok(existsSync(path.join(pkgDir, file)), file);
    }
  });
  test("index.d.ts lists exactly the core's error codes", () => {
    const rust = readFileSync(path.join(root, 'core', 'src', 'error.rs'), 'utf8');
    const start = rust.indexOf('pub fn code(self)');
    const body = rust.slice(start, rust.indexOf('\n    }\n', start));
    const core = [...body.matchAll(/"([a-z0-9_]+)"/g)].map((it) => it[1]).sort();
    const types = readFileSync(path.join(pkgDir, 'index.d.ts'), 'utf8');
    const union = types.slice(types.indexOf('export type ErrorCode'), types.indexOf(';',
      types.indexOf('export type ErrorCode')));
    const declared = [...union.matchAll(/'([a-z0-9_]+)'/g)].map((it) => it[1]).sort();
    assert.ok(core.length > 10, 'found the codes in core/src/error.rs');
    assert.deepEqual(declared, core,
      'update ErrorCode in web/js/index.d.ts to the codes of core/src/error.rs, then rebuild');
  });
  test('tsc --noEmit passes on a small TypeScript consumer', () => {
    const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
    execFileSync(tsc, ['--noEmit', '-p', consumerDir], { cwd: root, stdio: 'pipe' });
  });
});
