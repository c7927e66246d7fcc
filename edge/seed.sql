-- Demo data for local development and the end-to-end tests. Must stay idempotent: `cargo xtask
-- dev` runs it on every start, after the migrations.
INSERT OR IGNORE INTO tenants (id, slug, name, created_at)
VALUES ('t_acme', 'acme', 'Acme Managed Services', 1767225600);

-- ==== gate: modules, their login settings, and how the gate reaches them ====
-- Every login rule of PRODUCT.md is visible on one of these modules:
--   psa     unified login + require hub login; user exception sales.one; barred licenses
--           (helpdesk, dashboard, contractor) are implicit exceptions; LiveMobile refused
--   rmm     unified login only: module credentials keep working, hub login optional
--   legacy  unified login off (the demo RMM again): hub login refused; the seeded unused module
--           (the insights' `module_unused`), so no test signs in to it
--   field   unified login off, no subscription (the demo RMM again): LiveMobile allowed
--   ops     tenant Globex, whose hub JWKS URL is unreachable: only its cached keys work. Its
--           upstream is Globex's own demo PSA (`globex-psa`: its own users, levels and SCIM
--           token), never Acme's; provisioning on with Globex's defaults
-- Upstream `var:ONEGATE_DEMO_URL` is the demo module Worker (its port is chosen at start). The
-- modules in front of a demo app guard its security-level screen (`level_admin_path`): the
-- hub's default level cannot be inactivated or deleted there.
INSERT OR IGNORE INTO tenants (id, slug, name, created_at)
VALUES ('t_globex', 'globex', 'Globex (hub keys cached, hub unreachable)', 1767225600);

INSERT OR IGNORE INTO modules (id, tenant_id, name, origin, upstream, icon) VALUES
    ('psa', 't_acme', 'Demo PSA', NULL, 'var:ONEGATE_DEMO_URL', NULL),
    ('rmm', 't_acme', 'Demo RMM', NULL, 'var:ONEGATE_DEMO_URL', NULL),
    ('legacy', 't_acme', 'Legacy RMM (unified login off)', NULL, 'var:ONEGATE_DEMO_URL', NULL),
    ('field', 't_acme', 'Field RMM (unified login off)', NULL, 'var:ONEGATE_DEMO_URL', NULL),
    ('ops', 't_globex', 'Globex PSA', NULL, 'var:ONEGATE_DEMO_URL', NULL);

INSERT INTO module_settings (tenant_id, module_id, settings_json, updated_at) VALUES
    ('t_acme', 'psa',
     '{"unified_login":true,"require_hub_login":true,"user_exceptions":["sales.one"]}',
     1767225600),
    ('t_acme', 'rmm', '{"unified_login":true}', 1767225600),
    ('t_acme', 'legacy', '{}', 1767225600),
    ('t_acme', 'field', '{}', 1767225600),
    ('t_globex', 'ops',
     '{"unified_login":true,"provisioning":true,"defaults":{"security_level":"204",'
     || '"timesheet_approver":"gwen","department":"Dispatch","expense_report_approver":"gwen",'
     || '"role":"Technician"}}',
     1767225600)
ON CONFLICT (tenant_id, module_id) DO UPDATE SET settings_json = excluded.settings_json;

INSERT INTO gate_modules
    (tenant_id, module_id, upstream_module, login_path, public_paths_json, scim_token,
     level_admin_path) VALUES
    ('t_acme', 'psa', 'psa', '/login', '["/assets/", "/healthz"]', 'dev-scim-psa',
     '/admin/security-levels'),
    ('t_acme', 'rmm', 'rmm', '/login', '["/assets/", "/healthz"]', 'dev-scim-rmm',
     '/admin/security-levels'),
    ('t_acme', 'legacy', 'rmm', '/login', '["/assets/", "/healthz"]', 'dev-scim-rmm', NULL),
    ('t_acme', 'field', 'rmm', '/login', '["/assets/", "/healthz"]', 'dev-scim-rmm', NULL),
    ('t_globex', 'ops', 'globex-psa', '/login', '["/assets/", "/healthz"]', 'dev-scim-globex-psa',
     '/admin/security-levels')
ON CONFLICT (tenant_id, module_id) DO UPDATE SET
    upstream_module = excluded.upstream_module, login_path = excluded.login_path,
    public_paths_json = excluded.public_paths_json, scim_token = excluded.scim_token,
    level_admin_path = excluded.level_admin_path;

-- Globex's hub publishes its keys at an address nobody answers; the shared cache holds the
-- development key (kid dev-2026-12), fetched a little over the TTL ago on every seed run.
INSERT INTO gate_hubs (tenant_id, jwks_url)
VALUES ('t_globex', 'http://127.0.0.1:9/.well-known/jwks.json')
ON CONFLICT (tenant_id) DO UPDATE SET jwks_url = excluded.jwks_url;
INSERT INTO gate_jwks_cache (jwks_url, jwks_json, fetched_at) VALUES (
    'http://127.0.0.1:9/.well-known/jwks.json',
    '{"keys":[{"kty":"OKP","crv":"Ed25519","alg":"EdDSA","use":"sig","kid":"dev-2026-12","x":"xJGNuI1poAlF6fKzpvErCOK8IUU2aZ4_OFkr9MQEhL0"}]}',
    unixepoch() - 400)
ON CONFLICT (jwks_url) DO UPDATE SET
    jwks_json = excluded.jwks_json, fetched_at = excluded.fetched_at;

