//! Checks that `seed.sql` matches `ACCOUNTS.json`: every listed account is seeded with a hash
//! of its listed password, so the accounts `cargo xtask dev` prints really sign in.

use onegate_demo::password;

const SEED: &str = include_str!("../seed.sql");
const ACCOUNTS: &str = include_str!("../ACCOUNTS.json");

#[test]
fn every_listed_account_is_seeded_with_its_password() {
    let doc: serde_json::Value = serde_json::from_str(ACCOUNTS).expect("ACCOUNTS.json is JSON");
    let modules = doc["modules"].as_object().expect("modules object");
    let mut checked = 0;
    for (module, m) in modules {
        for account in m["accounts"].as_array().expect("accounts list") {
            let id = account["id"].as_i64().expect("id");
            let username = account["username"].as_str().expect("username");
            let pw = account["password"].as_str().expect("password");
            let prefix = format!("  ({id}, '{module}', '{username}', ");
            let line = SEED
                .lines()
                .find(|l| l.starts_with(&prefix))
                .unwrap_or_else(|| panic!("{module}/{username} is not in seed.sql: regenerate it"));
            let hash = line.split('\'').find(|s| s.starts_with("$argon2id$")).expect("a hash");
            assert!(password::verify(pw, Some(hash)), "{module}/{username}: password mismatch");
            checked += 1;
        }
    }
    assert!(checked >= 16, "only {checked} accounts checked");
}
