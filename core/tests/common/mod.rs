//! Fixtures shared by the core's tests: a PSA module standing in for Autotask, with security
//! levels, hub groups and accounts named after what each test needs.

#![allow(dead_code)]

use onegate_core::model::{
    HubGroup, HubUser, LicenseType, ModuleAccount, ModuleSettings, ProvisioningDefaults,
    SecurityLevel,
};

pub fn level(id: &str, name: &str, active: bool, rank: u32) -> SecurityLevel {
    SecurityLevel { id: id.into(), name: name.into(), active, rank }
}

/// Administrator (rank 90), Technician (50), Help Desk (20), Dashboard (10), two levels named
/// Sales (30), and an inactive level named Retired.
pub fn psa_levels() -> Vec<SecurityLevel> {
    vec![
        level("admin", "Administrator", true, 90),
        level("tech", "Technician", true, 50),
        level("helpdesk", "Help Desk", true, 20),
        level("dashboard", "Dashboard", true, 10),
        level("sales-1", "Sales", true, 30),
        level("sales-2", "Sales", true, 30),
        level("retired", "Retired", false, 40),
    ]
}

pub fn group(id: &str, name: &str) -> HubGroup {
    HubGroup { id: id.into(), name: name.into() }
}

/// One hub group per mapping case: maps (Technician, Help Desk), several levels share the name
/// (Sales), the only level is inactive (Retired), no level has the name (Marketing), and a name
/// that differs only in case (technician).
pub fn hub_groups() -> Vec<HubGroup> {
    vec![
        group("g-tech", "Technician"),
        group("g-helpdesk", "Help Desk"),
        group("g-sales", "Sales"),
        group("g-retired", "Retired"),
        group("g-marketing", "Marketing"),
        group("g-tech-lower", "technician"),
    ]
}

pub fn defaults() -> ProvisioningDefaults {
    ProvisioningDefaults {
        security_level: Some("dashboard".into()),
        timesheet_approver: Some("res-approver".into()),
        department: Some("dept-service".into()),
        expense_report_approver: Some("res-approver".into()),
        role: Some("role-tech".into()),
    }
}

pub fn settings() -> ModuleSettings {
    ModuleSettings { defaults: defaults(), ..ModuleSettings::default() }
}

pub fn hub_user(id: &str, email: &str, verified: bool, groups: &[&str]) -> HubUser {
    HubUser {
        id: id.into(),
        email: email.into(),
        email_verified: verified,
        groups: groups.iter().map(|it| it.to_string()).collect(),
    }
}

pub fn account(id: &str, username: &str, email: Option<&str>, hub: Option<&str>) -> ModuleAccount {
    ModuleAccount {
        id: id.into(),
        username: username.into(),
        email: email.map(Into::into),
        license_type: LicenseType::Full,
        security_level: "tech".into(),
        hub_user: hub.map(Into::into),
    }
}

pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|it| it.to_string()).collect()
}
