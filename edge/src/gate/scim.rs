//! The gate as a SCIM 2.0 client of the module (RFC 7643/7644).
//!
//! [`find`] looks up a module account's username and license type, which the login decision
//! needs. [`ScimClient`] carries out provisioning: the module's security levels, the accounts a
//! sign-in concerns, creating an account and setting its security level. The request bodies
//! ([`create_body`], [`level_patch_body`]) hold only what core's `SyncPayload` holds, the
//! username and the security level id, and, when an account is created over the onegate
//! profile, core's `AccountReferences`: the ids of the module's own records the account starts
//! with (approvers, department, role). No hub personal data is sent, read beyond need, or
//! logged.
//!
//! Where the level travels depends on the module's [`ScimProfile`]: the onegate module
//! extension's `securityLevel` (the demo modules, which list their levels at
//! `/SecurityLevels`), or, for any other RFC 7643 server, the core attribute `roles` holding
//! one value, the level id, with the levels configured in the gate's D1 (no SCIM server lists
//! "security levels" by itself). The edge only maps fields: core decides which level applies.

use onegate_core::model::{LicenseType, ModuleAccount, SecurityLevel};
use onegate_core::provisioning::{AccountReferences, SyncPayload};
use serde_json::Value;
use worker::{Fetch, Headers, Method, Request, RequestInit};

use super::Cx;
use super::config::ScimProfile;
use super::proxy::MODULE_HEADER;

/// The module account a sign-in concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The module username.
    pub username: String,
    /// The account's license.
    pub license_type: Option<LicenseType>,
}

/// Which account to find.
#[derive(Debug, Clone, Copy)]
pub enum Lookup<'a> {
    /// By module username (a module login form).
    Username(&'a str),
    /// By email address (a hub login with a verified email).
    Email(&'a str),
}

/// The one active account matching `lookup`: `Ok(None)` when the module has none (or several),
/// an error when the module cannot be asked (no SCIM configured, unreachable, an unexpected
/// answer), so the caller can tell "no such account" from "unknown".
pub async fn find(cx: &Cx<'_>, lookup: Lookup<'_>) -> Result<Option<Account>, ScimFailure> {
    let (Some(base), Some(token)) = (scim_base(cx), cx.gm.scim_token.as_deref()) else {
        return Err(ScimFailure::NotConfigured);
    };
    let filter = match lookup {
        Lookup::Username(it) => quote(it).map(|it| format!("userName eq {it}")),
        Lookup::Email(it) => quote(it).map(|it| format!("emails.value eq {it}")),
    };
    // No account holds an empty, control-character or 256+ byte name.
    let Some(filter) = filter else { return Ok(None) };
    let query: String =
        form_urlencoded::Serializer::new(String::new()).append_pair("filter", &filter).finish();
    let url = format!("{base}/Users?{query}");

    let failure = |what: &str| ScimFailure::Module(what.to_owned());
    let headers = Headers::new();
    let set = |name: &str, value: &str| {
        headers.set(name, value).map_err(|_| failure("could not be asked"))
    };
    set("Authorization", &format!("Bearer {token}"))?;
    set("Accept", "application/scim+json")?;
    set(MODULE_HEADER, &cx.gm.upstream_module)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_headers(headers);
    let req = Request::new_with_init(&url, &init).map_err(|_| failure("could not be asked"))?;
    let mut resp = Fetch::Request(req).send().await.map_err(|_| failure("could not be reached"))?;
    if resp.status_code() != 200 {
        return Err(ScimFailure::Module(format!("answered {}", resp.status_code())));
    }
    let body: Value =
        resp.json().await.map_err(|_| failure("answered something other than JSON"))?;
    Ok(account_from_list(&body))
}

/// The module's SCIM base URL: its configured base, else `<upstream>/scim/v2`.
fn scim_base(cx: &Cx<'_>) -> Option<String> {
    match (&cx.gm.scim_base, &cx.gm.upstream) {
        (Some(base), _) => Some(base.clone()),
        (None, Some(origin)) => Some(format!("{origin}/scim/v2")),
        (None, None) => None,
    }
}

/// The single active user of a SCIM ListResponse.
pub fn account_from_list(body: &Value) -> Option<Account> {
    let resources = body.get("Resources")?.as_array()?;
    let mut active = resources.iter().filter(|it| it.get("active") != Some(&Value::Bool(false)));
    let user = active.next()?;
    if active.next().is_some() {
        return None;
    }

    let username = user.get("userName")?.as_str()?.to_owned();
    let license = user
        .as_object()?
        .iter()
        .filter(|(key, _)| key.starts_with("urn:"))
        .find_map(|(_, ext)| ext.get("licenseType")?.as_str())
        .or_else(|| user.get("licenseType")?.as_str());
    Some(Account { username, license_type: license.and_then(license_from_label) })
}

/// A license type from its label ("Co-Managed Help Desk User") or its code
/// (`co_managed_help_desk_user`): core's [`LicenseType::from_label`].
pub fn license_from_label(label: &str) -> Option<LicenseType> {
    LicenseType::from_label(label)
}

/// A SCIM string literal for `value`, or `None` for values no username or email holds.
fn quote(value: &str) -> Option<String> {
    if value.is_empty() || value.len() > 256 || value.chars().any(|it| it.is_control()) {
        return None;
    }
    serde_json::to_string(value).ok()
}

/// The schema URN of the module extension that carries `securityLevel` and `licenseType`.
pub const MODULE_EXTENSION: &str = "urn:onegate:params:scim:schemas:extension:module:2.0:User";

/// The SCIM core User schema URN.
pub const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

/// The SCIM PATCH message schema URN.
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// Why a SCIM call did not give an answer the gate can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScimFailure {
    /// The gate has no SCIM token or upstream for this module.
    NotConfigured,
    /// The module could not be reached, or answered with an unexpected status.
    Module(String),
}

