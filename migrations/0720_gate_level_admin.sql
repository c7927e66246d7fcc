-- Where a module's own screens change its security levels (e.g. `/admin/security-levels`, the
-- demo modules' page). The gate refuses `POST <path>/<level id>/inactivate|delete` for the
-- hub's default security level with core's message (edge/src/gate/levels.rs). NULL: the gate
-- does not guard the module's level changes.
ALTER TABLE gate_modules ADD COLUMN level_admin_path TEXT;
