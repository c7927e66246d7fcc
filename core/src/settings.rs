//! Validation of a module's settings, and the checks on changes to its security levels.
//!
//! A tenant admin edits these settings in the hub; the hub stores them only after
//! [`validate`] accepts them, so every other decision may assume they are consistent.

use std::collections::HashSet;

use serde::Serialize;

use crate::model::{HubGroup, LicenseType, ModuleAccount, ModuleSettings, SecurityLevel};
use crate::{Error, ErrorKind, Result};

/// The longest id, name or username a setting may hold.
pub const MAX_VALUE_LEN: usize = 256;

/// The most user exceptions or access groups a module may list.
pub const MAX_LIST_LEN: usize = 1000;

/// What settings may refer to: the module's security levels, the tenant's hub groups and the
/// module's account usernames.
#[derive(Debug, Clone, Copy)]
pub struct SettingsContext<'a> {
    /// The module's security levels.
    pub levels: &'a [SecurityLevel],
    /// The tenant's hub groups.
    pub groups: &'a [HubGroup],
    /// The usernames of the module's accounts.
    pub usernames: &'a [String],
}

/// A change an admin makes to a security level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelChange {
    /// Marking the level inactive.
    Inactivate,
    /// Deleting the level.
    Delete,
}

/// Accepts `settings` when they are consistent with each other and with `cx`.
pub fn validate(settings: &ModuleSettings, cx: SettingsContext<'_>) -> Result<()> {
    let mut level_ids = HashSet::new();
    for level in cx.levels {
        if !level_ids.insert(level.id.as_str()) {
            return Err(Error::new(
                ErrorKind::SecurityLevelDuplicate,
                format!("security level id “{}” is used twice", level.id),
            ));
        }
    }

    if settings.require_hub_login && !settings.unified_login {
        return Err(Error::new(
            ErrorKind::RequireHubLoginNeedsUnifiedLogin,
            "require hub login can only be turned on while unified login is on",
        ));
    }

    check_list_len("user exceptions", settings.user_exceptions.len())?;
    let mut seen = HashSet::new();
    for username in &settings.user_exceptions {
        check_value("user exception", username)?;
        if !seen.insert(username.to_lowercase()) {
            return Err(Error::new(
                ErrorKind::UserExceptionDuplicate,
                format!("user “{username}” is listed as an exception twice"),
            ));
        }
        if !cx.usernames.iter().any(|it| it.eq_ignore_ascii_case(username)) {
            return Err(Error::new(
                ErrorKind::UserExceptionUnknown,
                format!("user exception “{username}” is not a user of this module"),
            ));
        }
    }

    check_list_len("access groups", settings.access_groups.len())?;
    let mut seen = HashSet::new();
    for group in &settings.access_groups {
        check_value("access group", group)?;
        if !seen.insert(group.as_str()) {
            return Err(Error::new(
                ErrorKind::AccessGroupDuplicate,
                format!("access group “{group}” is listed twice"),
            ));
        }
        if !cx.groups.iter().any(|it| it.id == *group) {
            return Err(Error::new(
                ErrorKind::AccessGroupUnknown,
                format!("access group “{group}” is not a hub group of this tenant"),
            ));
        }
    }

    validate_defaults(settings, cx.levels)
}

fn validate_defaults(settings: &ModuleSettings, levels: &[SecurityLevel]) -> Result<()> {
    let d = &settings.defaults;
    let fields = [
        ("security level", &d.security_level),
        ("timesheet approver", &d.timesheet_approver),
        ("department", &d.department),
        ("expense report approver", &d.expense_report_approver),
        ("role", &d.role),
    ];
    for (label, value) in fields {
        match value {
            Some(value) => check_value(label, value)?,
            None if settings.provisioning => {
                return Err(Error::new(
                    ErrorKind::ProvisioningDefaultMissing,
                    format!(
                        "automatic user provisioning needs a default {label}; \
                         set one before turning provisioning on"
                    ),
                ));
            }
            None => {}
        }
    }

    let Some(default_level) = &d.security_level else {
        return Ok(());
    };
    let Some(level) = levels.iter().find(|it| it.id == *default_level) else {
        return Err(Error::new(
            ErrorKind::SecurityLevelUnknown,
            format!("default security level “{default_level}” is not a level of this module"),
        ));
    };
    if !level.active {
        return Err(Error::new(
            ErrorKind::DefaultSecurityLevelInactive,
            format!(
                "security level “{}” is inactive and cannot be the default; \
                 activate it or choose another",
                level.name
            ),
        ));
    }

    Ok(())
}

