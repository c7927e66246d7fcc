-- The demo modules' own stores: one D1 database, every row keyed by module ('psa' or 'rmm').
-- Ids are unique across modules; queries always filter by module, so the modules never see
-- each other's users.

CREATE TABLE security_levels (
  id INTEGER PRIMARY KEY,
  module TEXT NOT NULL CHECK (module IN ('psa', 'rmm')),
  name TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  -- lower is less privileged
  rank INTEGER NOT NULL
);
CREATE INDEX security_levels_by_module ON security_levels (module);

CREATE TABLE module_settings (
  module TEXT PRIMARY KEY CHECK (module IN ('psa', 'rmm')),
  default_security_level_id INTEGER NOT NULL REFERENCES security_levels (id),
  default_license_type TEXT NOT NULL,
  default_department TEXT NOT NULL,
  default_role TEXT NOT NULL,
  default_timesheet_approver TEXT NOT NULL,
  default_expense_report_approver TEXT NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  module TEXT NOT NULL CHECK (module IN ('psa', 'rmm')),
  username TEXT NOT NULL COLLATE NOCASE,
  email TEXT COLLATE NOCASE,
  -- Argon2id PHC string; NULL for accounts that only sign in through the gate
  password_hash TEXT,
  license_type TEXT NOT NULL CHECK (license_type IN
    ('Full', 'Dashboard User', 'Co-Managed Help Desk User', 'Contractor')),
  security_level_id INTEGER NOT NULL REFERENCES security_levels (id),
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
-- user names are unique per module, ignoring case: concurrent creates of one name yield one row
CREATE UNIQUE INDEX users_username_per_module ON users (module, username COLLATE NOCASE);
CREATE UNIQUE INDEX users_external_id_per_module ON users (module, external_id)
  WHERE external_id IS NOT NULL;
CREATE INDEX users_email_per_module ON users (module, email COLLATE NOCASE);

CREATE TABLE psa_tickets (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  account TEXT NOT NULL,
  status TEXT NOT NULL,
  priority TEXT NOT NULL
);

CREATE TABLE rmm_devices (
  id INTEGER PRIMARY KEY,
  hostname TEXT NOT NULL UNIQUE,
  os TEXT NOT NULL,
  status TEXT NOT NULL,
  last_seen TEXT NOT NULL
);
