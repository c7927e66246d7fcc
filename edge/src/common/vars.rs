//! Reading Worker variables (`[vars]` in wrangler.toml, `--var` in development).

use worker::Env;

/// The variable `name` as a string, `None` when unset or empty.
pub fn var(env: &Env, name: &str) -> Option<String> {
    env.var(name).ok().map(|it| it.to_string()).filter(|it| !it.trim().is_empty())
}

/// The `SESSION_SECRET` bytes, `None` when unset or shorter than 16 bytes.
pub fn session_secret(env: &Env) -> Option<Vec<u8>> {
    var(env, "SESSION_SECRET").filter(|it| it.len() >= 16).map(String::into_bytes)
}