impl ScimFailure {
    /// A message a person can act on (no personal data).
    pub fn message(&self) -> String {
        match self {
            ScimFailure::NotConfigured => {
                "the module's SCIM endpoint is not configured for this gate".to_owned()
            }
            ScimFailure::Module(it) => format!("the module's SCIM endpoint {it}"),
        }
    }
}

/// What creating an account gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Created {
    /// The new account, as the module returned it.
    Account(Value),
    /// The module already has an account with that username (409 `uniqueness`).
    Taken,
    /// The module refused the request (another 4xx): it made no account.
    Refused(ScimFailure),
}

/// The body of `POST /Users`: the username and the security level and, in the onegate
/// extension, the module records the account starts with (`references`). Any other RFC 7643
/// server ([`ScimProfile::Roles`]) gets the username and the level only, and applies its own
/// defaults to everything else.
pub fn create_body(
    payload: &SyncPayload,
    references: &AccountReferences,
    profile: ScimProfile,
) -> Value {
    match profile {
        ScimProfile::Onegate => serde_json::json!({
            "schemas": [CORE_USER, MODULE_EXTENSION],
            "userName": payload.username,
            MODULE_EXTENSION: {
                "securityLevel": payload.security_level,
                "timesheetApprover": references.timesheet_approver,
                "department": references.department,
                "expenseReportApprover": references.expense_report_approver,
                "role": references.role,
            },
        }),
        ScimProfile::Roles => serde_json::json!({
            "schemas": [CORE_USER],
            "userName": payload.username,
            "roles": [{ "value": payload.security_level }],
        }),
    }
}

/// The body of `PATCH /Users/{id}` that sets the security level and nothing else.
pub fn level_patch_body(level: &str, profile: ScimProfile) -> Value {
    let (path, value) = match profile {
        ScimProfile::Onegate => {
            (format!("{MODULE_EXTENSION}:securityLevel"), Value::String(level.to_owned()))
        }
        // The whole list is replaced: the level is the account's one role.
        ScimProfile::Roles => ("roles".to_owned(), serde_json::json!([{ "value": level }])),
    };
    serde_json::json!({
        "schemas": [PATCH_OP],
        "Operations": [{ "op": "replace", "path": path, "value": value }],
    })
}

/// A SCIM filter matching accounts whose username or email is `email` (`None` for values no
/// email holds).
pub fn same_email_filter(email: &str) -> Option<String> {
    let quoted = quote(email)?;
    Some(format!("userName eq {quoted} or emails.value eq {quoted}"))
}

