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
