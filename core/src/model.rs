//! The tenant model: the facts every decision reads.
//!
//! These are plain data, deserialisable from the edge's D1 rows and from JavaScript objects. A
//! tenant owns modules and hub users; each module has its own security levels, its own accounts
//! (module users) and its login, provisioning and access-group settings.

use serde::{Deserialize, Serialize};

/// A module user's license. Some licenses are barred from hub login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenseType {
    /// A full user of the module.
    Full,
    /// A dashboard-only user; barred from hub login.
    DashboardUser,
    /// A co-managed help desk user; barred from hub login.
    CoManagedHelpDeskUser,
    /// A contractor; barred from hub login.
    Contractor,
}

impl LicenseType {
    /// Every license type, in the order the admin screens list them.
    pub const ALL: [LicenseType; 4] = [
        LicenseType::Full,
        LicenseType::DashboardUser,
        LicenseType::CoManagedHelpDeskUser,
        LicenseType::Contractor,
    ];

    /// True for the license types that can never sign in through the hub. They always use
    /// module credentials, also while hub login is required.
    pub fn barred_from_hub_login(self) -> bool {
        !matches!(self, LicenseType::Full)
    }

    /// The name shown to people ("Co-Managed Help Desk User").
    pub fn label(self) -> &'static str {
        match self {
            LicenseType::Full => "Full",
            LicenseType::DashboardUser => "Dashboard User",
            LicenseType::CoManagedHelpDeskUser => "Co-Managed Help Desk User",
            LicenseType::Contractor => "Contractor",
        }
    }

    /// The stable snake_case code (`co_managed_help_desk_user`), as stored and serialised.
    pub fn code(self) -> &'static str {
        match self {
            LicenseType::Full => "full",
            LicenseType::DashboardUser => "dashboard_user",
            LicenseType::CoManagedHelpDeskUser => "co_managed_help_desk_user",
            LicenseType::Contractor => "contractor",
        }
    }

    /// The license type a module reports, by its label in any case ("co-managed help desk
    /// user") or by its code (`contractor`), ignoring surrounding whitespace; `None` for any
    /// other text.
    pub fn from_label(text: &str) -> Option<LicenseType> {
        let text = text.trim();
        LicenseType::ALL
            .into_iter()
            .find(|it| it.label().eq_ignore_ascii_case(text) || it.code() == text)
    }
}

/// What the user signs in from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Client {
    /// A web browser.
    Browser,
    /// The LiveMobile app, which cannot use hub login.
    LiveMobile,
}

/// How the user tries to sign in to a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginMethod {
    /// With a hub-issued token.
    HubLogin,
    /// With the module's own username and password.
    ModuleCredentials,
}

/// A module's permission profile (Autotask's term).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityLevel {
    /// Stable id within the module.
    pub id: String,
    /// The name shown to admins; access groups map by exact name.
    pub name: String,
    /// Inactive levels cannot be assigned.
    pub active: bool,
    /// How much the level may do; lower is less privileged. Used to advise a low default.
    pub rank: u32,
}

/// A hub group that an admin may map to a module security level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubGroup {
    /// Stable id within the tenant.
    pub id: String,
    /// The group's name, compared exactly with security level names.
    pub name: String,
}

/// A person with a hub account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubUser {
    /// Stable id within the tenant (the token's `sub`).
    pub id: String,
    /// The user's email address.
    pub email: String,
    /// Only verified emails may link to an existing module account.
    pub email_verified: bool,
    /// The ids of the hub groups the user belongs to.
    #[serde(default)]
    pub groups: Vec<String>,
}

/// An account in a module (a module user).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleAccount {
    /// The module's id for the account.
    pub id: String,
    /// The username used with module credentials.
    pub username: String,
    /// The account's email address, if the module has one.
    #[serde(default)]
    pub email: Option<String>,
    /// The account's license.
    pub license_type: LicenseType,
    /// The account's security level id.
    pub security_level: String,
    /// The hub user this account is linked to, if any.
    #[serde(default)]
    pub hub_user: Option<String>,
}

/// The five defaults a provisioned account takes. All are required to turn provisioning on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisioningDefaults {
    /// Security level id for new accounts (advised: a low one).
    #[serde(default)]
    pub security_level: Option<String>,
    /// Timesheet approver for new accounts.
    #[serde(default)]
    pub timesheet_approver: Option<String>,
    /// Department for new accounts.
    #[serde(default)]
    pub department: Option<String>,
    /// Expense report approver for new accounts.
    #[serde(default)]
    pub expense_report_approver: Option<String>,
    /// Role for new accounts.
    #[serde(default)]
    pub role: Option<String>,
}

/// A module's login, provisioning and access-group settings, edited by a tenant admin.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleSettings {
    /// Hub login is accepted and the login page offers it. Defaults to off.
    #[serde(default)]
    pub unified_login: bool,
    /// Module credentials are refused for everyone but the exceptions. Defaults to off; only
    /// allowed while `unified_login` is on.
    #[serde(default)]
    pub require_hub_login: bool,
    /// Usernames that may keep using module credentials while hub login is required.
    #[serde(default)]
    pub user_exceptions: Vec<String>,
    /// Create module accounts on first hub sign-in. Defaults to off.
    #[serde(default)]
    pub provisioning: bool,
    /// What provisioned accounts take.
    #[serde(default)]
    pub defaults: ProvisioningDefaults,
    /// Hub group ids in the admin's order; the first the user belongs to that maps wins.
    #[serde(default)]
    pub access_groups: Vec<String>,
}

impl ModuleSettings {
    /// True when `username` is a listed user exception. Usernames compare case-insensitively,
    /// as module logins do.
    pub fn is_user_exception(&self, username: &str) -> bool {
        self.user_exceptions.iter().any(|it| it.eq_ignore_ascii_case(username))
    }
}

/// Compares two email addresses the way linking does: case-insensitively, ignoring
/// surrounding whitespace.
pub fn same_email(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::LicenseType;

    #[test]
    fn license_types_are_read_from_labels_and_codes() {
        let rows = [
            ("Full", Some(LicenseType::Full)),
            ("co-managed help desk user", Some(LicenseType::CoManagedHelpDeskUser)),
            (" Dashboard User ", Some(LicenseType::DashboardUser)),
            ("contractor", Some(LicenseType::Contractor)),
            ("dashboard_user", Some(LicenseType::DashboardUser)),
            ("Administrator", None),
            ("", None),
        ];
        for (text, expected) in rows {
            assert_eq!(LicenseType::from_label(text), expected, "{text:?}");
        }
    }

    #[test]
    fn codes_are_the_serialised_names() {
        for it in LicenseType::ALL {
            assert_eq!(serde_json::to_value(it).ok(), Some(serde_json::json!(it.code())));
        }
    }
}