/// A module account as core sees it, from a SCIM User resource. `hub_user` is left unset: the
/// gate's own links say who an account belongs to. The account's email is its primary (or
/// first) email; a module without emails whose usernames are addresses (as provisioned
/// accounts' are) gives the username.
/// The level is read where `profile` carries it (`roles`: the primary, else the first role).
pub fn module_account(user: &Value, profile: ScimProfile) -> Option<ModuleAccount> {
    let id = user.get("id")?.as_str()?.to_owned();
    let username = user.get("userName")?.as_str()?.to_owned();
    let ext = user.get(MODULE_EXTENSION);
    let level = match profile {
        ScimProfile::Onegate => ext.and_then(|it| it.get("securityLevel")),
        ScimProfile::Roles => user.get("roles").and_then(Value::as_array).and_then(|all| {
            all.iter()
                .find(|it| it.get("primary") == Some(&Value::Bool(true)))
                .or_else(|| all.first())
                .and_then(|it| it.get("value"))
        }),
    };
    let security_level = level
        .and_then(|it| match it {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .unwrap_or_default();
    let license_type = ext
        .and_then(|it| it.get("licenseType"))
        .and_then(Value::as_str)
        .and_then(license_from_label)
        .unwrap_or(LicenseType::Full);
    let emails = user.get("emails").and_then(Value::as_array);
    let email = emails
        .and_then(|all| {
            all.iter()
                .find(|it| it.get("primary") == Some(&Value::Bool(true)))
                .or_else(|| all.first())
        })
        .and_then(|it| it.get("value")?.as_str())
        .map(str::to_owned)
        .or_else(|| username.contains('@').then(|| username.clone()));
    Some(ModuleAccount { id, username, email, license_type, security_level, hub_user: None })
}

/// A security level from a `SecurityLevel` resource.
pub fn security_level(level: &Value) -> Option<SecurityLevel> {
    Some(SecurityLevel {
        id: level.get("id")?.as_str()?.to_owned(),
        name: level.get("name")?.as_str()?.to_owned(),
        active: level.get("active").and_then(Value::as_bool).unwrap_or(true),
        rank: level.get("rank").and_then(Value::as_u64).map_or(0, |it| it as u32),
    })
}

/// A SCIM client for one module, with its base URL and bearer token.
pub struct ScimClient<'a> {
    base: String,
    token: &'a str,
    module: &'a str,
    profile: ScimProfile,
    levels: &'a [SecurityLevel],
}

impl<'a> ScimClient<'a> {
    /// The client for the module of `cx`, if its upstream and SCIM token are configured.
    pub fn of(cx: &'a Cx<'_>) -> Result<ScimClient<'a>, ScimFailure> {
        let base = scim_base(cx).ok_or(ScimFailure::NotConfigured)?;
        let token = cx.gm.scim_token.as_deref().ok_or(ScimFailure::NotConfigured)?;
        Ok(ScimClient {
            base,
            token,
            module: &cx.gm.upstream_module,
            profile: cx.gm.scim_profile,
            levels: &cx.gm.scim_levels,
        })
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(u16, Value), ScimFailure> {
        // Sent again once when the connection drops before an answer, as it does when the runtime
        // reuses a connection an HTTP/1.0 module has closed. Repeating is safe for every call the
        // gate makes: reads, a PATCH that replaces the level, and a create whose repeat answers
        // 409 uniqueness, which provisioning resolves by linking the account that exists.
        let attempts = 2;
        let url = format!("{}{path}", self.base);
        // Logged without the query: a filter names the user.
        let shown = format!("{}{}", self.base, path.split('?').next().unwrap_or_default());
        let mut attempt = 0;
        let mut resp = loop {
            attempt += 1;
            let req = self.request(method.clone(), &url, body).map_err(|err| {
                worker::console_error!("scim: building a request to {shown} failed: {err}");
                ScimFailure::Module("could not be reached".to_owned())
            })?;
            match Fetch::Request(req).send().await {
                Ok(resp) => break resp,
                Err(err) if attempt < attempts => {
                    let name = method_name(&method);
                    worker::console_warn!("scim: {name} {shown} failed, once more: {err}");
                }
                Err(err) => {
                    // The base URL is configuration, never personal data; the error says why the
                    // module could not be reached (refused connection, DNS, TLS).
                    let name = method_name(&method);
                    worker::console_error!("scim: {name} {shown} failed: {err}");
                    return Err(ScimFailure::Module("could not be reached".to_owned()));
                }
            }
        };
        let status = resp.status_code();
        let body = resp.json::<Value>().await.unwrap_or(Value::Null);
        Ok((status, body))
    }

    /// One SCIM request with the module's bearer token.
    fn request(&self, method: Method, url: &str, body: Option<&Value>) -> worker::Result<Request> {
        let headers = Headers::new();
        headers.set("Authorization", &format!("Bearer {}", self.token))?;
        headers.set("Accept", "application/scim+json")?;
        headers.set(MODULE_HEADER, self.module)?;
        let mut init = RequestInit::new();
        init.with_method(method);
        if let Some(body) = body {
            headers.set("Content-Type", "application/scim+json")?;
            init.with_body(Some(body.to_string().into()));
        }
        init.with_headers(headers);
        Request::new_with_init(url, &init)
    }

    fn unexpected(what: &str, status: u16) -> ScimFailure {
        ScimFailure::Module(format!("answered {status} to {what}"))
    }

    /// The module's security levels: `GET /SecurityLevels`, or the gate's configured list for
    /// the `roles` profile.
    pub async fn security_levels(&self) -> Result<Vec<SecurityLevel>, ScimFailure> {
        if self.profile == ScimProfile::Roles {
            if self.levels.is_empty() {
                return Err(ScimFailure::Module(
                    "carries levels in roles but the gate lists none for it: set \
                     gate_modules.scim_levels_json"
                        .to_owned(),
                ));
            }
            return Ok(self.levels.to_vec());
        }
        let (status, body) = self.send(Method::Get, "/SecurityLevels", None).await?;
        if status != 200 {
            return Err(Self::unexpected("the security level list", status));
        }
        Ok(resources(&body).iter().filter_map(security_level).collect())
    }

    /// The accounts matching `filter` (`GET /Users?filter=`), at most 50.
    pub async fn users(&self, filter: &str) -> Result<Vec<ModuleAccount>, ScimFailure> {
        let page = self.users_page(filter, 1, 50).await?;
        Ok(page.accounts)
    }

    /// Every account matching `filter`, paged through `startIndex` and `count`
    /// ([`PAGE_SIZE`] a page), up to [`MAX_ACCOUNTS`]; `complete` is false when the module has
    /// more.
    pub async fn all_users(&self, filter: &str) -> Result<Accounts, ScimFailure> {
        let mut accounts: Vec<ModuleAccount> = Vec::new();
        let mut start = 1;
        loop {
            let page = self.users_page(filter, start, PAGE_SIZE).await?;
            let received = page.received;
            accounts.extend(page.accounts);
            match next_start(start, received, page.total, accounts.len()) {
                Next::Page(next) => start = next,
                Next::Done => return Ok(Accounts { accounts, complete: true }),
                Next::Bounded => return Ok(Accounts { accounts, complete: false }),
            }
        }
    }

    /// One page of `GET /Users?filter=&startIndex=&count=`.
    async fn users_page(
        &self,
        filter: &str,
        start: usize,
        count: usize,
    ) -> Result<Page, ScimFailure> {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("filter", filter)
            .append_pair("startIndex", &start.to_string())
            .append_pair("count", &count.to_string())
            .finish();
        let (status, body) = self.send(Method::Get, &format!("/Users?{query}"), None).await?;
        if status != 200 {
            return Err(Self::unexpected("a user search", status));
        }
        let all = resources(&body);
        let total = body.get("totalResults").and_then(Value::as_u64).map(|it| it as usize);
        Ok(Page {
            received: all.len(),
            total,
            accounts: all.iter().filter_map(|it| module_account(it, self.profile)).collect(),
        })
    }

    /// The account with the module's id `id`, `None` when the module has no such account.
    pub async fn user(&self, id: &str) -> Result<Option<ModuleAccount>, ScimFailure> {
        let path = format!("/Users/{}", encode_segment(id));
        let (status, body) = self.send(Method::Get, &path, None).await?;
        match status {
            200 => Ok(module_account(&body, self.profile)),
            404 => Ok(None),
            _ => Err(Self::unexpected("a user lookup", status)),
        }
    }

    /// Creates the account of `payload` starting with the module records `references`
    /// (`POST /Users`).
    pub async fn create(
        &self,
        payload: &SyncPayload,
        references: &AccountReferences,
    ) -> Result<Created, ScimFailure> {
        let body = create_body(payload, references, self.profile);
        let (status, body) = self.send(Method::Post, "/Users", Some(&body)).await?;
        match status {
            200 | 201 => Ok(Created::Account(body)),
            409 => Ok(Created::Taken),
            400..=499 => Ok(Created::Refused(Self::unexpected("creating an account", status))),
            _ => Err(Self::unexpected("creating an account", status)),
        }
    }

    /// Sets the security level of account `id` (`PATCH /Users/{id}`); `false` when the module
    /// no longer has the account.
    pub async fn set_level(&self, id: &str, level: &str) -> Result<bool, ScimFailure> {
        let path = format!("/Users/{}", encode_segment(id));
        let body = level_patch_body(level, self.profile);
        let (status, _) = self.send(Method::Patch, &path, Some(&body)).await?;
        match status {
            200 | 204 => Ok(true),
            404 => Ok(false),
            _ => Err(Self::unexpected("setting a security level", status)),
        }
    }
}

/// How many accounts [`ScimClient::all_users`] asks for a page.
pub const PAGE_SIZE: usize = 100;

/// The most accounts [`ScimClient::all_users`] reads (each page is one subrequest).
pub const MAX_ACCOUNTS: usize = 2000;

/// The accounts of a paged search.
#[derive(Debug, Default, Clone)]
pub struct Accounts {
    /// The accounts read.
    pub accounts: Vec<ModuleAccount>,
    /// False when the module has more than [`MAX_ACCOUNTS`] of them.
    pub complete: bool,
}

/// One page of a user search.
struct Page {
    /// Resources on the page (also those that were not usable accounts).
    received: usize,
    /// The module's `totalResults`, when it said.
    total: Option<usize>,
    accounts: Vec<ModuleAccount>,
}

/// What to read after a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// The page starting here.
    Page(usize),
    /// Nothing: every account was read.
    Done,
    /// Nothing: the bound was reached with more accounts left.
    Bounded,
}