-- `down`: a module whose origin nobody answers (tenant Initech, nothing else in it), for the
-- gate's "module not reachable" answer. Unified login off, so every request goes to the origin.
INSERT OR IGNORE INTO tenants (id, slug, name, created_at)
VALUES ('t_initech', 'initech', 'Initech (module origin down)', 1767225600);
INSERT OR IGNORE INTO modules (id, tenant_id, name, origin, upstream, icon)
VALUES ('down', 't_initech', 'Initech PSA', NULL, 'http://127.0.0.1:9', NULL);
INSERT INTO module_settings (tenant_id, module_id, settings_json, updated_at)
VALUES ('t_initech', 'down', '{}', 1767225600)
ON CONFLICT (tenant_id, module_id) DO UPDATE SET settings_json = excluded.settings_json;
-- `strict`: the demo PSA with hub login required, whose SCIM endpoint nobody answers, so the
-- gate cannot learn a module-credential user's license type.
INSERT OR IGNORE INTO modules (id, tenant_id, name, origin, upstream, icon)
VALUES ('strict', 't_initech', 'Initech Strict PSA', NULL, 'var:ONEGATE_DEMO_URL', NULL);
INSERT INTO module_settings (tenant_id, module_id, settings_json, updated_at)
VALUES ('t_initech', 'strict', '{"unified_login":true,"require_hub_login":true}', 1767225600)
ON CONFLICT (tenant_id, module_id) DO UPDATE SET settings_json = excluded.settings_json;
INSERT INTO gate_modules
    (tenant_id, module_id, upstream_module, login_path, public_paths_json, scim_token, scim_base)
VALUES ('t_initech', 'strict', 'psa', '/login', '["/assets/"]', 'dev-scim-psa',
        'http://127.0.0.1:9/scim/v2')
ON CONFLICT (tenant_id, module_id) DO UPDATE SET
    scim_token = excluded.scim_token, scim_base = excluded.scim_base;
-- `broken`: stored login settings that do not parse (written by hand), which the gate refuses
-- to guess about.
INSERT OR IGNORE INTO modules (id, tenant_id, name, origin, upstream, icon)
VALUES ('broken', 't_initech', 'Initech Broken PSA', NULL, 'var:ONEGATE_DEMO_URL', NULL);
INSERT INTO module_settings (tenant_id, module_id, settings_json, updated_at)
VALUES ('t_initech', 'broken', '{"unified_login":"yes"', 1767225600)
ON CONFLICT (tenant_id, module_id) DO UPDATE SET settings_json = excluded.settings_json;

-- Tenants Hooli and Pied Piper trust an external hub whose JWKS endpoint the end-to-end tests
-- serve themselves (ONEGATE_PROBE_URL): Hooli's answers as the test says, Pied Piper's never
-- answers. Unified login is off on both modules, so a token whose key verifies is refused by
-- that rule (403) and one whose key does not is refused at the token check (401), and neither
-- module is ever asked anything.
INSERT OR IGNORE INTO tenants (id, slug, name, created_at) VALUES
    ('t_hooli', 'hooli', 'Hooli (external hub, JWKS served by the tests)', 1767225600),
    ('t_pied', 'pied', 'Pied Piper (external hub that never answers)', 1767225600);
INSERT OR IGNORE INTO modules (id, tenant_id, name, origin, upstream, icon) VALUES
    ('hooli', 't_hooli', 'Hooli PSA', NULL, 'http://127.0.0.1:9', NULL),
    ('pied', 't_pied', 'Pied Piper PSA', NULL, 'http://127.0.0.1:9', NULL);
INSERT INTO module_settings (tenant_id, module_id, settings_json, updated_at) VALUES
    ('t_hooli', 'hooli', '{}', 1767225600),
    ('t_pied', 'pied', '{}', 1767225600)
ON CONFLICT (tenant_id, module_id) DO UPDATE SET settings_json = excluded.settings_json;
INSERT INTO gate_hubs (tenant_id, jwks_url) VALUES
    ('t_hooli', 'var:ONEGATE_PROBE_URL/hooli/jwks.json'),
    ('t_pied', 'var:ONEGATE_PROBE_URL/pied/jwks.json')
ON CONFLICT (tenant_id) DO UPDATE SET jwks_url = excluded.jwks_url;

-- ==== hub: demo users, groups, entitlements and OIDC clients ====
-- Accounts and their TOTP secrets are listed in edge/seed-accounts.txt (printed by
-- `cargo xtask dev`). Passwords are Argon2id (m=19456 KiB, t=2, p=1). qa1..qa6 exist so each
-- end-to-end test file signs in as its own user (a TOTP code is single-use per user and step).
-- The hub tables are reset to these values on every run (ON CONFLICT ... DO UPDATE) except
-- the TOTP replay state, sessions and codes, which belong to the running system.

INSERT INTO hub_groups (id, tenant_id, name) VALUES
    ('g_admin', 't_acme', 'Administrator'),
    ('g_tech', 't_acme', 'Technician'),
    ('g_helpdesk', 't_acme', 'Help Desk')
ON CONFLICT (id) DO UPDATE SET name = excluded.name;

INSERT INTO hub_users
    (id, tenant_id, email, email_verified, name, password_hash, totp_secret, is_admin, created_at)
VALUES
    ('u_ada', 't_acme', 'admin@acme.example', 1, 'Ada Admin',
     '$argon2id$v=19$m=19456,t=2,p=1$AQEBAQEBAQEBAQEBAQEBAQ$xvVlyvPpVB2SFKhHATGkqahD5b3iIjB4vi75fFbjEHs',
     'QQTJTMI4HOD5JDXAGDCIIZWL7DTYTOPS', 1, 1767225600),
    ('u_tom', 't_acme', 'tech@acme.example', 1, 'Tom Tech',
     '$argon2id$v=19$m=19456,t=2,p=1$BQUFBQUFBQUFBQUFBQUFBQ$xYt8uZlQoD+ZbiOHqY4VZfReaepbXaKyPh4s0aHmd7Q',
     'U2VBNXAUNGSX7OEIPGDFGML6NHLYRHHJ', 0, 1767225600),
    ('u_nia', 't_acme', 'new.hire@acme.example', 1, 'Nia New',
     '$argon2id$v=19$m=19456,t=2,p=1$AwMDAwMDAwMDAwMDAwMDAw$9FVF0rbmZ6lG2oZc+C4vwdD59F6BwS2OTgVEyXXQo4k',
     NULL, 0, 1767225600),
    ('u_qa1', 't_acme', 'qa1@acme.example', 1, 'QA Tester 1',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'K3Y5EI3AUWDB27AXPICPBL7MT4O2BNK6', 0, 1767225600),
    ('u_qa2', 't_acme', 'qa2@acme.example', 1, 'QA Tester 2',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'FW2YMX6TICMMY3SWFOOMEOE7IHD7YJCS', 0, 1767225600),
    ('u_qa3', 't_acme', 'qa3@acme.example', 1, 'QA Tester 3',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'ZQEO45E73WRQDUH2PQPQHW3YZIXNUZBJ', 0, 1767225600),
    ('u_qa4', 't_acme', 'qa4@acme.example', 1, 'QA Tester 4',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'FQNYPLPOF42CISWP6PEDIM5YCQBVHO7V', 0, 1767225600),
    ('u_qa5', 't_acme', 'qa5@acme.example', 1, 'QA Tester 5',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'OI7I2YAU6UGSSK4WAPMQNNVUSFDCOAEU', 0, 1767225600),
    ('u_qa6', 't_acme', 'qa6@acme.example', 1, 'QA Tester 6',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     '2Q2FXEL54JV36N6XTAKRRGHQJKGVPF76', 0, 1767225600),
    ('u_gil', 't_globex', 'ops@globex.example', 1, 'Gil Globex',
     '$argon2id$v=19$m=19456,t=2,p=1$AgICAgICAgICAgICAgICAg$xGb+VCEr+1DqEtqT8E9qpiKXIiTjVL2JOA80EPdZ3VQ',
     'RMWSSXKNBUOAXFI7EMHSNWZZ4BEFODEY', 1, 1767225600)
