-- The gate's tables: the modules it stands in front of, their login settings, the module
-- accounts it has seen, the shared JWKS cache and an audit log. Every row belongs to a tenant.

-- Modules (shared with the hub, which may have created it first with these same columns).
-- `origin` NULL means "derived from the hub origin": <id>.<hub host>, same scheme and port.
-- `upstream` is the module's own origin; `var:NAME` reads it from the Worker variable NAME
-- (development, where the demo Worker's port is chosen at start).
CREATE TABLE IF NOT EXISTS modules (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    origin TEXT,
    upstream TEXT NOT NULL,
    icon TEXT
);

-- Core's ModuleSettings as JSON, written only after onegate_core::settings::validate accepts it.
CREATE TABLE module_settings (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    module_id TEXT NOT NULL,
    settings_json TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, module_id)
);

-- How the gate talks to a module: the module name the upstream serves it under (sent as
-- X-Onegate-Module; NULL: the module id), its login form path, the paths anyone may load
-- without a session (stylesheets, the login page's assets), and its SCIM bearer token.
CREATE TABLE gate_modules (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    module_id TEXT NOT NULL,
    upstream_module TEXT,
    login_path TEXT NOT NULL DEFAULT '/login',
    public_paths_json TEXT NOT NULL DEFAULT '[]',
    scim_token TEXT,
    PRIMARY KEY (tenant_id, module_id)
);

-- Where the tenant's hub publishes its keys. No row (or NULL) means this Worker's own hub.
CREATE TABLE gate_hubs (
    tenant_id TEXT PRIMARY KEY NOT NULL REFERENCES tenants(id),
    jwks_url TEXT
);

-- The shared JWKS cache: the last good document per URL, so a new isolate starts warm and
-- keeps working while the hub is down.
CREATE TABLE gate_jwks_cache (
    jwks_url TEXT PRIMARY KEY NOT NULL,
    jwks_json TEXT NOT NULL,
    fetched_at INTEGER NOT NULL
);

-- Module accounts the gate has matched to hub users (the username and license only).
CREATE TABLE module_account_links (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    module_id TEXT NOT NULL,
    hub_user_id TEXT NOT NULL,
    username TEXT NOT NULL,
    license_type TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, module_id, hub_user_id)
);

-- Sign-in decisions, with the rule that made them (no tokens, passwords or emails).
CREATE TABLE gate_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    tenant_id TEXT NOT NULL,
    module_id TEXT NOT NULL,
    request_id TEXT NOT NULL,
    event TEXT NOT NULL,
    outcome TEXT NOT NULL,
    rule TEXT NOT NULL
);
CREATE INDEX gate_audit_by_module ON gate_audit (tenant_id, module_id, at);
