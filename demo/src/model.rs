//! The module's records as stored in D1: users, security levels, settings, and the items its
//! home page lists (PSA tickets, RMM devices).

use serde::Deserialize;

/// The license types a module user can hold.
pub const LICENSE_TYPES: [&str; 4] =
    ["Full", "Dashboard User", "Co-Managed Help Desk User", "Contractor"];

/// Finds a license type by name, ignoring ASCII case, and returns its canonical spelling.
pub fn license_type(name: &str) -> Option<&'static str> {
    LICENSE_TYPES.into_iter().find(|t| t.eq_ignore_ascii_case(name.trim()))
}

/// A module user.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct User {
    /// Row id, unique across modules; the SCIM `id`.
    pub id: i64,
    /// Login name, unique per module ignoring case.
    pub username: String,
    /// Work email, if known.
    pub email: Option<String>,
    /// Argon2id PHC string; `None` for accounts that can only sign in through the gate.
    pub password_hash: Option<String>,
    /// One of [`LICENSE_TYPES`].
    pub license_type: String,
    /// The user's security level.
    pub security_level_id: i64,
    /// The security level's name (joined in).
    pub security_level_name: Option<String>,
    /// Department.
    pub department: String,
    /// Role.
    pub role: String,
    /// Who approves this user's timesheets.
    pub timesheet_approver: String,
    /// Who approves this user's expense reports.
    pub expense_report_approver: String,
    /// 1 when the account may sign in, 0 when it is inactive.
    pub active: i64,
    /// The hub's id for the linked hub user (SCIM `externalId`).
    pub external_id: Option<String>,
    /// Creation time, RFC 3339 UTC.
    pub created_at: String,
    /// Last change, RFC 3339 UTC.
    pub updated_at: String,
}

impl User {
    /// Whether the account may sign in.
    pub fn is_active(&self) -> bool {
        self.active != 0
    }
}

/// A security level (the module's permission profile).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SecurityLevel {
    /// Row id, unique across modules.
    pub id: i64,
    /// Display name; not unique (the seed has two named "Sales").
    pub name: String,
    /// 1 when assignable, 0 when inactive.
    pub active: i64,
    /// Privilege: lower is less privileged.
    pub rank: i64,
}

/// A module's defaults for new accounts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Settings {
    /// Security level of new accounts.
    pub default_security_level_id: i64,
    /// License type of new accounts.
    pub default_license_type: String,
    /// Department of new accounts.
    pub default_department: String,
    /// Role of new accounts.
    pub default_role: String,
    /// Timesheet approver of new accounts.
    pub default_timesheet_approver: String,
    /// Expense report approver of new accounts.
    pub default_expense_report_approver: String,
}

/// The writable fields of a user, as inserted or updated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFields {
    /// Login name.
    pub username: String,
    /// Work email.
    pub email: Option<String>,
    /// A new password to hash and store, if one was given.
    pub new_password: Option<String>,
    /// License type (canonical spelling).
    pub license_type: String,
    /// Security level id.
    pub security_level_id: i64,
    /// Department.
    pub department: String,
    /// Role.
    pub role: String,
    /// Timesheet approver.
    pub timesheet_approver: String,
    /// Expense report approver.
    pub expense_report_approver: String,
    /// Whether the account may sign in.
    pub active: bool,
    /// The hub's id for the linked hub user.
    pub external_id: Option<String>,
}

impl UserFields {
    /// The fields of a new account named `username`, taking the module's defaults.
    pub fn with_defaults(username: String, settings: &Settings) -> Self {
        UserFields {
            username,
            email: None,
            new_password: None,
            license_type: settings.default_license_type.clone(),
            security_level_id: settings.default_security_level_id,
            department: settings.default_department.clone(),
            role: settings.default_role.clone(),
            timesheet_approver: settings.default_timesheet_approver.clone(),
            expense_report_approver: settings.default_expense_report_approver.clone(),
            active: true,
            external_id: None,
        }
    }

    /// The current fields of an existing user.
    pub fn of(user: &User) -> Self {
        UserFields {
            username: user.username.clone(),
            email: user.email.clone(),
            new_password: None,
            license_type: user.license_type.clone(),
            security_level_id: user.security_level_id,
            department: user.department.clone(),
            role: user.role.clone(),
            timesheet_approver: user.timesheet_approver.clone(),
            expense_report_approver: user.expense_report_approver.clone(),
            active: user.is_active(),
            external_id: user.external_id.clone(),
        }
    }
}

/// A PSA ticket shown on the PSA home page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct Ticket {
    /// Ticket number, e.g. `T20260401.0001`.
    pub number: String,
    /// Title.
    pub title: String,
    /// Customer account.
    pub account: String,
    /// Status.
    pub status: String,
    /// Priority.
    pub priority: String,
}

/// An RMM device shown on the RMM home page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct Device {
    /// Host name.
    pub hostname: String,
    /// Operating system.
    pub os: String,
    /// Online, offline or alerting.
    pub status: String,
    /// Last check-in, RFC 3339 UTC.
    pub last_seen: String,
}