ON CONFLICT (id) DO UPDATE SET
    email = excluded.email, name = excluded.name, password_hash = excluded.password_hash,
    totp_secret = excluded.totp_secret, is_admin = excluded.is_admin;

INSERT OR IGNORE INTO hub_group_members (group_id, user_id) VALUES
    ('g_admin', 'u_ada'),
    ('g_tech', 'u_ada'),
    ('g_tech', 'u_tom'),
    ('g_helpdesk', 'u_nia'),
    ('g_tech', 'u_qa1'),
    ('g_tech', 'u_qa2'),
    ('g_tech', 'u_qa3'),
    ('g_tech', 'u_qa4'),
    ('g_tech', 'u_qa5'),
    ('g_tech', 'u_qa6');

INSERT OR IGNORE INTO entitlements (tenant_id, user_id, module_id) VALUES
    ('t_acme', 'u_ada', 'psa'),
    ('t_acme', 'u_ada', 'rmm'),
    ('t_acme', 'u_tom', 'psa'),
    ('t_acme', 'u_tom', 'rmm'),
    ('t_acme', 'u_nia', 'psa'),
    ('t_acme', 'u_qa1', 'psa'),
    ('t_acme', 'u_qa1', 'rmm'),
    ('t_acme', 'u_qa2', 'psa'),
    ('t_acme', 'u_qa2', 'rmm'),
    ('t_acme', 'u_qa3', 'psa'),
    ('t_acme', 'u_qa3', 'rmm'),
    ('t_acme', 'u_qa4', 'psa'),
    ('t_acme', 'u_qa4', 'rmm'),
    ('t_acme', 'u_qa5', 'psa'),
    ('t_acme', 'u_qa5', 'rmm'),
    ('t_acme', 'u_qa6', 'psa'),
    ('t_acme', 'u_qa6', 'rmm'),
    ('t_globex', 'u_gil', 'ops');

-- Hub sign-in test accounts (tests/hub-signin.test.mjs, and qa13 in tests/gate-tokens.test.mjs;
-- password hub-qa-tester-2026), one per case, as throttling, enrolment and TOTP codes are per
-- account. qa11 and qa12 have no authenticator yet and enrol in their tests; a re-seed (dev)
-- takes every enrolment back.
--   qa7@acme.example     burst of wrong passwords
--   qa8@acme.example     known and unknown emails locked alike
--   qa9@acme.example     burst of wrong TOTP codes
--   qa10@acme.example    prompt=login and max_age
--   qa14@acme.example    sign-out after a forced sign-in ends the replaced session too
--   qa15@globex.example  hub sign-out told to a client by back-channel logout (gate-backchannel)
--   qa11@acme.example    a fresh secret per enrolment attempt
--   qa12@acme.example    enrolment, then recovery codes
--   qa13@acme.example    the gate callback state check (gate-tokens)
INSERT INTO hub_users
    (id, tenant_id, email, email_verified, name, password_hash, totp_secret, is_admin, created_at)
VALUES
    ('u_qa7', 't_acme', 'qa7@acme.example', 1, 'QA Tester 7',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     '77VQVCAYTOUMOKKZCRNB7WCZBMNTF6G5', 0, 1767225600),
    ('u_qa8', 't_acme', 'qa8@acme.example', 1, 'QA Tester 8',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'TQGA3VJGKDWR25BWFFUC3ACSCHWG3EBI', 0, 1767225600),
    ('u_qa9', 't_acme', 'qa9@acme.example', 1, 'QA Tester 9',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'XSYFTMXZOLIFQIZMS3MARZKG7TU62O57', 0, 1767225600),
    ('u_qa10', 't_acme', 'qa10@acme.example', 1, 'QA Tester 10',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'GV4YZNOVLKLPDMRUWIZUN53L4MZXDHZR', 0, 1767225600),
    ('u_qa11', 't_acme', 'qa11@acme.example', 1, 'QA Tester 11',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     NULL, 0, 1767225600),
    ('u_qa12', 't_acme', 'qa12@acme.example', 1, 'QA Tester 12',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     NULL, 0, 1767225600),
    ('u_qa13', 't_acme', 'qa13@acme.example', 1, 'QA Tester 13',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'IECDYTPR42H7AVKPTKVIHV3E6GW374W7', 0, 1767225600),
    ('u_qa14', 't_acme', 'qa14@acme.example', 1, 'QA Tester 14',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'UWIGPAEX6CDGAWTXISRLLQ6W7M4DICQE', 0, 1767225600),
    ('u_qa15', 't_globex', 'qa15@globex.example', 1, 'QA Tester 15',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'NKHV2GMRGT3QVP5DGWHX6SAJ7AKQJ2IX', 0, 1767225600)
ON CONFLICT (id) DO UPDATE SET
    email = excluded.email, name = excluded.name, password_hash = excluded.password_hash,
    totp_secret = excluded.totp_secret, totp_pending = NULL, is_admin = excluded.is_admin;

