-- A seat the gate is about to create in a module, written before its SCIM create. The create
-- and the link with its billing line cannot be one transaction (one is the module's, the other
-- D1's), so when the module made the account but the gate never recorded it (D1 failed after
-- the create, the Worker was stopped, the module's answer was lost), the next sign-in links
-- the account and turns this row into its billing line instead of leaving the seat unbilled.
-- A module that refused the create (a 4xx, or 409 because the account exists) removes it.
-- (edge/src/gate/provision.rs)
CREATE TABLE pending_seats (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    module_id TEXT NOT NULL,
    hub_user TEXT NOT NULL,
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX pending_seats_user ON pending_seats (tenant_id, module_id, hub_user);
