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

/// Whether one access group maps to a security level, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum GroupMapping {
    /// The group maps to this level.
    Maps {
        /// The level's id.
        level: String,
    },
    /// No security level has the group's name.
    NoLevelNamed,
    /// Several security levels have the group's name, so the group maps to nothing.
    SeveralLevelsNamed {
        /// How many levels share the name.
        count: usize,
    },
    /// The only level with the group's name is inactive.
    LevelInactive {
        /// The level's id.
        level: String,
    },
    /// The access group names a hub group the tenant does not have.
    GroupUnknown,
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
        return GroupMapping::NoLevelNamed;
    };

    let others = named.count();
    if others > 0 {
        return GroupMapping::SeveralLevelsNamed { count: others + 1 };
    }

    if !level.active {
        return GroupMapping::LevelInactive { level: level.id.clone() };
    }

    GroupMapping::Maps { level: level.id.clone() }
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
        if let GroupMapping::Maps { level } = map_group(group, levels) {
            return Resolution {
                level: Some(level),
                reason: ResolutionReason::GroupMatched { group: id.clone() },
            };
        }
    }

    Resolution { level: default, reason: ResolutionReason::NoGroupMaps }
}
