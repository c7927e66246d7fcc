-- When any isolate last tried to fetch a JWKS, so the refetch cooldown holds across isolates:
-- an isolate fetches only after claiming the attempt here (an upsert that succeeds only when
-- the last attempt is older than the cooldown).
ALTER TABLE gate_jwks_cache ADD COLUMN last_attempt INTEGER;
