//! The provisioning plan: what a hub sign-in to a module does to the module's accounts.
//!
//! The gate asks for a plan at every hub sign-in and carries it out against the module (over
//! SCIM). A plan creates an account with the module's defaults, links an existing account with
//! the same verified email, updates the account's security level from the access groups, or
//! changes nothing. Only the username and the security level are synchronised ([`SyncPayload`]);
//! an account being created also names the module's own records it starts with (its timesheet
//! approver, department, expense report approver and role: [`AccountReferences`]), which are
//! references into the module, not hub personal data. A created account yields a
//! [`BillingLine`]: every created account is a new seat, also one created again after the
//! module's account was deleted.

use serde::{Deserialize, Serialize};

use crate::access::{self, Moment, Resolution};
use crate::model::same_email;
use crate::model::{HubGroup, HubUser, LicenseType, ModuleAccount, ModuleSettings, SecurityLevel};
use crate::{Error, ErrorKind, Result};

/// Every fact a provisioning plan reads.
#[derive(Debug, Clone, Copy)]
pub struct ProvisioningInput<'a> {
    /// The module being signed in to.
    pub module_id: &'a str,
    /// The module's name as users know it, for messages.
    pub module_name: &'a str,
    /// The hub user signing in.
    pub user: &'a HubUser,
    /// Whether the hub grants the user access to the module.
    pub entitled: bool,
    /// The module's settings.
    pub settings: &'a ModuleSettings,
    /// The tenant's hub groups.
    pub groups: &'a [HubGroup],
    /// The module's security levels.
    pub levels: &'a [SecurityLevel],
    /// The module's accounts that may concern this user: those linked to a hub user, those
    /// with the user's email and those whose username is the user's email. Others are ignored.
    pub accounts: &'a [ModuleAccount],
    /// Unix seconds, for the billing line's date.
    pub now: i64,
}

/// The only data that crosses from the hub to a module: a username and an access level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncPayload {
    /// The module username.
    pub username: String,
    /// The security level id.
    pub security_level: String,
}

/// A module account to create, with the module's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccount {
    /// The username: the hub email, lower-cased.
    pub username: String,
    /// The hub user the account is linked to.
    pub hub_user: String,
    /// Always a full license; barred license types are never created by the hub.
    pub license_type: LicenseType,
    /// The resolved security level id.
    pub security_level: String,
    /// The module's default timesheet approver.
    pub timesheet_approver: String,
    /// The module's default department.
    pub department: String,
    /// The module's default expense report approver.
    pub expense_report_approver: String,
    /// The module's default role.
    pub role: String,
}

/// The module's own records a created account starts with: the provisioning defaults besides
/// the security level. Sent only when an account is created; never hub personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountReferences {
    /// The module's default timesheet approver.
    pub timesheet_approver: String,
    /// The module's default department.
    pub department: String,
    /// The module's default expense report approver.
    pub expense_report_approver: String,
    /// The module's default role.
    pub role: String,
}

/// A charge for a seat added by provisioning. Each created module account is one seat: an
/// account created again after the module's account was deleted is a new seat and a new
/// charge, recorded against the module's id for the new account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingLine {
    /// Always `"seat_added"`.
    pub kind: String,
    /// The module the seat is in.
    pub module_id: String,
    /// The hub user the seat is for.
    pub hub_user: String,
    /// The day the seat was added, `YYYY-MM-DD` (UTC).
    pub date: String,
}

/// What to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Plan {
    /// Create an account.
    Create {
        /// The account to create.
        account: NewAccount,
        /// The charge to record.
        billing: BillingLine,
        /// How the level was chosen.
        resolution: Resolution,
    },
    /// Link the existing account with the user's email to the hub user.
    Link {
        /// The module's id for the account.
        account_id: String,
        /// Its username.
        username: String,
        /// The level to set, when it changes.
        set_level: Option<String>,
        /// How the level was chosen.
        resolution: Resolution,
    },
    /// Set the linked account's level.
    UpdateLevel {
        /// The module's id for the account.
        account_id: String,
        /// Its username.
        username: String,
        /// The level it has now.
        from: String,
        /// The level to set.
        to: String,
        /// How the level was chosen.
        resolution: Resolution,
    },
    /// The linked account is as it should be.
    Nothing {
        /// The module's id for the account.
        account_id: String,
        /// Its username.
        username: String,
        /// How the level was chosen.
        resolution: Resolution,
    },
}

