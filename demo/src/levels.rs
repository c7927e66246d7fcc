//! The module's own security-level screen, for its administrators: list the levels, inactivate,
//! activate or delete one. Changes go straight to the module's D1 store.
//!
//! | route | what |
//! |---|---|
//! | `GET /admin/security-levels` | the levels, with their users and a form per change |
//! | `POST /admin/security-levels/{id}/inactivate` | marks the level inactive |
//! | `POST /admin/security-levels/{id}/activate` | marks it active again |
//! | `POST /admin/security-levels/{id}/delete` | deletes it (refused while users hold it) |
//!
//! Only a signed-in user at a level named `Administrator` may use it (403 otherwise). The
//! module refuses what would break its own store: deleting a level users still hold, or
//! inactivating or deleting its own default for new accounts (409). Whether a level is the
//! hub's default for provisioned accounts is not the module's business: the gate in front of it
//! refuses those changes before they arrive (`edge/src/gate/levels.rs`).

use minijinja::context;
use worker::{Env, Method, Request, Response, Result};

use crate::app::{self, current_user};
use crate::module::Module;
use crate::pages::{self, see_other};
use crate::store::{LevelChange, Store};

/// The path of the screen inside a module.
pub const PATH: &str = "/admin/security-levels";

/// The level name whose users administer the module.
const ADMIN_LEVEL: &str = "Administrator";

/// Answers a request under [`PATH`] (`rest` is what follows it).
pub async fn handle(
    req: Request,
    env: &Env,
    module: Module,
    base: &str,
    rest: &str,
) -> Result<Response> {
    let store = Store::open(env, module)?;
    let Some((user, _)) = current_user(&req, env, module, &store).await? else {
        return see_other(&format!("{base}/login"));
    };
    if user.security_level_name.as_deref() != Some(ADMIN_LEVEL) {
        let text = "Only a module administrator (security level Administrator) may change \
                    security levels.";
        return app::message(403, Some(module), base, "Not allowed", text, env);
    }

    let segments: Vec<&str> = rest.split('/').filter(|it| !it.is_empty()).collect();
    match (req.method(), segments.as_slice()) {
        (Method::Get, []) => list(env, module, base, &store, &user.username).await,
        (Method::Post, [id, action]) => {
            let Some(change) = LevelChange::parse(action) else {
                return app::message(404, Some(module), base, "Not found", "No such change.", env);
            };
            let Ok(id) = id.parse::<i64>() else {
                let text = format!("There is no security level {id} in this module.");
                return app::message(404, Some(module), base, "Not found", &text, env);
            };
            change_level(env, module, base, &store, id, change).await
        }
        (_, [] | [_, _]) => {
            app::message(405, Some(module), base, "Method not allowed", "Use the forms.", env)
        }
        _ => app::message(404, Some(module), base, "Not found", "There is no page here.", env),
    }
}

async fn list(
    env: &Env,
    module: Module,
    base: &str,
    store: &Store,
    username: &str,
) -> Result<Response> {
    let levels = store.security_levels().await?;
    let mut rows = Vec::new();
    for level in &levels {
        let users = store.users_at_level(level.id).await?;
        rows.push(context! {
            id => level.id, name => level.name, rank => level.rank,
            active => level.active != 0, users,
        });
    }
    let ctx = context! {
        base, module => module.slug(), module_title => module.title(), username,
        levels => rows,
    };
    let body = pages::render("levels.html", ctx).unwrap_or_else(|e| e);
    pages::html(200, body, app::hub_origin(env).as_deref())
}

async fn change_level(
    env: &Env,
    module: Module,
    base: &str,
    store: &Store,
    id: i64,
    change: LevelChange,
) -> Result<Response> {
    let levels = store.security_levels().await?;
    let Some(level) = levels.iter().find(|it| it.id == id) else {
        let text = format!("There is no security level {id} in this module.");
        return app::message(404, Some(module), base, "Not found", &text, env);
    };

    let own_default = store.settings().await?.map(|it| it.default_security_level_id);
    if change != LevelChange::Activate && own_default == Some(id) {
        let text = format!(
            "{} is this module's own default for new users; choose another default first.",
            level.name
        );
        return app::message(409, Some(module), base, "Level in use", &text, env);
    }
    if change == LevelChange::Delete {
        let users = store.users_at_level(id).await?;
        if users > 0 {
            let text = format!(
                "{} still has {users} user(s); give them another level before deleting it.",
                level.name
            );
            return app::message(409, Some(module), base, "Level in use", &text, env);
        }
    }

    store.change_level(id, change).await?;
    see_other(&format!("{base}{PATH}"))
}