INSERT OR IGNORE INTO hub_group_members (group_id, user_id) VALUES
    ('g_tech', 'u_qa13');

-- Only qa13 (and qa15, at Globex) open a module; the others stay off the seat counts the
-- portal's insights read.
INSERT OR IGNORE INTO entitlements (tenant_id, user_id, module_id) VALUES
    ('t_acme', 'u_qa13', 'psa'),
    ('t_globex', 'u_qa15', 'ops');

-- One OIDC client per module; the secret is `dev-client-secret-<id>` (SHA-256 stored), which
-- the gate reads from OIDC_CLIENT_SECRETS. `{module_origin}` is the module's gate origin on the
-- hub's own scheme and port (the tests run on random ports); the comparison stays exact.
INSERT INTO clients (id, tenant_id, secret_hash, redirect_uris, post_logout_redirect_uris)
VALUES
    ('psa', 't_acme', '305e7bb0dcc034638a5454ebc65e5b133a1f97097e3858bbdf9968e0f26dd748',
     '["http://psa.localhost:8787/.onegate/callback", "{module_origin}/.onegate/callback"]',
     '["http://psa.localhost:8787/", "{module_origin}/"]'),
    ('rmm', 't_acme', 'af9daa4d189c2f944558e5b738dbf4458195a2d20e62efaed2bf0aff92158117',
     '["http://rmm.localhost:8787/.onegate/callback", "{module_origin}/.onegate/callback"]',
     '["http://rmm.localhost:8787/", "{module_origin}/"]'),
    ('legacy', 't_acme', '09c689359aadbf3faa328f7586768c92fa451bb377c9edfb318bb34c87d651a2',
     '["http://legacy.localhost:8787/.onegate/callback", "{module_origin}/.onegate/callback"]',
     '["http://legacy.localhost:8787/", "{module_origin}/"]'),
    ('ops', 't_globex', '6a5b882ffbce4a0ae52954ae7d02a48270fbc965707c2cdb98eda8ec3412a75e',
     '["http://ops.localhost:8787/.onegate/callback", "{module_origin}/.onegate/callback"]',
     '["http://ops.localhost:8787/", "{module_origin}/"]')
ON CONFLICT (id) DO UPDATE SET
    secret_hash = excluded.secret_hash, redirect_uris = excluded.redirect_uris,
    post_logout_redirect_uris = excluded.post_logout_redirect_uris;

-- Login-choice test accounts (tests/hub-login-choice.test.mjs, password hub-qa-tester-2026):
-- hub users whose verified emails match demo RMM accounts (operator.one, operator.two), so the
-- rmm gate links them without provisioning. One per browser case: a TOTP code is single-use.
INSERT INTO hub_users
    (id, tenant_id, email, email_verified, name, password_hash, totp_secret, is_admin, created_at)
VALUES
    ('u_op1', 't_acme', 'operator.one@acme.example', 1, 'Olu Operator',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'EYIDF7XKV2UTGWO6JCIBU5AHK6WAUBTO', 0, 1767225600),
    ('u_op2', 't_acme', 'operator.two@acme.example', 1, 'Ola Operator',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'XETSRST2VUYW6FFC5Z7D5VAKIW3IQ5DN', 0, 1767225600)
ON CONFLICT (id) DO UPDATE SET
    email = excluded.email, name = excluded.name, password_hash = excluded.password_hash,
    totp_secret = excluded.totp_secret, is_admin = excluded.is_admin;

INSERT OR IGNORE INTO hub_group_members (group_id, user_id) VALUES
    ('g_tech', 'u_op1'),
    ('g_tech', 'u_op2');

INSERT OR IGNORE INTO entitlements (tenant_id, user_id, module_id) VALUES
    ('t_acme', 'u_op1', 'rmm'),
    ('t_acme', 'u_op2', 'rmm');

-- ==== portal: support tickets, subscriptions, orders, invoices, charges, insight facts ====
-- Realistic demo data for tenant Acme and, for isolation tests, tenant Globex. Times are
-- relative to the seed run (unixepoch() - days), so the insights stay current. Portal test
-- users (password `hub-qa-tester-2026`, TOTP secrets in tests/portal-helpers.mjs):
--   portal@acme.example (u_pat), portal2@acme.example (u_pam), portal3@acme.example (u_pax),
--   portal@globex.example (u_gpo), portal4@acme.example (u_pia, admin: insights links);
--   one per test file, as a TOTP code is accepted once a step.
-- Rows are INSERT OR IGNORE: a running system's changes to them are kept.

INSERT INTO hub_users
    (id, tenant_id, email, email_verified, name, password_hash, totp_secret, is_admin, created_at)
VALUES
    ('u_pat', 't_acme', 'portal@acme.example', 1, 'Pat Portal',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'XHT2GTNPBOBHTCT2VBWMIIJNS3JDIQ4X', 1, 1767225600),
    ('u_pam', 't_acme', 'portal2@acme.example', 1, 'Pam Portal',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'VUG47CA64LBD4ZDIFOMAXNKVG2OP4UXN', 0, 1767225600),
    ('u_pax', 't_acme', 'portal3@acme.example', 1, 'Pax Portal',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'AIYZG25DRCZW3CO6GTBJIHDXH7CJMRHV', 0, 1767225600),
    ('u_gpo', 't_globex', 'portal@globex.example', 1, 'Gwen Globex',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'EWLWHVQARTE5JULONEW22VAJHFEOOESQ', 1, 1767225600),
    ('u_pia', 't_acme', 'portal4@acme.example', 1, 'Pia Portal-Admin',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'CD2GIPHHHPZAAEZE6IFTU3NCWGAF5544', 1, 1767225600)
ON CONFLICT (id) DO UPDATE SET
    email = excluded.email, name = excluded.name, password_hash = excluded.password_hash,
    totp_secret = excluded.totp_secret, is_admin = excluded.is_admin;

