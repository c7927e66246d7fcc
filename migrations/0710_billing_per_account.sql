-- Provisioning charges, one per created module account. A created account is a new seat: an
-- account provisioned again after the module's was deleted is charged again. 0300/0400 keyed
-- the line by (tenant, module, hub user, kind), so the second seat of a hub user was dropped;
-- the line now names the module's id for the account it charges (`account_id`; NULL for lines
-- written before this migration) and is unique per account. SQLite cannot drop a UNIQUE
-- constraint in place, so the table is rebuilt with its rows.
CREATE TABLE billing_lines_per_account (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    module_id TEXT NOT NULL,
    hub_user TEXT NOT NULL,
    account_id TEXT,
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (tenant_id, module_id, account_id, kind)
);
INSERT INTO billing_lines_per_account (id, tenant_id, module_id, hub_user, kind, date, created_at)
SELECT id, tenant_id, module_id, hub_user, kind, date, created_at FROM billing_lines;
DROP TABLE billing_lines;
ALTER TABLE billing_lines_per_account RENAME TO billing_lines;
CREATE INDEX billing_lines_tenant ON billing_lines (tenant_id, date DESC);
