-- A client's back-channel logout URI (OpenID Connect Back-Channel Logout 1.0): when a hub
-- session the client received tokens for ends, the hub posts a logout token there
-- (edge/src/hub/oidc.rs, `tell_clients`). NULL: the client is not told. The Worker's own gates
-- need none (they read hub_sessions); a gate running apart from its hub registers its
-- /.onegate/backchannel-logout.
ALTER TABLE clients ADD COLUMN backchannel_logout_uri TEXT;