INSERT OR IGNORE INTO tickets (id, tenant_id, module_id, subject, description, priority, status,
    version, created_by, created_at, updated_at) VALUES
    ('tk_UCYnMQZv05WbMF', 't_acme', 'psa', 'Time entries for March are missing',
     'Since this morning the March time entries of the service desk team no longer appear in the timesheet view. We expected all approved entries to be listed.',
     'high', 'waiting_on_customer', 3, 'u_ada', unixepoch() - 9 * 86400, unixepoch() - 4 * 86400),
    ('tk_PG9JUipOpxoYZP', 't_acme', 'rmm', 'Patch policy skipped two servers',
     'The weekly patch policy ran on Sunday but skipped SRV-DC01 and SRV-FS02. Both are online and show the agent as healthy.',
     'critical', 'waiting_on_customer', 2, 'u_tom', unixepoch() - 6 * 86400, unixepoch() - 2 * 86400),
    ('tk_2Vp55xxPvvoIxI', 't_acme', 'psa', 'Invoice template shows the old logo',
     'Invoices generated from the PSA still carry our old logo although we uploaded the new one in the branding settings.',
     'low', 'waiting_on_customer', 2, 'u_ada', unixepoch() - 12 * 86400, unixepoch() - 7 * 86400),
    ('tk_c774U3FsNx4HKp', 't_acme', 'psa', 'Contract renewal reminder sent twice',
     'Customers of ours received the contract renewal reminder twice on the same day.',
     'medium', 'resolved', 3, 'u_tom', unixepoch() - 20 * 86400, unixepoch() - 3 * 86400),
    ('tk_j2R3gah2IvJ9kE', 't_acme', 'rmm', 'Remote control session drops after 5 minutes',
     'Remote control sessions to Windows 11 endpoints end after about five minutes without an error.',
     'high', 'resolved', 4, 'u_tom', unixepoch() - 25 * 86400, unixepoch() - 5 * 86400),
    ('tk_fO3Vf7qBKYJ65c', 't_acme', 'rmm', 'Alert emails arrive late',
     'Disk space alerts arrive between 20 and 40 minutes after the threshold is crossed.',
     'medium', 'in_progress', 2, 'u_ada', unixepoch() - 3 * 86400, unixepoch() - 1 * 86400),
    ('tk_Nv6oX3KSGgxg4V', 't_acme', 'legacy', 'Export of old asset list',
     'Please export the asset list of the legacy RMM as CSV before we retire it.',
     'low', 'new', 1, 'u_ada', unixepoch() - 1 * 86400, unixepoch() - 1 * 86400),
    ('tk_tMLG95Uq7CPY84', 't_acme', 'psa', 'Dashboard widget for SLA breaches',
     'We would like a dashboard widget that lists tickets close to breaching their SLA.',
     'low', 'closed', 4, 'u_tom', unixepoch() - 40 * 86400, unixepoch() - 30 * 86400),
    ('tk_xGN0xhYh0iBUTe', 't_globex', 'ops', 'Globex: dispatcher calendar is empty',
     'The dispatcher calendar shows no appointments for next week.',
     'high', 'waiting_on_customer', 2, 'u_gpo', unixepoch() - 5 * 86400, unixepoch() - 2 * 86400),
    ('tk_tieNn8I8KohE8P', 't_globex', 'ops', 'Globex: resolved question about exports',
     'How do we export all tickets of last year?',
     'low', 'resolved', 3, 'u_gpo', unixepoch() - 15 * 86400, unixepoch() - 10 * 86400);

INSERT OR IGNORE INTO ticket_comments
    (id, tenant_id, ticket_id, author_kind, author_name, body, created_at) VALUES
    ('cm_G4irCOCzhiyDqK', 't_acme', 'tk_UCYnMQZv05WbMF', 'support', 'Sam (Support)',
     'Thanks for the report. Which user accounts are affected, and does it happen in the mobile view too?',
     unixepoch() - 4 * 86400),
    ('cm_rGWEebIJyB3M5v', 't_acme', 'tk_PG9JUipOpxoYZP', 'support', 'Sam (Support)',
     'Both servers had a pending reboot. Can you reboot them and confirm the next run includes them?',
     unixepoch() - 2 * 86400),
    ('cm_ETdIiw5lQDGxuR', 't_acme', 'tk_c774U3FsNx4HKp', 'customer', 'Tom Tech',
     'It happened again for three customers on Monday.', unixepoch() - 10 * 86400),
    ('cm_AVqJF658Ysf5Nu', 't_acme', 'tk_c774U3FsNx4HKp', 'support', 'Sam (Support)',
     'A duplicate schedule was removed; reminders now go out once. Please confirm.',
     unixepoch() - 3 * 86400),
    ('cm_kqO32Sjp7Peu7j', 't_globex', 'tk_xGN0xhYh0iBUTe', 'support', 'Sam (Support)',
     'Which calendar view do you use?', unixepoch() - 2 * 86400);

INSERT OR IGNORE INTO subscriptions
    (id, tenant_id, module_id, plan, seats, unit_price, currency, term, started_at, status) VALUES
    ('sub_KXrst7nhytZLBT', 't_acme', 'psa', 'Professional', 15, 4900, 'EUR', 'monthly',
     unixepoch() - 200 * 86400, 'active'),
    ('sub_AtWb0kfKmbCdSZ', 't_acme', 'rmm', 'Standard', 10, 36000, 'EUR', 'annual',
     unixepoch() - 120 * 86400, 'active'),
    ('sub_ESG6a5krdA8wZr', 't_acme', 'legacy', 'Legacy Basic', 3, 1500, 'EUR', 'monthly',
     unixepoch() - 400 * 86400, 'active'),
    ('sub_1s810VGgwZlZvx', 't_globex', 'ops', 'Starter', 4, 2900, 'USD', 'monthly',
     unixepoch() - 90 * 86400, 'active');

INSERT OR IGNORE INTO orders (id, tenant_id, number, placed_at, status) VALUES
    ('ord_R4W0gdR94FAAfl', 't_acme', 'ORD-2026-0107', unixepoch() - 200 * 86400, 'fulfilled'),
    ('ord_7nwuPuERkl2jUh', 't_acme', 'ORD-2026-0215', unixepoch() - 2 * 86400, 'pending'),
    ('ord_NbiwgEyezpRiDw', 't_globex', 'ORD-2026-0301', unixepoch() - 90 * 86400, 'fulfilled');