impl Plan {
    /// The module username the user signs in as once the plan is carried out.
    pub fn username(&self) -> &str {
        match self {
            Plan::Create { account, .. } => &account.username,
            Plan::Link { username, .. }
            | Plan::UpdateLevel { username, .. }
            | Plan::Nothing { username, .. } => username,
        }
    }

    /// What must be sent to the module, if anything: only the username and the level.
    pub fn sync_payload(&self) -> Option<SyncPayload> {
        let (username, level) = match self {
            Plan::Create { account, .. } => (&account.username, &account.security_level),
            Plan::Link { username, set_level: Some(level), .. } => (username, level),
            Plan::UpdateLevel { username, to, .. } => (username, to),
            Plan::Link { set_level: None, .. } | Plan::Nothing { .. } => return None,
        };
        Some(SyncPayload { username: username.clone(), security_level: level.clone() })
    }

    /// The module records an account being created starts with; `None` for every other plan.
    pub fn account_references(&self) -> Option<AccountReferences> {
        let Plan::Create { account, .. } = self else {
            return None;
        };
        Some(AccountReferences {
            timesheet_approver: account.timesheet_approver.clone(),
            department: account.department.clone(),
            expense_report_approver: account.expense_report_approver.clone(),
            role: account.role.clone(),
        })
    }
}

/// Accepts a hub user whose entitlements include `module_id`; the refusal names the module
/// (`module_name`) and says whom to ask.
pub fn check_access(entitlements: &[String], module_id: &str, module_name: &str) -> Result<()> {
    if entitlements.iter().any(|it| it == module_id) {
        return Ok(());
    }
    Err(access_missing(module_name))
}

fn access_missing(module_name: &str) -> Error {
    Error::new(
        ErrorKind::ModuleAccessMissing,
        format!(
            "you do not have access to {module_name}; ask your administrator to grant it in the hub"
        ),
    )
}

/// What a verified hub token says of its user, for [`hub_user`].
#[derive(Debug, Clone, Copy)]
pub struct SignInClaims<'a> {
    /// The token's `sub`.
    pub subject: &'a str,
    /// The token's `email`, if any.
    pub email: Option<&'a str>,
    /// The token's `email_verified`.
    pub email_verified: bool,
    /// The token's `groups`: hub group names (as the hub puts them) or ids.
    pub groups: &'a [String],
}

/// The hub user a sign-in is for: the token's subject and email, and of the tenant's hub
/// `groups` those the token names, by name or by id (in the tenant's order). Refused when the
/// token carries no email address, as no module account could then be found or created.
pub fn hub_user(claims: SignInClaims<'_>, groups: &[HubGroup]) -> Result<HubUser> {
    let Some(email) = claims.email.map(str::trim).filter(|it| !it.is_empty()) else {
        return Err(Error::new(
            ErrorKind::ValueInvalid,
            "your hub sign-in carries no email address, so no module account can be found \
             or created; ask your administrator to add one",
        ));
    };
    let member_of = groups
        .iter()
        .filter(|group| claims.groups.iter().any(|it| *it == group.name || *it == group.id))
        .map(|group| group.id.clone())
        .collect();
    Ok(HubUser {
        id: claims.subject.to_owned(),
        email: email.to_owned(),
        email_verified: claims.email_verified,
        groups: member_of,
    })
}

/// The module account a hub login of `user` is about, whose license type the login decision
/// reads: the account linked to the user, else the only account with the user's email. Two
/// accounts with that email and no link: none (the decision then cannot name one).
pub fn login_account<'a>(
    user: &HubUser,
    accounts: &'a [ModuleAccount],
) -> Option<&'a ModuleAccount> {
    if let Some(linked) = accounts.iter().find(|it| it.hub_user.as_deref() == Some(&user.id)) {
        return Some(linked);
    }
    let mut same = accounts
        .iter()
        .filter(|it| it.email.as_deref().is_some_and(|email| same_email(email, &user.email)));
    let first = same.next();
    if same.next().is_some() { None } else { first }
}

