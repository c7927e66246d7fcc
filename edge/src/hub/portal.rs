//! The portal home: a tile for every module the signed-in user is entitled to. Each tile links
//! to the gate's `/.onegate/login` on the module's origin; the gate asks the hub, and the hub
//! answers at once because the hub session exists, so the module opens already signed in.

use minijinja::context;
use worker::{Request, Response, Result};

use super::Hub;
use super::pages;
use super::session;
use crate::common::brand;

/// `GET /`: the tiles, or the sign-in form first.
pub async fn home(hub: &Hub, req: &Request) -> Result<Response> {
    let Some((_, user)) = session::current(hub, req).await? else {
        return pages::see_other("/signin", &[]);
    };

    let tiles: Vec<minijinja::Value> = hub
        .store
        .tiles(&user)
        .await?
        .into_iter()
        .map(|tile| {
            // The gate's login route starts the hub sign-in at once (silent: the hub session
            // exists) and returns to the module's home page.
            let origin = hub.module_origin(&tile.id, tile.origin.as_deref());
            let href = format!("{origin}/.onegate/login?return_to=%2F");
            let initials: String = tile.id.chars().take(3).collect::<String>().to_uppercase();
            context! {
                id => tile.id, name => tile.name, description => tile.description, href, initials,
            }
        })
        .collect();
    let recovery_left = hub.store.recovery_codes_left(&user.id).await?;
    let user_ctx = context! {
        name => user.name, email => user.email, is_admin => user.is_admin == 1,
    };
    let ctx = context! { user => user_ctx, tiles, recovery_left };
    pages::page(200, "home.html", brand::name(), ctx)
}
