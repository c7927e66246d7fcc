-- The admin screens (issue 6): the audit log view lists a tenant's settings changes and
-- provisioning actions newest first, paged on the row id. Admins are `hub_users.is_admin` (0100);
-- settings changes are `gate_audit` rows with event `settings`, actor the hub user id and
-- detail `{"changed": [setting names]}`.
CREATE INDEX IF NOT EXISTS gate_audit_by_tenant ON gate_audit (tenant_id, event, id);