/// Plans what a hub sign-in of `input.user` does to the module's accounts.
pub fn plan(input: ProvisioningInput<'_>) -> Result<Plan> {
    let user = input.user;

    if !input.entitled {
        return Err(access_missing(input.module_name));
    }

    let resolve =
        |moment| access::resolve(input.settings, input.groups, input.levels, &user.groups, moment);

    if let Some(account) = input.accounts.iter().find(|it| it.hub_user.as_deref() == Some(&user.id))
    {
        let resolution = resolve(Moment::SignIn);
        return Ok(match resolution.level.clone() {
            Some(to) if to != account.security_level => Plan::UpdateLevel {
                account_id: account.id.clone(),
                username: account.username.clone(),
                from: account.security_level.clone(),
                to,
                resolution,
            },
            _ => Plan::Nothing {
                account_id: account.id.clone(),
                username: account.username.clone(),
                resolution,
            },
        });
    }

    let same: Vec<&ModuleAccount> = input
        .accounts
        .iter()
        .filter(|it| it.email.as_deref().is_some_and(|email| same_email(email, &user.email)))
        .collect();

    if same.len() > 1 {
        return Err(Error::new(
            ErrorKind::ModuleAccountAmbiguous,
            format!(
                "{} module accounts share your email address, so none is linked; \
                 ask your administrator to keep one",
                same.len()
            ),
        ));
    }

    if let Some(account) = same.first() {
        if account.hub_user.is_some() {
            return Err(Error::new(
                ErrorKind::ModuleAccountLinkedElsewhere,
                "the module account with your email address belongs to another hub user; \
                 ask your administrator to resolve it",
            ));
        }
        if !user.email_verified {
            return Err(Error::new(
                ErrorKind::HubEmailUnverified,
                "verify your hub email address before it can be linked to your module account",
            ));
        }
        let resolution = resolve(Moment::SignIn);
        let set_level = resolution.level.clone().filter(|it| *it != account.security_level);
        return Ok(Plan::Link {
            account_id: account.id.clone(),
            username: account.username.clone(),
            set_level,
            resolution,
        });
    }

    // The account provisioning would create is named after the email; one of that name whose
    // email is another address is not the user's to link, and the module refuses a second.
    let username = user.email.trim().to_lowercase();
    if input.accounts.iter().any(|it| it.username.trim().eq_ignore_ascii_case(&username)) {
        return Err(Error::new(
            ErrorKind::ModuleUsernameTaken,
            "the module already has an account whose username is your email address but whose \
             email address is another one, so it is not linked and no second account is \
             created; ask your administrator to give that account your email address (to link \
             it) or another username",
        ));
    }

    if !input.settings.provisioning {
        return Err(Error::new(
            ErrorKind::ModuleAccountMissing,
            "you have no account in this module and automatic provisioning is off; \
             ask your administrator to create one",
        ));
    }

    let d = &input.settings.defaults;
    let resolution = resolve(Moment::Creation);
    let (
        Some(security_level),
        Some(timesheet_approver),
        Some(department),
        Some(expense_report_approver),
        Some(role),
    ) = (
        resolution.level.clone(),
        d.timesheet_approver.clone(),
        d.department.clone(),
        d.expense_report_approver.clone(),
        d.role.clone(),
    )
    else {
        return Err(Error::new(
            ErrorKind::ProvisioningDefaultMissing,
            "automatic provisioning is on but a default is missing; \
             ask your administrator to complete the provisioning defaults",
        ));
    };

    Ok(Plan::Create {
        account: NewAccount {
            username,
            hub_user: user.id.clone(),
            license_type: LicenseType::Full,
            security_level,
            timesheet_approver,
            department,
            expense_report_approver,
            role,
        },
        billing: BillingLine {
            kind: "seat_added".to_owned(),
            module_id: input.module_id.to_owned(),
            hub_user: user.id.clone(),
            date: civil_date(input.now),
        },
        resolution,
    })
}

/// Formats unix seconds as a UTC calendar date, `YYYY-MM-DD`.
pub fn civil_date(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    // Days-to-civil conversion over 400-year eras (proleptic Gregorian calendar).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
