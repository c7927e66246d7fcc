//! The login decision: may this user sign in to this module, this way, from this client?
//!
//! The gate asks before it accepts a hub token or lets a module login form through; the launcher
//! and the admin what-if view ask the same function, so the refusal page, the preview and the
//! log all show the same rule.

use serde::{Deserialize, Serialize};

use crate::model::{Client, LicenseType, LoginMethod, ModuleSettings};

/// One sign-in attempt, with every fact the decision reads.
#[derive(Debug, Clone, Copy)]
pub struct LoginAttempt<'a> {
    /// The module's settings.
    pub settings: &'a ModuleSettings,
    /// What the user signs in from.
    pub client: Client,
    /// How the user tries to sign in.
    pub method: LoginMethod,
    /// The module account's username, when the gate knows it.
    pub username: Option<&'a str>,
    /// The module account's license, when the gate knows it. `None` (no account yet) is
    /// treated like a license that may use hub login.
    pub license_type: Option<LicenseType>,
}

/// What happens to the attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The sign-in goes ahead.
    Allow,
    /// The sign-in does not go ahead here; the user is sent to hub login instead.
    SendToHub,
    /// The sign-in is refused; the rule says why and what to do.
    Refuse,
}

/// The rule that made a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "rule", content = "license_type")]
pub enum Rule {
    /// The LiveMobile app cannot use hub login, so it is refused while unified login is on.
    LiveMobileRefused,
    /// Hub login was tried on a module whose unified login is off.
    HubLoginNotEnabled,
    /// The account's license type may never sign in through the hub.
    LicenseBarredFromHubLogin(LicenseType),
    /// Hub login is on and the user may use it.
    HubLoginAccepted,
    /// Hub login is optional here, so module credentials keep working.
    ModuleCredentialsAccepted,
    /// The user is a listed exception to required hub login.
    UserException,
    /// The account's license type is barred from hub login, which makes it an exception.
    ImplicitException(LicenseType),
    /// The module requires hub login and the user is no exception.
    HubLoginRequired,
}

impl Rule {
    /// The stable code of the rule, for logs and JavaScript callers.
    pub fn code(self) -> &'static str {
        match self {
            Rule::LiveMobileRefused => "live_mobile_refused",
            Rule::HubLoginNotEnabled => "hub_login_not_enabled",
            Rule::LicenseBarredFromHubLogin(_) => "license_barred_from_hub_login",
            Rule::HubLoginAccepted => "hub_login_accepted",
            Rule::ModuleCredentialsAccepted => "module_credentials_accepted",
            Rule::UserException => "user_exception",
            Rule::ImplicitException(_) => "implicit_exception",
            Rule::HubLoginRequired => "hub_login_required",
        }
    }

    /// True when the module's own login is still a way in after this rule: everywhere except
    /// the LiveMobile refusal (no sign-in works from the app) and required hub login. The
    /// gate's refusal page offers the module login form only then.
    pub fn module_credentials_remain(self) -> bool {
        !matches!(self, Rule::LiveMobileRefused | Rule::HubLoginRequired)
    }

    /// The rule in plain words, naming the hub by its brand ("KaseyaOne").
    pub fn explain(self, brand: &str) -> String {
        match self {
            Rule::LiveMobileRefused => format!(
                "the LiveMobile app cannot sign in to this module while login with {brand} is \
                 on; sign in from a web browser instead"
            ),
            Rule::HubLoginNotEnabled => format!(
                "this module does not accept login with {brand}; \
                 sign in with your module username and password"
            ),
            Rule::LicenseBarredFromHubLogin(license) => format!(
                "{} licenses cannot sign in with {brand}; \
                 sign in with your module username and password",
                license.label()
            ),
            Rule::HubLoginAccepted => format!("login with {brand} is accepted by this module"),
            Rule::ModuleCredentialsAccepted => {
                format!("login with {brand} is optional here, so module credentials work")
            }
            Rule::UserException => format!(
                "you are an exception to required login with {brand}, \
                 so module credentials work"
            ),
            Rule::ImplicitException(license) => format!(
                "{} licenses cannot use {brand}, so they keep using module credentials",
                license.label()
            ),
            Rule::HubLoginRequired => {
                format!("this module requires login with {brand}; continue to {brand} to sign in")
            }
        }
    }
}

/// A decision and the rule that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginDecision {
    /// What happens.
    pub outcome: Outcome,
    /// Why.
    #[serde(flatten)]
    pub rule: Rule,
}

/// Decides one sign-in attempt.
pub fn decide(attempt: LoginAttempt<'_>) -> LoginDecision {
    let settings = attempt.settings;
    let barred = attempt.license_type.filter(|it| it.barred_from_hub_login());

    if attempt.client == Client::LiveMobile && settings.unified_login {
        return refuse(Rule::LiveMobileRefused);
    }

    match attempt.method {
        LoginMethod::HubLogin => {
            if !settings.unified_login {
                return refuse(Rule::HubLoginNotEnabled);
            }
            if let Some(license) = barred {
                return refuse(Rule::LicenseBarredFromHubLogin(license));
            }
            allow(Rule::HubLoginAccepted)
        }
        LoginMethod::ModuleCredentials => {
            if !(settings.unified_login && settings.require_hub_login) {
                return allow(Rule::ModuleCredentialsAccepted);
            }
            if let Some(license) = barred {
                return allow(Rule::ImplicitException(license));
            }
            if attempt.username.is_some_and(|it| settings.is_user_exception(it)) {
                return allow(Rule::UserException);
            }
            LoginDecision { outcome: Outcome::SendToHub, rule: Rule::HubLoginRequired }
        }
    }
}

/// Decides an attempt before the module account has been looked up, when that is possible.
///
/// The gate learns a user's license type from the module, which can be slow or unreachable.
/// This answers the decision `decide` would give for every possible license (and for no
/// account at all), so a refusal such as the LiveMobile rule or hub login on a module without
/// unified login needs no lookup. `None` means the license type can change the outcome, so the
/// account has to be looked up first. The attempt's own `license_type` is ignored.
pub fn decide_before_lookup(attempt: LoginAttempt<'_>) -> Option<LoginDecision> {
    let with = |license_type| decide(LoginAttempt { license_type, ..attempt });
    let first = with(None);
    let settled = LicenseType::ALL.into_iter().all(|it| with(Some(it)) == first);
    settled.then_some(first)
}

fn allow(rule: Rule) -> LoginDecision {
    LoginDecision { outcome: Outcome::Allow, rule }
}

fn refuse(rule: Rule) -> LoginDecision {
    LoginDecision { outcome: Outcome::Refuse, rule }
}