INSERT OR IGNORE INTO invoices (id, tenant_id, number, issued_at, due_at, status) VALUES
    ('inv_ua5cUC33Y5VUzE', 't_acme', 'INV-2026-0041', unixepoch() - 35 * 86400,
     unixepoch() - 5 * 86400, 'paid'),
    ('inv_3hIyq7SaV9Qa0c', 't_acme', 'INV-2026-0058', unixepoch() - 5 * 86400,
     unixepoch() + 25 * 86400, 'open'),
    ('inv_BSLAs55QeIg3n8', 't_globex', 'INV-2026-0007', unixepoch() - 4 * 86400,
     unixepoch() + 26 * 86400, 'open');

INSERT OR IGNORE INTO billing_doc_lines (tenant_id, doc_id, position, description, module_id,
    quantity, unit_price, currency, tax_rate_bp) VALUES
    ('t_acme', 'ord_R4W0gdR94FAAfl', 1, 'Demo PSA Professional monthly plan', 'psa', 15, 4900,
     'EUR', 1900),
    ('t_acme', 'ord_R4W0gdR94FAAfl', 2, 'Demo RMM Standard annual plan', 'rmm', 10, 36000,
     'EUR', 1900),
    ('t_acme', 'ord_7nwuPuERkl2jUh', 1, 'Onboarding workshop (half day)', NULL, 1, 45000,
     'EUR', 1900),
    ('t_acme', 'inv_ua5cUC33Y5VUzE', 1, 'Professional monthly plan, 15 seats', 'psa', 15, 4900,
     'EUR', 1900),
    ('t_acme', 'inv_ua5cUC33Y5VUzE', 2, 'Legacy Basic monthly plan, 3 seats', 'legacy', 3, 1500,
     'EUR', 1900),
    ('t_acme', 'inv_3hIyq7SaV9Qa0c', 1, 'Professional monthly plan, 15 seats', 'psa', 15, 4900,
     'EUR', 1900),
    ('t_acme', 'inv_3hIyq7SaV9Qa0c', 2, 'Legacy Basic monthly plan, 3 seats', 'legacy', 3, 1500,
     'EUR', 1900),
    ('t_acme', 'inv_3hIyq7SaV9Qa0c', 3, 'Seat added: 12 of 30 days of the monthly term', 'psa',
     1, 1960, 'EUR', 1900),
    ('t_acme', 'inv_3hIyq7SaV9Qa0c', 4, 'Goodwill credit for ticket tk_PG9JUipOpxoYZP', 'rmm',
     1, -2500, 'EUR', 1900),
    ('t_acme', 'inv_3hIyq7SaV9Qa0c', 5, 'Training e-book (reduced rate)', NULL, 2, 1999,
     'EUR', 700),
    ('t_globex', 'ord_NbiwgEyezpRiDw', 1, 'Globex PSA Starter monthly plan', 'ops', 4, 2900,
     'USD', 0),
    ('t_globex', 'inv_BSLAs55QeIg3n8', 1, 'Starter monthly plan, 4 seats', 'ops', 4, 2900,
     'USD', 0);

INSERT OR IGNORE INTO billing_lines (id, tenant_id, module_id, hub_user, kind, date, created_at)
VALUES
    ('bl_GpOIkphEa6gvMw', 't_acme', 'psa', 'u_nia', 'seat_added',
     date(unixepoch() - 18 * 86400, 'unixepoch'), unixepoch() - 18 * 86400),
    ('bl_9EXFYVsHYIGx9e', 't_acme', 'rmm', 'u_tom', 'seat_added',
     date(unixepoch() - 60 * 86400, 'unixepoch'), unixepoch() - 60 * 86400),
    ('bl_tprVgNehbdmR8b', 't_globex', 'ops', 'u_gil', 'seat_added',
     date(unixepoch() - 30 * 86400, 'unixepoch'), unixepoch() - 30 * 86400);

-- Sign-ins: PSA has Full users still using module credentials (sales.one is a listed exception
-- and does not count); the legacy module has had no sign-in for months (unused).
INSERT OR IGNORE INTO module_sign_ins (tenant_id, module_id, username, license_type, method, at)
VALUES
    ('t_acme', 'psa', 'ada.admin', 'full', 'hub_login', unixepoch() - 1 * 86400),
    ('t_acme', 'psa', 'tom.tech', 'full', 'module_credentials', unixepoch() - 2 * 86400),
    ('t_acme', 'psa', 'fin.ance', 'full', 'module_credentials', unixepoch() - 6 * 86400),
    ('t_acme', 'psa', 'sales.one', 'full', 'module_credentials', unixepoch() - 3 * 86400),
    ('t_acme', 'psa', 'helpdesk.one', 'co_managed_help_desk_user', 'module_credentials',
     unixepoch() - 1 * 86400),
    ('t_acme', 'rmm', 'tom.tech', 'full', 'hub_login', unixepoch() - 1 * 86400),
    ('t_acme', 'legacy', 'old.admin', 'full', 'module_credentials', unixepoch() - 95 * 86400),
    ('t_globex', 'ops', 'gwen', 'full', 'hub_login', unixepoch() - 1 * 86400);