/// After the page at `start` gave `received` resources of `total` (when the module said), with
/// `read` accounts read so far.
fn next_start(start: usize, received: usize, total: Option<usize>, read: usize) -> Next {
    let seen = start - 1 + received;
    let more = match total {
        Some(total) => seen < total,
        // A module that does not say how many there are has more while pages come back full.
        None => received >= PAGE_SIZE,
    };
    if received == 0 || !more {
        return Next::Done;
    }
    if read >= MAX_ACCOUNTS {
        return Next::Bounded;
    }
    Next::Page(seen + 1)
}

fn resources(body: &Value) -> &[Value] {
    body.get("Resources").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
}

fn encode_segment(id: &str) -> String {
    form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

/// The HTTP method's name, for the log line.
fn method_name(method: &Method) -> &'static str {
    match method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Patch => "PATCH",
        Method::Put => "PUT",
        Method::Delete => "DELETE",
        _ => "request",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn references() -> AccountReferences {
        AccountReferences {
            timesheet_approver: "lead".into(),
            department: "Onboarding".into(),
            expense_report_approver: "finance".into(),
            role: "Junior".into(),
        }
    }

    #[test]
    fn only_the_username_the_level_and_the_module_records_are_sent() {
        let payload =
            SyncPayload { username: "ann@acme.example".into(), security_level: "5".into() };
        let body = create_body(&payload, &references(), ScimProfile::Onegate);
        let mut keys: Vec<&str> =
            body.as_object().map(|it| it.keys().map(String::as_str).collect()).unwrap_or_default();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["schemas", "urn:onegate:params:scim:schemas:extension:module:2.0:User", "userName"]
        );
        assert_eq!(
            body[MODULE_EXTENSION],
            json!({ "securityLevel": "5", "timesheetApprover": "lead", "department": "Onboarding",
                "expenseReportApprover": "finance", "role": "Junior" })
        );
        assert_eq!(body["userName"], "ann@acme.example");

        let patch = level_patch_body("3", ScimProfile::Onegate);
        let ops = patch["Operations"].as_array().cloned().unwrap_or_default();
        assert_eq!(ops.len(), 1);
        assert_eq!(ops[0]["path"], format!("{MODULE_EXTENSION}:securityLevel"));
        assert_eq!(ops[0]["value"], "3");
    }

    #[test]
    fn the_roles_profile_carries_the_level_in_roles_only() {
        let payload =
            SyncPayload { username: "ann@acme.example".into(), security_level: "tech".into() };
        assert_eq!(
            create_body(&payload, &references(), ScimProfile::Roles),
            json!({ "schemas": [CORE_USER], "userName": "ann@acme.example",
                "roles": [{ "value": "tech" }] })
        );
        let patch = level_patch_body("viewer", ScimProfile::Roles);
        assert_eq!(
            patch["Operations"],
            json!([{ "op": "replace", "path": "roles", "value": [{ "value": "viewer" }] }])
        );
        let rows = [
            (json!([{ "value": "tech" }]), "tech"),
            (json!([{ "value": "a" }, { "value": "b", "primary": true }]), "b"),
            (json!([]), ""),
        ];
        for (roles, level) in rows {
            let user = json!({ "id": "u1", "userName": "ann", "roles": roles,
                MODULE_EXTENSION: { "securityLevel": "ignored" } });
            let account = module_account(&user, ScimProfile::Roles).expect("an account");
            assert_eq!(account.security_level, level, "{user}");
        }
    }

    #[test]
    fn scim_users_become_core_accounts() {
        let user = json!({
            "id": "12", "userName": "Tech", "active": true,
            "emails": [
                { "value": "old@x.example" },
                { "value": "tech@x.example", "primary": true },
            ],
            MODULE_EXTENSION: { "securityLevel": "3", "licenseType": "Contractor" },
        });
        let account = module_account(&user, ScimProfile::Onegate).expect("an account");
        assert_eq!(account.id, "12");
        assert_eq!(account.email.as_deref(), Some("tech@x.example"));
        assert_eq!(account.security_level, "3");
        assert_eq!(account.license_type, LicenseType::Contractor);
        assert_eq!(account.hub_user, None);

        let provisioned = json!({ "id": "13", "userName": "ann@x.example", "emails": [] });
        let account = module_account(&provisioned, ScimProfile::Onegate).expect("an account");
        assert_eq!(account.email.as_deref(), Some("ann@x.example"), "username as the email");
        assert_eq!(account.license_type, LicenseType::Full);

        assert_eq!(module_account(&json!({ "userName": "no id" }), ScimProfile::Onegate), None);
    }

    #[test]
    fn paging_reads_every_page_up_to_the_bound() {
        let rows = [
            ("one_short_page", 1, 7, Some(7), 7, Next::Done),
            ("first_of_three_pages", 1, 100, Some(250), 100, Next::Page(101)),
            ("last_partial_page", 201, 50, Some(250), 250, Next::Done),
            ("an_empty_page_ends", 101, 0, Some(250), 100, Next::Done),
            ("no_total_and_a_full_page", 1, 100, None, 100, Next::Page(101)),
            ("no_total_and_a_short_page", 101, 3, None, 103, Next::Done),
            ("the_bound_with_more_left", 1901, 100, Some(5000), 2000, Next::Bounded),
            ("the_bound_exactly_reached", 1901, 100, Some(2000), 2000, Next::Done),
        ];
        for (name, start, received, total, read, expected) in rows {
            assert_eq!(next_start(start, received, total, read), expected, "{name}");
        }
    }

    #[test]
    fn filters_quote_their_value() {
        assert_eq!(
            same_email_filter("a\"b@x.example").as_deref(),
            Some(r#"userName eq "a\"b@x.example" or emails.value eq "a\"b@x.example""#)
        );
        assert_eq!(same_email_filter(""), None);
    }

    #[test]
    fn license_labels_and_codes_map_to_core_types() {
        let rows = [
            ("Full", Some(LicenseType::Full)),
            ("Co-Managed Help Desk User", Some(LicenseType::CoManagedHelpDeskUser)),
            ("dashboard_user", Some(LicenseType::DashboardUser)),
            (" contractor ", Some(LicenseType::Contractor)),
            ("Gold", None),
        ];
        for (label, expected) in rows {
            assert_eq!(license_from_label(label), expected, "label {label:?}");
        }
    }

    #[test]
    fn only_a_single_active_match_counts() {
        let ext = "urn:onegate:params:scim:schemas:extension:module:2.0:User";
        let license = json!({ "licenseType": "Contractor" });
        let user = |name: &str, on: bool| json!({ "userName": name, "active": on, ext: license });
        let one = json!({ "Resources": [user("c", true), user("old", false)] });
        assert_eq!(
            account_from_list(&one),
            Some(Account { username: "c".into(), license_type: Some(LicenseType::Contractor) })
        );
        let two = json!({ "Resources": [user("a", true), user("b", true)] });
        assert_eq!(account_from_list(&two), None);
        assert_eq!(account_from_list(&json!({ "Resources": [] })), None);
        assert_eq!(account_from_list(&json!({ "detail": "nope" })), None);
    }
}
