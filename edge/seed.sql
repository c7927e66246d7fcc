-- Demo data for local development and the end-to-end tests. Must stay idempotent: `cargo xtask
-- dev` runs it on every start, after the migrations.
INSERT OR IGNORE INTO tenants (id, slug, name, created_at)
VALUES ('t_acme', 'acme', 'Acme Managed Services', 1767225600);
