-- Security levels, module settings and the items the home pages list, per module: Acme's PSA
-- and RMM, and Globex's own PSA (`globex-psa`, levels 201-204), which shares nothing with Acme's.
-- Names equal to hub access group names ("Technician", "Help Desk") let access-group mapping be
-- tested; the two "Sales" levels (and RMM's two "Operators") exercise the exactly-one rule.

INSERT OR REPLACE INTO security_levels (id, module, name, active, rank) VALUES
  (1, 'psa', 'Administrator', 1, 50),
  (2, 'psa', 'Manager', 1, 40),
  (3, 'psa', 'Technician', 1, 30),
  (4, 'psa', 'Help Desk', 1, 20),
  (5, 'psa', 'Dashboard', 1, 10),
  (6, 'psa', 'Sales', 1, 25),
  (7, 'psa', 'Sales', 1, 25),
  (8, 'psa', 'Former Staff', 0, 0),
  (101, 'rmm', 'Administrator', 1, 50),
  (102, 'rmm', 'Technician', 1, 30),
  (103, 'rmm', 'Help Desk', 1, 20),
  (104, 'rmm', 'Read Only', 1, 10),
  (105, 'rmm', 'Operators', 1, 25),
  (106, 'rmm', 'Operators', 1, 25),
  (201, 'globex-psa', 'Administrator', 1, 50),
  (202, 'globex-psa', 'Dispatcher', 1, 35),
  (203, 'globex-psa', 'Technician', 1, 30),
  (204, 'globex-psa', 'Viewer', 1, 10);

INSERT OR REPLACE INTO module_settings (module, default_security_level_id, default_license_type,
    default_department, default_role, default_timesheet_approver, default_expense_report_approver)
  VALUES
  ('psa', 5, 'Full', 'Service Desk', 'Technician', 'manager', 'manager'),
  ('rmm', 104, 'Full', 'NOC', 'Operator', 'admin', 'admin'),
  ('globex-psa', 204, 'Full', 'Dispatch', 'Technician', 'gwen', 'gwen');

INSERT OR REPLACE INTO psa_tickets (id, module, number, title, account, status, priority) VALUES
  (1, 'psa', 'T20260401.0001', 'Printer offline on 2nd floor', 'Acme Dental', 'New', 'Medium'),
  (2, 'psa', 'T20260401.0002', 'Onboard new hire: R. Ortiz', 'Acme Dental', 'In Progress', 'High'),
  (3, 'psa', 'T20260402.0003', 'VPN drops every 10 minutes', 'Birch Legal', 'Waiting Customer',
   'High'),
  (4, 'psa', 'T20260403.0004', 'Renew SSL certificate for portal', 'Cobalt Freight', 'Complete',
   'Low'),
  (1001, 'globex-psa', 'G20260405.0001', 'Dispatcher calendar shows no appointments',
   'Globex Field Services', 'New', 'High');

INSERT OR REPLACE INTO rmm_devices (id, module, hostname, os, status, last_seen) VALUES
  (1, 'rmm', 'ACME-FS01', 'Windows Server 2022', 'online', '2026-04-20T08:15:00Z'),
  (2, 'rmm', 'ACME-WS-014', 'Windows 11 Pro', 'alerting', '2026-04-20T08:11:00Z'),
  (3, 'rmm', 'BIRCH-MBP-02', 'macOS 15', 'offline', '2026-04-18T17:40:00Z'),
  (4, 'rmm', 'COBALT-EDGE', 'Ubuntu 24.04', 'online', '2026-04-20T08:14:00Z');
