//! Access groups: which module security level a hub user gets.
//!
//! A tenant admin keeps an ordered list of hub groups per module. A group maps to a security
//! level only when the module has exactly one level whose name equals the group's name exactly,
//! and that level is active. At each hub sign-in the first group in the admin's order that the
//! user belongs to and that maps decides the level; when none does, the default security level
//! applies. An account created by provisioning for a user in several access groups always gets
//! the default.

use serde::{Deserialize, Serialize};

use crate::model::{HubGroup, ModuleSettings, SecurityLevel};

/// When the level is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Moment {
    /// The account is being created by provisioning.
    Creation,
    /// An existing (or just linked) account is being signed in to.
    SignIn,
}

/// Whether one access group maps to a security level, and why. Each variant carries the names
/// its explanation ([`GroupMapping::explain`]) shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum GroupMapping {
    /// The group maps to this level.
    Maps {
        /// The level's id.
        level: String,
        /// The level's name (which is also the group's).
        level_name: String,
    },
    /// No security level has the group's name.
    NoLevelNamed {
        /// The group's name.
        group_name: String,
    },
    /// Several security levels have the group's name, so the group maps to nothing.
    SeveralLevelsNamed {
        /// How many levels share the name.
        count: usize,
        /// The group's name.
        group_name: String,
    },
    /// The only level with the group's name is inactive.
    LevelInactive {
        /// The level's id.
        level: String,
        /// The level's name.
        level_name: String,
    },
    /// The access group names a hub group the tenant does not have.
    GroupUnknown,
}

impl GroupMapping {
    /// What the group maps to, in the words the admin's access-group list shows
    /// ("maps to nothing: 2 security levels are named `Sales`").
    pub fn explain(&self) -> String {
        match self {
            GroupMapping::Maps { level_name, .. } => {
                format!("maps to security level “{level_name}”")
            }
            GroupMapping::NoLevelNamed { group_name } => {
                format!("maps to nothing: the module has no security level named “{group_name}”")
            }
            GroupMapping::SeveralLevelsNamed { count, group_name } => {
                format!("maps to nothing: {count} security levels are named “{group_name}”")
            }
            GroupMapping::LevelInactive { level_name, .. } => {
                format!("maps to nothing: security level “{level_name}” is inactive")
            }
            GroupMapping::GroupUnknown => {
                "maps to nothing: this hub group no longer exists".to_owned()
            }
        }
    }

    /// True when the group maps to a level.
    pub fn maps(&self) -> bool {
        matches!(self, GroupMapping::Maps { .. })
    }
}

/// One row of the admin's access-group list with what it maps to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessGroupRow {
    /// The hub group's id.
    pub group: String,
    /// The hub group's name, when known.
    pub name: Option<String>,
    /// What the group maps to.
    pub mapping: GroupMapping,
}

/// Why a level was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ResolutionReason {
    /// The first mapping access group in the admin's order that the user belongs to.
    GroupMatched {
        /// The group's id.
        group: String,
    },
    /// The account is being created and the user is in several access groups.
    SeveralGroupsAtCreation {
        /// How many access groups the user is in.
        count: usize,
    },
    /// None of the user's groups maps to a level.
    NoGroupMaps,
    /// The module has no access groups, so sign-in leaves the account's level as it is.
    AccessGroupsOff,
}

impl ResolutionReason {
    /// The stable snake_case code of the rule, for audit rows and logs (`group_matched`).
    pub fn code(&self) -> &'static str {
        match self {
            ResolutionReason::GroupMatched { .. } => "group_matched",
            ResolutionReason::SeveralGroupsAtCreation { .. } => "several_groups_at_creation",
            ResolutionReason::NoGroupMaps => "no_group_maps",
            ResolutionReason::AccessGroupsOff => "access_groups_off",
        }
    }
}

/// The level a user gets and why. `level` is `None` when nothing is to change or no default is
/// set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    /// The security level id to apply.
    pub level: Option<String>,
    /// Why.
    pub reason: ResolutionReason,
}

/// The admin's access-group list with what each group maps to, in the admin's order.
pub fn mapping_table(
    settings: &ModuleSettings,
    groups: &[HubGroup],
    levels: &[SecurityLevel],
) -> Vec<AccessGroupRow> {
    settings
        .access_groups
        .iter()
        .map(|id| {
            let group = groups.iter().find(|it| it.id == *id);
            AccessGroupRow {
                group: id.clone(),
                name: group.map(|it| it.name.clone()),
                mapping: match group {
                    Some(group) => map_group(group, levels),
                    None => GroupMapping::GroupUnknown,
                },
            }
        })
        .collect()
}

fn map_group(group: &HubGroup, levels: &[SecurityLevel]) -> GroupMapping {
    let mut named = levels.iter().filter(|it| it.name == group.name);
    let Some(level) = named.next() else {
        return GroupMapping::NoLevelNamed { group_name: group.name.clone() };
    };

    let others = named.count();
    if others > 0 {
        return GroupMapping::SeveralLevelsNamed {
            count: others + 1,
            group_name: group.name.clone(),
        };
    }

    if !level.active {
        return GroupMapping::LevelInactive {
            level: level.id.clone(),
            level_name: level.name.clone(),
        };
    }

    GroupMapping::Maps { level: level.id.clone(), level_name: level.name.clone() }
}

/// Resolves the level of a user who belongs to `user_groups` (hub group ids).
pub fn resolve(
    settings: &ModuleSettings,
    groups: &[HubGroup],
    levels: &[SecurityLevel],
    user_groups: &[String],
    moment: Moment,
) -> Resolution {
    let default = settings.defaults.security_level.clone();

    if settings.access_groups.is_empty() {
        let level = match moment {
            Moment::Creation => default,
            Moment::SignIn => None,
        };
        return Resolution { level, reason: ResolutionReason::AccessGroupsOff };
    }

    let member_of: Vec<&String> =
        settings.access_groups.iter().filter(|it| user_groups.contains(it)).collect();

    if moment == Moment::Creation && member_of.len() > 1 {
        return Resolution {
            level: default,
            reason: ResolutionReason::SeveralGroupsAtCreation { count: member_of.len() },
        };
    }

    for id in member_of {
        let Some(group) = groups.iter().find(|it| it.id == *id) else {
            continue;
        };
        if let GroupMapping::Maps { level, .. } = map_group(group, levels) {
            return Resolution {
                level: Some(level),
                reason: ResolutionReason::GroupMatched { group: id.clone() },
            };
        }
    }

    Resolution { level: default, reason: ResolutionReason::NoGroupMaps }
}