-- The modules' security levels as the demo modules report them over SCIM (the gate and the
-- admin screens store what they read here again, so the module stays the one source of truth;
-- edge/src/gate/levels.rs). Rows of older seeds, with ids no demo module has, are removed.
DELETE FROM module_security_levels WHERE id LIKE 'lvl\_%' ESCAPE '\';
INSERT INTO module_security_levels (tenant_id, module_id, id, name, active, rank)
VALUES
    ('t_acme', 'psa', '1', 'Administrator', 1, 50),
    ('t_acme', 'psa', '2', 'Manager', 1, 40),
    ('t_acme', 'psa', '3', 'Technician', 1, 30),
    ('t_acme', 'psa', '4', 'Help Desk', 1, 20),
    ('t_acme', 'psa', '5', 'Dashboard', 1, 10),
    ('t_acme', 'psa', '6', 'Sales', 1, 25),
    ('t_acme', 'psa', '7', 'Sales', 1, 25),
    ('t_acme', 'psa', '8', 'Former Staff', 0, 0),
    ('t_acme', 'rmm', '101', 'Administrator', 1, 50),
    ('t_acme', 'rmm', '102', 'Technician', 1, 30),
    ('t_acme', 'rmm', '103', 'Help Desk', 1, 20),
    ('t_acme', 'rmm', '104', 'Read Only', 1, 10),
    ('t_acme', 'rmm', '105', 'Operators', 1, 25),
    ('t_acme', 'rmm', '106', 'Operators', 1, 25),
    ('t_globex', 'ops', '201', 'Administrator', 1, 50),
    ('t_globex', 'ops', '202', 'Dispatcher', 1, 35),
    ('t_globex', 'ops', '203', 'Technician', 1, 30),
    ('t_globex', 'ops', '204', 'Viewer', 1, 10)
ON CONFLICT (tenant_id, module_id, id) DO UPDATE SET
    name = excluded.name, active = excluded.active, rank = excluded.rank;

-- The RMM's default security level for provisioned accounts is Technician (102) although Read
-- Only (104) is lower (provisioning stays off): the "default security level is not the lowest"
-- insight. The other defaults name RMM records (its `admin` user approves).
UPDATE module_settings
SET settings_json = json_set(settings_json, '$.defaults', json(
    '{"security_level":"102","timesheet_approver":"admin","department":"NOC",'
    || '"expense_report_approver":"admin","role":"Technician"}'))
WHERE tenant_id = 't_acme' AND module_id = 'rmm';

-- ==== gate provisioning (issue 6): automatic user provisioning and access groups ====
-- psa provisions a hub user who has no PSA account at their first hub sign-in, with the demo
-- PSA's defaults (security level 5 "Dashboard", its lowest active level). It keeps no access
-- groups, so a hub sign-in leaves a level changed inside the module as it is.
UPDATE module_settings
SET settings_json = json_set(settings_json, '$.provisioning', json('true'), '$.defaults', json(
    '{"security_level":"5","timesheet_approver":"manager","department":"Service Desk",'
    || '"expense_report_approver":"manager","role":"Technician"}'))
WHERE tenant_id = 't_acme' AND module_id = 'psa';

-- Hub groups named like demo PSA levels: "Sales" (two levels share the name: maps to nothing),
-- "Manager" (one level), "Former Staff" (one inactive level: maps to nothing).
INSERT INTO hub_groups (id, tenant_id, name) VALUES
    ('g_sales', 't_acme', 'Sales'),
    ('g_manager', 't_acme', 'Manager'),
    ('g_former', 't_acme', 'Former Staff')
ON CONFLICT (id) DO UPDATE SET name = excluded.name;

-- Two more gates in front of the demo PSA, for the provisioning tests:
--   prov     provisioning on; access groups in this order: Sales, Manager, Technician,
--            Help Desk, Former Staff; defaults other than the demo PSA's own (approvers admin
--            and sales.one, department Onboarding, role Junior Technician), which the gate
--            sends when it creates an account
--   provoff  provisioning off (existing accounts are linked, nobody is created); access group
--            Technician
INSERT OR IGNORE INTO modules (id, tenant_id, name, origin, upstream, icon) VALUES
    ('prov', 't_acme', 'Provisioning PSA', NULL, 'var:ONEGATE_DEMO_URL', NULL),
    ('provoff', 't_acme', 'PSA without provisioning', NULL, 'var:ONEGATE_DEMO_URL', NULL);

INSERT INTO module_settings (tenant_id, module_id, settings_json, updated_at) VALUES
    ('t_acme', 'prov',
     '{"unified_login":true,"provisioning":true,"defaults":{"security_level":"5",'
     || '"timesheet_approver":"admin","department":"Onboarding",'
     || '"expense_report_approver":"sales.one","role":"Junior Technician"},'
     || '"access_groups":["g_sales","g_manager","g_tech","g_helpdesk","g_former"]}',
     1767225600),
    ('t_acme', 'provoff', '{"unified_login":true,"access_groups":["g_tech"]}', 1767225600)
ON CONFLICT (tenant_id, module_id) DO UPDATE SET settings_json = excluded.settings_json;

INSERT INTO gate_modules
    (tenant_id, module_id, upstream_module, login_path, public_paths_json, scim_token) VALUES
    ('t_acme', 'prov', 'psa', '/login', '["/assets/", "/healthz"]', 'dev-scim-psa'),
    ('t_acme', 'provoff', 'psa', '/login', '["/assets/", "/healthz"]', 'dev-scim-psa')
ON CONFLICT (tenant_id, module_id) DO UPDATE SET
    upstream_module = excluded.upstream_module, scim_token = excluded.scim_token;

-- ==== admin screens (issue 6): module settings and the audit log ====
-- `adm` is one more gate in front of the demo PSA whose settings the admin tests change, so no
-- other suite's module moves under it. Its default security level is Technician although
-- Dashboard is lower (the screen shows the low-level advice); access groups Technician,
-- Manager (each maps to one level) and Sales (two levels share the name: maps to nothing).
-- `admb` is the same for the Chromium test, so the two suites never change one module at once.
-- Reset on every run. Admin test accounts (password hub-qa-tester-2026, like qa1..qa6):
--   admin.browser@acme.example  admin, for the Chromium test
--   viewer@acme.example         not an admin (node tests)
--   viewer.browser@acme.example not an admin (Chromium test)
INSERT OR IGNORE INTO modules (id, tenant_id, name, origin, upstream, icon) VALUES
    ('adm', 't_acme', 'Admin test PSA', NULL, 'var:ONEGATE_DEMO_URL', NULL),
    ('admb', 't_acme', 'Admin browser test PSA', NULL, 'var:ONEGATE_DEMO_URL', NULL);

