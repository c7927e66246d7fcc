-- Provisioning (the gate, issue 6): links between hub users and module accounts, the audit
-- trail's actor, and the billing lines that provisioned seats add.

-- A link names the module's own id for the account. One account per hub user and module (the
-- primary key of 0200) and one hub user per account (this index): concurrent first sign-ins
-- race on these constraints, and exactly one link wins.
ALTER TABLE module_account_links ADD COLUMN account_id TEXT;
CREATE UNIQUE INDEX module_account_links_account
    ON module_account_links (tenant_id, module_id, account_id);

-- Who acted (a hub user id, never an email) and what was touched (ids and level ids only).
ALTER TABLE gate_audit ADD COLUMN actor TEXT;
ALTER TABLE gate_audit ADD COLUMN detail TEXT;

-- Charges from provisioning (core's provisioning::BillingLine). The portal's 0300 migration
-- creates the same table; whichever runs first wins and the other is a no-op.
CREATE TABLE IF NOT EXISTS billing_lines (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    module_id TEXT NOT NULL,
    hub_user TEXT NOT NULL,
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (tenant_id, module_id, hub_user, kind)
);
CREATE INDEX IF NOT EXISTS billing_lines_tenant ON billing_lines (tenant_id, date DESC);
