-- The hub: users, groups, entitlements, sessions, two-factor state, sign-in throttling, and the
-- OpenID Connect provider's modules, clients and authorization codes. Times are unix seconds.

-- A module a tenant subscribes to (shared with the gate: 0200 declares the same columns with
-- IF NOT EXISTS). `id` is also the module's host label (`psa` for `psa.localhost`) and its OIDC
-- client id. `origin` is the gate's origin users open (NULL: `<id>.<hub host>`, same scheme and
-- port); `upstream` the module's own origin behind the gate (`var:NAME` reads a Worker var).
CREATE TABLE modules (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    origin TEXT,
    upstream TEXT NOT NULL,
    icon TEXT,
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX modules_tenant ON modules(tenant_id);

-- Hub accounts. Emails are unique across the hub (the sign-in form has no tenant field) and
-- stored lower-case. `password_hash` is an Argon2id PHC string. `totp_secret` is base32 once
-- two-factor is enrolled; `totp_pending` holds the secret shown during enrolment until the
-- first code confirms it; `totp_last_step` is the step of the last accepted code (no reuse).
CREATE TABLE hub_users (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    email TEXT NOT NULL UNIQUE,
    email_verified INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    totp_pending TEXT,
    totp_last_step INTEGER,
    is_admin INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX hub_users_tenant ON hub_users(tenant_id);

-- Single-use recovery codes: SHA-256 of the normalised code; a used code is deleted.
CREATE TABLE hub_recovery_codes (
    user_id TEXT NOT NULL REFERENCES hub_users(id),
    code_hash TEXT NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);

-- Hub groups (access groups an admin maps to module security levels by name).
CREATE TABLE hub_groups (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE hub_group_members (
    group_id TEXT NOT NULL REFERENCES hub_groups(id),
    user_id TEXT NOT NULL REFERENCES hub_users(id),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX hub_group_members_user ON hub_group_members(user_id);

-- Which modules a user may open (the portal tiles and the launcher menu).
CREATE TABLE entitlements (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    user_id TEXT NOT NULL REFERENCES hub_users(id),
    module_id TEXT NOT NULL REFERENCES modules(id),
    PRIMARY KEY (user_id, module_id)
);

-- Hub sessions. The cookie carries `id` plus an HMAC of it; `id` is also the `sid` claim that
-- gates use to notice sign-out (`revoked_at` set).
CREATE TABLE hub_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    user_id TEXT NOT NULL REFERENCES hub_users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    amr TEXT NOT NULL DEFAULT 'pwd otp'
);
CREATE INDEX hub_sessions_user ON hub_sessions(user_id);

-- Failed sign-in attempts per key (`account:<user id>` or `ip:<address>`), in a fixed window.
CREATE TABLE hub_signin_throttle (
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    window_start INTEGER NOT NULL
);

-- OIDC clients: one per module (`id` = module id). `secret_hash` is SHA-256 (hex) of the
-- client secret. Redirect URIs are JSON arrays of strings, compared exactly.
CREATE TABLE clients (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    secret_hash TEXT NOT NULL,
    redirect_uris TEXT NOT NULL,
    post_logout_redirect_uris TEXT NOT NULL DEFAULT '[]'
);

-- Authorization codes: only the SHA-256 of the code is stored. `used_at` makes them single-use.
CREATE TABLE auth_codes (
    code_hash TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients(id),
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    user_id TEXT NOT NULL REFERENCES hub_users(id),
    session_id TEXT NOT NULL REFERENCES hub_sessions(id),
    redirect_uri TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    nonce TEXT,
    scope TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    used_at INTEGER
);
