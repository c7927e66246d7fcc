-- A sign-in in a browser that already holds a hub session (a module asked for a fresh sign-in
-- with prompt=login or max_age, or someone else signed in over it) starts a new session that
-- names the one it replaced. The gate sessions opened under the old one stay in that browser,
-- so signing out revokes the whole chain: every module session of the browser ends, not only
-- those opened since the last sign-in (edge/src/hub/store.rs, `revoke_session`).
ALTER TABLE hub_sessions ADD COLUMN replaces TEXT;