/// Accepts a change to security level `level_id` unless it is the default for new accounts,
/// which can be neither inactivated nor deleted while it is the default.
pub fn check_level_change(
    settings: &ModuleSettings,
    level_id: &str,
    change: LevelChange,
) -> Result<()> {
    if settings.defaults.security_level.as_deref() != Some(level_id) {
        return Ok(());
    }

    Err(match change {
        LevelChange::Inactivate => Error::new(
            ErrorKind::DefaultSecurityLevelCannotBeInactivated,
            "the default security level cannot be inactivated; \
             assign a new default security level first",
        ),
        LevelChange::Delete => Error::new(
            ErrorKind::DefaultSecurityLevelCannotBeDeleted,
            "the default security level cannot be deleted; \
             assign a new default security level first",
        ),
    })
}

/// Accepts a save of settings an admin read at version `expected` while `current` is stored;
/// a save from an older form would overwrite another admin's changes unseen.
pub fn check_version(expected: u64, current: u64) -> Result<()> {
    if expected == current {
        return Ok(());
    }

    Err(Error::new(
        ErrorKind::VersionConflict,
        format!(
            "someone saved these settings after you opened them (you had version {expected}, \
             they are now at version {current}); reload the page, check their changes and \
             make yours again"
        ),
    ))
}

/// Advice for the settings screen when the default security level is not the least privileged
/// active level; `None` when it is, or when no default is set.
pub fn default_level_advice(settings: &ModuleSettings, levels: &[SecurityLevel]) -> Option<String> {
    let default_id = settings.defaults.security_level.as_deref()?;
    let default = levels.iter().find(|it| it.id == default_id)?;
    let lowest = levels.iter().filter(|it| it.active).min_by_key(|it| it.rank)?;
    if default.rank <= lowest.rank {
        return None;
    }

    Some(format!(
        "for security, use a low security level as the default: “{}” grants more than “{}”",
        default.name, lowest.name
    ))
}

/// A user who may keep using module credentials while hub login is required, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exception<'a> {
    /// The account's username.
    pub username: &'a str,
    /// `None` for a listed exception; the license for an implicit one.
    pub implicit_license: Option<LicenseType>,
}

/// Every exception to required hub login, as the admin screen lists them: the listed users,
/// then the accounts whose license type is barred from hub login (implicit exceptions).
pub fn exceptions<'a>(
    settings: &'a ModuleSettings,
    accounts: &'a [ModuleAccount],
) -> Vec<Exception<'a>> {
    let listed = settings
        .user_exceptions
        .iter()
        .map(|it| Exception { username: it.as_str(), implicit_license: None });
    let implicit = accounts
        .iter()
        .filter(|it| it.license_type.barred_from_hub_login())
        .filter(|it| !settings.is_user_exception(&it.username))
        .map(|it| Exception { username: &it.username, implicit_license: Some(it.license_type) });
    listed.chain(implicit).collect()
}

fn check_value(label: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::new(ErrorKind::ValueInvalid, format!("{label} must not be empty")));
    }
    if value.len() > MAX_VALUE_LEN {
        return Err(Error::new(
            ErrorKind::ValueInvalid,
            format!("{label} is longer than {MAX_VALUE_LEN} bytes"),
        ));
    }
    Ok(())
}

fn check_list_len(label: &str, len: usize) -> Result<()> {
    if len > MAX_LIST_LEN {
        return Err(Error::new(
            ErrorKind::ValueInvalid,
            format!("{label} may list at most {MAX_LIST_LEN} entries, not {len}"),
        ));
    }
    Ok(())
}
