-- How the gate speaks SCIM to a module that is not the onegate demo (issue 6, interop).
-- scim_base: the SCIM base URL (`var:NAME` reads a Worker variable); NULL: `<upstream>/scim/v2`.
-- scim_profile: where the security level travels.
--   'onegate' (default): the module extension
--     urn:onegate:params:scim:schemas:extension:module:2.0:User `securityLevel`, and the module's
--     levels come from its read-only `GET /SecurityLevels`;
--   'roles': the standard core attribute `roles` (one value, the level id), for any RFC 7643
--     server; the module's levels then come from scim_levels_json.
-- scim_levels_json: the module's levels for the 'roles' profile, a JSON list of
--   {"id", "name", "active", "rank"} (the same fields as /SecurityLevels).
ALTER TABLE gate_modules ADD COLUMN scim_base TEXT;
ALTER TABLE gate_modules ADD COLUMN scim_profile TEXT NOT NULL DEFAULT 'onegate'
    CHECK (scim_profile IN ('onegate', 'roles'));
ALTER TABLE gate_modules ADD COLUMN scim_levels_json TEXT;
