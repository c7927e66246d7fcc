//! Access-group resolution, one row per rule of the product's Access Groups section.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::{hub_groups, psa_levels, settings, strings};
use onegate_core::access::{self, GroupMapping, Moment, ResolutionReason};
use onegate_core::model::ModuleSettings;

struct Row {
    name: &'static str,
    order: &'static [&'static str],
    member_of: &'static [&'static str],
    moment: Moment,
    level: Option<&'static str>,
    reason: ResolutionReason,
}

fn matched(group: &str) -> ResolutionReason {
    ResolutionReason::GroupMatched { group: group.into() }
}

fn rows() -> Vec<Row> {
    use Moment::{Creation, SignIn};
    use ResolutionReason::{AccessGroupsOff, NoGroupMaps, SeveralGroupsAtCreation};
    vec![
        Row {
            name: "group_maps_to_the_level_with_exactly_its_name",
            order: &["g-tech"],
            member_of: &["g-tech"],
            moment: SignIn,
            level: Some("tech"),
            reason: matched("g-tech"),
        },
        Row {
            name: "first_group_in_the_admins_order_wins",
            order: &["g-helpdesk", "g-tech"],
            member_of: &["g-tech", "g-helpdesk"],
            moment: SignIn,
            level: Some("helpdesk"),
            reason: matched("g-helpdesk"),
        },
        Row {
            name: "order_is_the_admins_not_the_users",
            order: &["g-tech", "g-helpdesk"],
            member_of: &["g-helpdesk", "g-tech"],
            moment: SignIn,
            level: Some("tech"),
            reason: matched("g-tech"),
        },
        Row {
            name: "group_with_several_levels_of_its_name_maps_to_nothing",
            order: &["g-sales", "g-helpdesk"],
            member_of: &["g-sales", "g-helpdesk"],
            moment: SignIn,
            level: Some("helpdesk"),
            reason: matched("g-helpdesk"),
        },
        Row {
            name: "group_without_a_level_of_its_name_maps_to_nothing",
            order: &["g-marketing"],
            member_of: &["g-marketing"],
            moment: SignIn,
            level: Some("dashboard"),
            reason: NoGroupMaps,
        },
        Row {
            name: "names_must_match_exactly_including_case",
            order: &["g-tech-lower"],
            member_of: &["g-tech-lower"],
            moment: SignIn,
            level: Some("dashboard"),
            reason: NoGroupMaps,
        },
        Row {
            name: "inactive_level_is_not_mapped_to",
            order: &["g-retired"],
            member_of: &["g-retired"],
            moment: SignIn,
            level: Some("dashboard"),
            reason: NoGroupMaps,
        },
        Row {
            name: "no_mapping_group_falls_back_to_the_default",
            order: &["g-tech"],
            member_of: &["g-marketing"],
            moment: SignIn,
            level: Some("dashboard"),
            reason: NoGroupMaps,
        },
        Row {
            name: "groups_outside_the_admins_list_are_ignored",
            order: &["g-helpdesk"],
            member_of: &["g-tech"],
            moment: SignIn,
            level: Some("dashboard"),
            reason: NoGroupMaps,
        },
        Row {
            name: "creation_with_several_access_groups_uses_the_default",
            order: &["g-tech", "g-helpdesk"],
            member_of: &["g-tech", "g-helpdesk"],
            moment: Creation,
            level: Some("dashboard"),
            reason: SeveralGroupsAtCreation { count: 2 },
        },
        Row {
            name: "creation_with_one_access_group_uses_its_level",
            order: &["g-tech", "g-helpdesk"],
            member_of: &["g-tech", "g-marketing"],
            moment: Creation,
            level: Some("tech"),
            reason: matched("g-tech"),
        },
        Row {
            name: "creation_in_a_mapping_and_a_non_mapping_access_group_uses_the_default",
            order: &["g-tech", "g-marketing"],
            member_of: &["g-marketing", "g-tech"],
            moment: Creation,
            level: Some("dashboard"),
            reason: SeveralGroupsAtCreation { count: 2 },
        },
        Row {
            name: "creation_without_access_groups_uses_the_default",
            order: &[],
            member_of: &["g-tech"],
            moment: Creation,
            level: Some("dashboard"),
            reason: AccessGroupsOff,
        },
        Row {
            name: "sign_in_without_access_groups_leaves_the_level_alone",
            order: &[],
            member_of: &["g-tech"],
            moment: SignIn,
            level: None,
            reason: AccessGroupsOff,
        },
    ]
}