INSERT INTO module_settings (tenant_id, module_id, settings_json, updated_at) VALUES
    ('t_acme', 'adm',
     '{"unified_login":true,"user_exceptions":["sales.one"],"defaults":{"security_level":"3",'
     || '"timesheet_approver":"manager","department":"Service Desk",'
     || '"expense_report_approver":"manager","role":"Technician"},'
     || '"access_groups":["g_tech","g_manager","g_sales"]}',
     1767225600),
    ('t_acme', 'admb',
     '{"unified_login":true,"user_exceptions":["sales.one"],"defaults":{"security_level":"3",'
     || '"timesheet_approver":"manager","department":"Service Desk",'
     || '"expense_report_approver":"manager","role":"Technician"},'
     || '"access_groups":["g_tech","g_manager","g_sales"]}',
     1767225600)
ON CONFLICT (tenant_id, module_id) DO UPDATE SET
    settings_json = excluded.settings_json, updated_at = excluded.updated_at;

INSERT INTO gate_modules
    (tenant_id, module_id, upstream_module, login_path, public_paths_json, scim_token) VALUES
    ('t_acme', 'adm', 'psa', '/login', '["/assets/", "/healthz"]', 'dev-scim-psa'),
    ('t_acme', 'admb', 'psa', '/login', '["/assets/", "/healthz"]', 'dev-scim-psa')
ON CONFLICT (tenant_id, module_id) DO UPDATE SET
    upstream_module = excluded.upstream_module, scim_token = excluded.scim_token;

INSERT INTO hub_users
    (id, tenant_id, email, email_verified, name, password_hash, totp_secret, is_admin, created_at)
VALUES
    ('u_adm_browser', 't_acme', 'admin.browser@acme.example', 1, 'Bea Browser-Admin',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'DT4Y236Q4A65NJJMG7A4732BHG567N7I', 1, 1767225600),
    ('u_adm_viewer', 't_acme', 'viewer@acme.example', 1, 'Vic Viewer',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'KXWUWOTCH6CKU3MQBTEICAQR37BFDMU3', 0, 1767225600),
    ('u_adm_viewer2', 't_acme', 'viewer.browser@acme.example', 1, 'Val Viewer',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'Y2PFUHGJQCNM3PNYMRV7TN7AQGCTNWYK', 0, 1767225600)
ON CONFLICT (id) DO UPDATE SET
    email = excluded.email, name = excluded.name, password_hash = excluded.password_hash,
    totp_secret = excluded.totp_secret, is_admin = excluded.is_admin;

-- Audit rows the admin audit test looks for (inserted once; the log is append-only): a
-- provisioning action and a sign-in decision in Acme, and a settings change in Globex. The
-- audit view lists settings and provisioning rows of the admin's own tenant only.
INSERT INTO gate_audit (at, tenant_id, module_id, request_id, event, outcome, rule, actor, detail)
SELECT 1767225600, 't_acme', 'adm', 'seed-admin-prov', 'provisioning', 'created',
       'seeded: account created at first hub sign-in', 'u_tom', '{"level":"5"}'
WHERE NOT EXISTS (SELECT 1 FROM gate_audit WHERE request_id = 'seed-admin-prov');
INSERT INTO gate_audit (at, tenant_id, module_id, request_id, event, outcome, rule)
SELECT 1767225601, 't_acme', 'adm', 'seed-admin-signin', 'sign_in', 'allowed',
       'seeded: a sign-in decision, not shown in the admin audit view'
WHERE NOT EXISTS (SELECT 1 FROM gate_audit WHERE request_id = 'seed-admin-signin');
INSERT INTO gate_audit (at, tenant_id, module_id, request_id, event, outcome, rule, actor, detail)
SELECT 1767225602, 't_globex', 'ops', 'seed-admin-globex', 'settings', 'saved',
       'seeded: a Globex settings change', 'u_gil', '{"changed":["unified_login"]}'
WHERE NOT EXISTS (SELECT 1 FROM gate_audit WHERE request_id = 'seed-admin-globex');

-- ==== security levels (the module is their source of truth) ====
-- `lvl` is one more gate in front of the demo RMM, for tests/security-levels.test.mjs: its hub
-- default security level is Technician (102) while Read Only (104) is lower, and it guards the
-- RMM's own security-level screen. Its admin (password hub-qa-tester-2026, signs in to the hub
-- for the settings screen and the insights) is levels.admin@acme.example.
INSERT OR IGNORE INTO modules (id, tenant_id, name, origin, upstream, icon) VALUES
    ('lvl', 't_acme', 'Levels test RMM', NULL, 'var:ONEGATE_DEMO_URL', NULL);

INSERT INTO module_settings (tenant_id, module_id, settings_json, updated_at) VALUES
    ('t_acme', 'lvl',
     '{"unified_login":true,"defaults":{"security_level":"102","timesheet_approver":"admin",'
     || '"department":"NOC","expense_report_approver":"admin","role":"Technician"}}',
     1767225600)
ON CONFLICT (tenant_id, module_id) DO UPDATE SET
    settings_json = excluded.settings_json, updated_at = excluded.updated_at;

INSERT INTO gate_modules
    (tenant_id, module_id, upstream_module, login_path, public_paths_json, scim_token,
     level_admin_path) VALUES
    ('t_acme', 'lvl', 'rmm', '/login', '["/assets/", "/healthz"]', 'dev-scim-rmm',
     '/admin/security-levels')
ON CONFLICT (tenant_id, module_id) DO UPDATE SET
    upstream_module = excluded.upstream_module, scim_token = excluded.scim_token,
    level_admin_path = excluded.level_admin_path;

INSERT INTO hub_users
    (id, tenant_id, email, email_verified, name, password_hash, totp_secret, is_admin, created_at)
VALUES
    ('u_lvl_admin', 't_acme', 'levels.admin@acme.example', 1, 'Lev Levels-Admin',
     '$argon2id$v=19$m=19456,t=2,p=1$BAQEBAQEBAQEBAQEBAQEBA$r/VQ8QH+shd30m0DzzvbzuiQmLGfWOZiwWSw5rA09MU',
     'PIU5OBENHOKWCY2RQ4VBYSA6N7WI5OX5', 1, 1767225600)
ON CONFLICT (id) DO UPDATE SET
    email = excluded.email, name = excluded.name, password_hash = excluded.password_hash,
    totp_secret = excluded.totp_secret, is_admin = excluded.is_admin;
