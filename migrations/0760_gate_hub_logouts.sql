-- Sign-outs an external hub (gate_hubs.jwks_url) told a gate about over OpenID Connect
-- Back-Channel Logout: a verified logout token ends the hub session `sid`, or, naming only
-- `sub`, every session of that hub user started at or before `at` (the token's iat). The gate
-- checks its sessions of an external hub against these rows as it checks the Worker's own hub
-- sessions against hub_sessions (edge/src/gate/mod.rs). Rows older than a gate session can live
-- are removed as new ones arrive. `jti` makes a replayed token a no-op.
CREATE TABLE gate_hub_logouts (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    module_id TEXT NOT NULL,
    jti TEXT NOT NULL,
    sid TEXT,
    sub TEXT,
    at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, module_id, jti)
);
CREATE INDEX gate_hub_logouts_sid ON gate_hub_logouts (tenant_id, module_id, sid);
CREATE INDEX gate_hub_logouts_sub ON gate_hub_logouts (tenant_id, module_id, sub);
