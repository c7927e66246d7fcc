-- Optimistic concurrency for the admin's settings screen: every save adds one to `version`,
-- and a save is written only while the version is still the one its form was read at; a save
-- from a stale form is refused with 409 and writes nothing (edge/src/admin/settings.rs).
ALTER TABLE module_settings ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
