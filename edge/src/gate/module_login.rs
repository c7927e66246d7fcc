//! Module-credential logins: the gate intercepts the module's login form post, reads only the
//! username, looks up the account's license over SCIM (unless core can decide without it) and
//! asks core. When the license matters and the module cannot be asked, the user gets a 503 page
//! that says so: a barred license is never mistaken for one that must use the hub. `SendToHub`
//! answers a redirect to the hub login (the password is never forwarded), `Refuse` the refusal
//! page, and `Allow` forwards the form unchanged to the module. A login the module accepts (a
//! redirect that sets a cookie) gets a gate session marked "module credentials", so the
//! launcher shows the hub icon and required hub login does not bounce the exception back to the
//! hub; it is also recorded as a module-credentials sign-in for the insights.

use onegate_core::login::Outcome;
use onegate_core::model::LoginMethod;
use worker::{Request, Result};

use super::pages::{Link, Page};
use super::scim::{self, Lookup, ScimFailure};
use super::session::{self, GateSession, Sessions, Via};
use super::{Answer, Cx, pass_through};

/// The largest login form read, in bytes.
pub const MAX_FORM_BYTES: usize = 16 * 1024;

/// Handles a post to the module's login form.
pub async fn intercept(mut req: Request, cx: &Cx<'_>) -> Result<Answer> {
    let body = req.bytes().await.unwrap_or_default();
    if body.len() > MAX_FORM_BYTES {
        let page = Page {
            status: 413,
            module_name: &cx.gm.module.name,
            heading: "The form is too large",
            message: &format!("a login form may be at most {MAX_FORM_BYTES} bytes"),
            rule: None,
            links: vec![back(cx)],
        };
        return Ok(Answer::new(page.respond()?, "form_too_large"));
    }

    let username = username_of(&body);
    let early = cx.decide_before_lookup(LoginMethod::ModuleCredentials, username.as_deref());
    let account = match (early, username.as_deref()) {
        // A refusal needs no account; neither does a form without a username.
        (Some(it), _) if it.outcome != Outcome::Allow => None,
        (_, None) => None,
        (_, Some(name)) => match scim::find(cx, Lookup::Username(name)).await {
            Ok(account) => account,
            // Without SCIM the gate never learns licenses: an account counts as Full.
            Err(ScimFailure::NotConfigured) => None,
            // Only the insights miss this sign-in; the decision did not need the license.
            Err(_) if early.is_some() => None,
            Err(failure) => return license_unknown(cx, &failure).await,
        },
    };
    let license = account.as_ref().and_then(|it| it.license_type);
    let decision = early
        .unwrap_or_else(|| cx.decide(LoginMethod::ModuleCredentials, username.as_deref(), license));
    cx.audit("module_login", outcome_code(decision.outcome), decision.rule.code()).await;

    match decision.outcome {
        Outcome::SendToHub => {
            let location = cx.sign_in_url(&format!("{}/", cx.gm.module.origin));
            Ok(Answer::new(cx.redirect(&location, &[])?, "send_to_hub:hub_login_required"))
        }
        Outcome::Refuse => cx.refusal(decision),
        Outcome::Allow => {
            let mut answer = pass_through(req, cx, None, Some(body)).await?;
            let accepted = (300..400).contains(&answer.response.status_code())
                && answer.response.headers().has("Set-Cookie").unwrap_or(false);
            if accepted {
                // FIXME: an account whose license the module's SCIM endpoint did not tell (or
                // could not be asked) is not recorded: the insights need the license type.
                if let Some((name, license)) =
                    account.as_ref().and_then(|it| Some((it.username.as_str(), it.license_type?)))
                {
                    cx.record_sign_in(name, license, LoginMethod::ModuleCredentials).await;
                }
                let marker = GateSession {
                    module: cx.gm.module.id.clone(),
                    tenant: cx.gm.tenant_id.clone(),
                    via: Via::ModuleCredentials,
                    sub: None,
                    sid: None,
                    username: account.map(|it| it.username),
                    modules: vec![],
                    exp: cx.now + i64::from(session::SESSION_SECS),
                };
                let value = Sessions::new(&cx.secret).seal(&marker);
                let cookie = session::cookie(cx.https).set(&value);
                answer.response.headers_mut().append("Set-Cookie", &cookie)?;
            }
            answer.decision = format!("allow:{}", decision.rule.code());
            Ok(answer)
        }
    }
}

/// The 503 page for a login whose decision needs the account's license type when the module
/// cannot tell it: nothing is forwarded, and trying again is the way forward.
async fn license_unknown(cx: &Cx<'_>, failure: &ScimFailure) -> Result<Answer> {
    worker::console_error!(
        "gate: module {} license lookup: {}",
        cx.gm.module.id,
        failure.message()
    );
    cx.audit("module_login", "unavailable", "license_lookup_failed").await;
    let message = format!(
        "{} could not tell your account's license type, which decides whether you may use \
         this form; try again in a moment",
        cx.gm.module.name
    );
    let page = Page {
        status: 503,
        module_name: &cx.gm.module.name,
        heading: "Your account could not be checked",
        message: &message,
        rule: None,
        links: vec![back(cx)],
    };
    let mut resp = page.respond()?;
    resp.headers_mut().set("Retry-After", "5")?;
    Ok(Answer::new(resp, "license_lookup_failed"))
}

/// The `username` field of a urlencoded form, trimmed; nothing else is read.
pub fn username_of(body: &[u8]) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(key, _)| key == "username")
        .map(|(_, value)| value.trim().to_owned())
        .filter(|it| !it.is_empty())
}

fn outcome_code(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Allow => "allow",
        Outcome::SendToHub => "send_to_hub",
        Outcome::Refuse => "refuse",
    }
}

fn back(cx: &Cx<'_>) -> Link {
    Link { href: cx.gm.login_path.clone(), text: "Back to the login form".into() }
}

#[cfg(test)]
mod tests {
    use super::username_of;

    #[test]
    fn only_the_username_is_read() {
        let rows: [(&[u8], Option<&str>); 4] = [
            (b"username=+tech+&password=secret", Some("tech")),
            (b"password=secret&username=sales.one", Some("sales.one")),
            (b"username=&password=x", None),
            (b"\xff\xfe", None),
        ];
        for (body, expected) in rows {
            assert_eq!(username_of(body).as_deref(), expected, "{body:?}");
        }
    }
}
