//! The core's decisions for JavaScript callers, taking and returning plain objects.
//!
//! Each function reads its input with serde-wasm-bindgen (field names as in the core's serde
//! derives: snake_case), asks `onegate-core`, and returns a plain, JSON-compatible object. A
//! refusal or an unusable input is thrown as `{ code, message }` with the core's stable code;
//! the package's `index.js` turns it into an `OnegateError`. The TypeScript types live in the
//! package's hand-written `index.d.ts` (`web/js/index.d.ts`).

use onegate_core::access::{self, Moment};
use onegate_core::launcher::{self, LauncherInput};
use onegate_core::login::{self, LoginAttempt, Outcome, Rule};
use onegate_core::model::SecurityLevel;
use onegate_core::model::{Client, HubGroup, LicenseType, LoginMethod, ModuleSettings};
use onegate_core::redirect::{self, ReturnUrlPolicy};
use onegate_core::{Error, ErrorKind};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// The input of `decideLogin`.
#[derive(Debug, Deserialize)]
pub struct LoginInput {
    /// The module's settings.
    pub settings: ModuleSettings,
    /// What the user signs in from.
    pub client: Client,
    /// How the user tries to sign in.
    pub method: LoginMethod,
    /// The module account's username, when known.
    #[serde(default)]
    pub username: Option<String>,
    /// The module account's license, when known.
    #[serde(default)]
    pub license_type: Option<LicenseType>,
    /// The hub's brand name used in the explanation. Defaults to "KaseyaOne".
    #[serde(default)]
    pub brand: Option<String>,
}

/// The output of `decideLogin`.
#[derive(Debug, Serialize)]
pub struct LoginOutput {
    /// What happens to the attempt.
    pub outcome: Outcome,
    /// The stable code of the rule that decided.
    pub rule: &'static str,
    /// The license the rule is about, for the two license rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_type: Option<LicenseType>,
    /// The rule in plain words.
    pub explanation: String,
}

/// The input of `resolveSecurityLevel`.
#[derive(Debug, Deserialize)]
pub struct ResolveInput {
    /// The module's settings (access groups and default security level).
    pub settings: ModuleSettings,
    /// The tenant's hub groups.
    pub groups: Vec<HubGroup>,
    /// The module's security levels.
    pub levels: Vec<SecurityLevel>,
    /// The hub group ids the user belongs to.
    pub user_groups: Vec<String>,
    /// Whether the account is being created or signed in to.
    pub moment: Moment,
}

/// The input of `accessGroupTable`.
#[derive(Debug, Deserialize)]
pub struct TableInput {
    /// The module's settings (its ordered access groups).
    pub settings: ModuleSettings,
    /// The tenant's hub groups.
    pub groups: Vec<HubGroup>,
    /// The module's security levels.
    pub levels: Vec<SecurityLevel>,
}

/// The policy of `checkReturnUrl`.
#[derive(Debug, Deserialize)]
pub struct PolicyInput {
    /// The tenant's registered origins.
    pub origins: Vec<String>,
    /// What relative return URLs resolve against.
    pub base: String,
    /// Where `returnUrlOrFallback` sends refused URLs. Defaults to empty.
    #[serde(default)]
    pub fallback: String,
}

impl PolicyInput {
    fn policy(&self) -> ReturnUrlPolicy<'_> {
        ReturnUrlPolicy { origins: &self.origins, base: &self.base, fallback: &self.fallback }
    }
}

/// `decideLogin(input)`: may this user sign in to this module, this way?
#[wasm_bindgen(js_name = decideLogin)]
pub fn decide_login(input: JsValue) -> Result<JsValue, JsValue> {
    let input: LoginInput = read(input, "login input")?;
    let decision = login::decide(LoginAttempt {
        settings: &input.settings,
        client: input.client,
        method: input.method,
        username: input.username.as_deref(),
        license_type: input.license_type,
    });
    let license_type = match decision.rule {
        Rule::LicenseBarredFromHubLogin(it) | Rule::ImplicitException(it) => Some(it),
        _ => None,
    };
    let brand = input.brand.as_deref().unwrap_or(launcher::DEFAULT_BRAND_NAME);
    write(&LoginOutput {
        outcome: decision.outcome,
        rule: decision.rule.code(),
        license_type,
        explanation: decision.rule.explain(brand),
    })
}

/// `resolveSecurityLevel(input)`: the security level a hub user gets, and why.
#[wasm_bindgen(js_name = resolveSecurityLevel)]
pub fn resolve_security_level(input: JsValue) -> Result<JsValue, JsValue> {
    let input: ResolveInput = read(input, "security level input")?;
    let resolution = access::resolve(
        &input.settings,
        &input.groups,
        &input.levels,
        &input.user_groups,
        input.moment,
    );
    write(&resolution)
}

/// `accessGroupTable(input)`: the admin's access groups with what each maps to.
#[wasm_bindgen(js_name = accessGroupTable)]
pub fn access_group_table(input: JsValue) -> Result<JsValue, JsValue> {
    let input: TableInput = read(input, "access group input")?;
    write(&access::mapping_table(&input.settings, &input.groups, &input.levels))
}

/// `checkReturnUrl(candidate, policy)`: the resolved URL, or throws `return_url_rejected`.
#[wasm_bindgen(js_name = checkReturnUrl)]
pub fn check_return_url(candidate: &str, policy: JsValue) -> Result<String, JsValue> {
    let policy: PolicyInput = read(policy, "return URL policy")?;
    redirect::check(candidate, policy.policy()).map_err(|it| throwable(&it))
}

/// `returnUrlOrFallback(candidate, policy)`: the resolved URL, or the policy's fallback.
#[wasm_bindgen(js_name = returnUrlOrFallback)]
pub fn return_url_or_fallback(candidate: &str, policy: JsValue) -> Result<String, JsValue> {
    let policy: PolicyInput = read(policy, "return URL policy")?;
    Ok(redirect::or_fallback(candidate, policy.policy()))
}

/// `launcherView(input)`: what the launcher shows for a `LauncherInput`.
#[wasm_bindgen(js_name = launcherView)]
pub fn launcher_view(input: JsValue) -> Result<JsValue, JsValue> {
    let input: LauncherInput = read(input, "launcher input")?;
    write(&launcher::view(&input))
}

fn read<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|err| {
        let text = err.to_string();
        let reason = text.strip_prefix("Error: ").unwrap_or(&text);
        throwable(&Error::new(ErrorKind::ValueInvalid, format!("the {what} is invalid: {reason}")))
    })
}

fn write<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).map_err(|err| {
        throwable(&Error::new(ErrorKind::ValueInvalid, format!("the answer is invalid: {err}")))
    })
}

/// The core's error as the `{ code, message }` object JavaScript callers receive.
fn throwable(err: &Error) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    err.serialize(&serializer).unwrap_or_else(|_| JsValue::from_str(err.code()))
}
