-- Modules are instances, one per customer (`psa` and `rmm` for Acme, `globex-psa` for Globex),
-- each with its own levels, settings, users, tickets and devices. 0001 allowed only 'psa' and
-- 'rmm' (a CHECK SQLite cannot change in place), so the three keyed tables are rebuilt without
-- it: the Worker's `Module` list is what names a module. Tickets and devices gain the module
-- they belong to (the existing rows are Acme's).
PRAGMA defer_foreign_keys = true;

CREATE TABLE security_levels_by_instance (
  id INTEGER PRIMARY KEY,
  module TEXT NOT NULL,
  name TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  -- lower is less privileged
  rank INTEGER NOT NULL
);
INSERT INTO security_levels_by_instance (id, module, name, active, rank)
SELECT id, module, name, active, rank FROM security_levels;

CREATE TABLE module_settings_by_instance (
  module TEXT PRIMARY KEY,
  default_security_level_id INTEGER NOT NULL REFERENCES security_levels_by_instance (id),
  default_license_type TEXT NOT NULL,
  default_department TEXT NOT NULL,
  default_role TEXT NOT NULL,
  default_timesheet_approver TEXT NOT NULL,
  default_expense_report_approver TEXT NOT NULL
);
INSERT INTO module_settings_by_instance SELECT module, default_security_level_id,
  default_license_type, default_department, default_role, default_timesheet_approver,
  default_expense_report_approver FROM module_settings;

CREATE TABLE users_by_instance (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  module TEXT NOT NULL,
  username TEXT NOT NULL COLLATE NOCASE,
  email TEXT COLLATE NOCASE,
  -- Argon2id PHC string; NULL for accounts that only sign in through the gate
  password_hash TEXT,
  license_type TEXT NOT NULL CHECK (license_type IN
    ('Full', 'Dashboard User', 'Co-Managed Help Desk User', 'Contractor')),
  security_level_id INTEGER NOT NULL REFERENCES security_levels_by_instance (id),
  department TEXT NOT NULL,
  role TEXT NOT NULL,
  timesheet_approver TEXT NOT NULL,
  expense_report_approver TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  -- the hub's id for the linked hub user (SCIM externalId)
  external_id TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
INSERT INTO users_by_instance SELECT id, module, username, email, password_hash, license_type,
  security_level_id, department, role, timesheet_approver, expense_report_approver, active,
  external_id, created_at, updated_at FROM users;

DROP TABLE users;
DROP TABLE module_settings;
DROP TABLE security_levels;
ALTER TABLE security_levels_by_instance RENAME TO security_levels;
ALTER TABLE module_settings_by_instance RENAME TO module_settings;
ALTER TABLE users_by_instance RENAME TO users;

CREATE INDEX security_levels_by_module ON security_levels (module);
-- user names are unique per module, ignoring case: concurrent creates of one name yield one row
CREATE UNIQUE INDEX users_username_per_module ON users (module, username COLLATE NOCASE);
CREATE UNIQUE INDEX users_external_id_per_module ON users (module, external_id)
  WHERE external_id IS NOT NULL;
CREATE INDEX users_email_per_module ON users (module, email COLLATE NOCASE);

ALTER TABLE psa_tickets ADD COLUMN module TEXT NOT NULL DEFAULT 'psa';
ALTER TABLE rmm_devices ADD COLUMN module TEXT NOT NULL DEFAULT 'rmm';