#[test]
fn every_access_group_rule() {
    let groups = hub_groups();
    let levels = psa_levels();
    let mut failures = Vec::new();
    for row in rows() {
        let settings = ModuleSettings { access_groups: strings(row.order), ..settings() };
        let got = access::resolve(&settings, &groups, &levels, &strings(row.member_of), row.moment);
        if got.level.as_deref() != row.level || got.reason != row.reason {
            failures.push(format!(
                "{}: expected {:?}/{:?}, got {:?}/{:?}",
                row.name, row.level, row.reason, got.level, got.reason
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn no_default_and_no_mapping_leaves_no_level() {
    let mut settings = ModuleSettings { access_groups: strings(&["g-marketing"]), ..settings() };
    settings.defaults.security_level = None;
    let got = access::resolve(
        &settings,
        &hub_groups(),
        &psa_levels(),
        &strings(&["g-marketing"]),
        Moment::SignIn,
    );
    assert_eq!(got.level, None);
    assert_eq!(got.reason, ResolutionReason::NoGroupMaps);
}

#[test]
fn mapping_table_explains_each_group() {
    let settings = ModuleSettings {
        access_groups: strings(&["g-tech", "g-sales", "g-retired", "g-marketing", "g-gone"]),
        ..settings()
    };
    let rows = access::mapping_table(&settings, &hub_groups(), &psa_levels());
    let got: Vec<(&str, GroupMapping, String)> = rows
        .iter()
        .map(|it| (it.group.as_str(), it.mapping.clone(), it.mapping.explain()))
        .collect();
    let tech = GroupMapping::Maps { level: "tech".into(), level_name: "Technician".into() };
    let several = GroupMapping::SeveralLevelsNamed { count: 2, group_name: "Sales".into() };
    let inactive =
        GroupMapping::LevelInactive { level: "retired".into(), level_name: "Retired".into() };
    let unnamed = GroupMapping::NoLevelNamed { group_name: "Marketing".into() };
    let expected: Vec<(&str, GroupMapping, String)> = vec![
        ("g-tech", tech, "maps to security level “Technician”".into()),
        ("g-sales", several, "maps to nothing: 2 security levels are named “Sales”".into()),
        ("g-retired", inactive, "maps to nothing: security level “Retired” is inactive".into()),
        (
            "g-marketing",
            unnamed,
            "maps to nothing: the module has no security level named “Marketing”".into(),
        ),
        (
            "g-gone",
            GroupMapping::GroupUnknown,
            "maps to nothing: this hub group no longer exists".into(),
        ),
    ];
    assert_eq!(got, expected);
    assert_eq!(rows.iter().filter(|it| it.mapping.maps()).count(), 1);
    assert_eq!(rows[0].name.as_deref(), Some("Technician"));
    assert_eq!(rows[4].name, None);
}

#[test]
fn resolution_reasons_have_stable_codes() {
    let rows = [
        (matched("g-tech"), "group_matched"),
        (ResolutionReason::SeveralGroupsAtCreation { count: 2 }, "several_groups_at_creation"),
        (ResolutionReason::NoGroupMaps, "no_group_maps"),
        (ResolutionReason::AccessGroupsOff, "access_groups_off"),
    ];
    for (reason, code) in rows {
        assert_eq!(reason.code(), code, "{reason:?}");
    }
}
