-- Demo data for local development and the end-to-end tests. Must stay idempotent: `cargo xtask
-- dev` runs it on every start, after the migrations.
INSERT OR IGNORE INTO tenants (id, slug, name, created_at)
VALUES ('t_acme', 'acme', 'Acme Managed Services', 1767225600);

-- ==== gate: modules, their login settings, and how the gate reaches them ====
-- Every login rule of PRODUCT.md is visible on one of these modules:
--   psa     unified login + require hub login; user exception sales.one; barred licenses
--           (helpdesk, dashboard, contractor) are implicit exceptions; LiveMobile refused
--   rmm     unified login only: module credentials keep working, hub login optional
--   legacy  unified login off (the demo RMM again): hub login refused, LiveMobile allowed
--   ops     tenant Globex, whose hub JWKS URL is unreachable: only its cached keys work
-- Upstream `var:ONEGATE_DEMO_URL` is the demo module Worker (its port is chosen at start).
INSERT OR IGNORE INTO tenants (id, slug, name, created_at)
VALUES ('t_globex', 'globex', 'Globex (hub keys cached, hub unreachable)', 1767225600);

INSERT OR IGNORE INTO modules (id, tenant_id, name, origin, upstream, icon) VALUES
    ('psa', 't_acme', 'Demo PSA', NULL, 'var:ONEGATE_DEMO_URL', NULL),
    ('rmm', 't_acme', 'Demo RMM', NULL, 'var:ONEGATE_DEMO_URL', NULL),
    ('legacy', 't_acme', 'Legacy RMM (unified login off)', NULL, 'var:ONEGATE_DEMO_URL', NULL),
    ('ops', 't_globex', 'Globex PSA', NULL, 'var:ONEGATE_DEMO_URL', NULL);

INSERT INTO module_settings (tenant_id, module_id, settings_json, updated_at) VALUES
    ('t_acme', 'psa',
     '{"unified_login":true,"require_hub_login":true,"user_exceptions":["sales.one"]}',
     1767225600),
    ('t_acme', 'rmm', '{"unified_login":true}', 1767225600),
    ('t_acme', 'legacy', '{}', 1767225600),
    ('t_globex', 'ops', '{"unified_login":true}', 1767225600)
ON CONFLICT (tenant_id, module_id) DO UPDATE SET settings_json = excluded.settings_json;

INSERT INTO gate_modules
    (tenant_id, module_id, upstream_module, login_path, public_paths_json, scim_token) VALUES
    ('t_acme', 'psa', 'psa', '/login', '["/assets/", "/healthz"]', 'dev-scim-psa'),
    ('t_acme', 'rmm', 'rmm', '/login', '["/assets/", "/healthz"]', 'dev-scim-rmm'),
    ('t_acme', 'legacy', 'rmm', '/login', '["/assets/", "/healthz"]', 'dev-scim-rmm'),
    ('t_globex', 'ops', 'psa', '/login', '["/assets/", "/healthz"]', 'dev-scim-psa')
ON CONFLICT (tenant_id, module_id) DO UPDATE SET
    upstream_module = excluded.upstream_module, login_path = excluded.login_path,
    public_paths_json = excluded.public_paths_json, scim_token = excluded.scim_token;

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
