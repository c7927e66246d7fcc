//! Reads the launcher input the gate writes into the page, without serde.
//!
//! The gate injects `<script type="application/json" id="onegate-launcher-data">` holding a
//! [`LauncherInput`] as JSON. Parsing it with the browser's `JSON.parse` and reading fields by
//! hand keeps serde's deserialisers out of the launcher's WebAssembly (see the size figures in
//! `web/README.md`). The field names and defaults are the ones the core's serde derive reads.

use js_sys::{Array, JSON, Reflect};
use onegate_core::launcher::{Brand, Entitlement, LauncherInput, Page, SignedInVia};
use onegate_core::{Error, ErrorKind, Result};
use wasm_bindgen::{JsCast, JsValue};

/// Parses the JSON text of the launcher data element.
pub fn from_json(text: &str) -> Result<LauncherInput> {
    let Ok(value) = JSON::parse(text) else {
        return Err(invalid("the launcher data is not valid JSON"));
    };
    from_value(&value)
}

/// Reads a [`LauncherInput`] from a plain JavaScript object.
pub fn from_value(value: &JsValue) -> Result<LauncherInput> {
    if !value.is_object() {
        return Err(invalid("the launcher data must be an object"));
    }

    let signed_in_via = match required_string(value, "signed_in_via")?.as_str() {
        "hub" => SignedInVia::Hub,
        "module_credentials" => SignedInVia::ModuleCredentials,
        "nobody" => SignedInVia::Nobody,
        _ => {
            return Err(invalid(
                "`signed_in_via` must be \"hub\", \"module_credentials\" or \"nobody\"",
            ));
        }
    };

    let page = match required_string(value, "page")?.as_str() {
        "login" => Page::Login,
        "module" => Page::Module,
        _ => return Err(invalid("`page` must be \"login\" or \"module\"")),
    };

    Ok(LauncherInput {
        signed_in_via,
        page,
        entitlements: entitlements(value)?,
        current_module: required_string(value, "current_module")?,
        unified_login: required_bool(value, "unified_login")?,
        current_url: required_string(value, "current_url")?,
        sign_in_url: required_string(value, "sign_in_url")?,
        hub_home: required_string(value, "hub_home")?,
        brand: brand(value)?,
    })
}

fn entitlements(value: &JsValue) -> Result<Vec<Entitlement>> {
    let list = field(value, "entitlements");
    if list.is_undefined() || list.is_null() {
        return Ok(Vec::new());
    }

    let Some(list) = list.dyn_ref::<Array>() else {
        return Err(invalid("`entitlements` must be an array"));
    };
    list.iter()
        .map(|it| {
            if !it.is_object() {
                return Err(invalid("each entitlement must be an object"));
            }
            Ok(Entitlement {
                module_id: required_string(&it, "module_id")?,
                name: required_string(&it, "name")?,
                url: required_string(&it, "url")?,
                icon: optional_string(&it, "icon")?,
            })
        })
        .collect()
}

fn brand(value: &JsValue) -> Result<Brand> {
    let brand = field(value, "brand");
    if brand.is_undefined() || brand.is_null() {
        return Ok(Brand::default());
    }

    if !brand.is_object() {
        return Err(invalid("`brand` must be an object"));
    }
    Ok(Brand {
        name: required_string(&brand, "name")?,
        menu_title: required_string(&brand, "menu_title")?,
    })
}

fn field(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn required_string(value: &JsValue, key: &str) -> Result<String> {
    field(value, key).as_string().ok_or_else(|| invalid(&format!("`{key}` must be a string")))
}

fn optional_string(value: &JsValue, key: &str) -> Result<Option<String>> {
    let it = field(value, key);
    if it.is_undefined() || it.is_null() {
        return Ok(None);
    }
    it.as_string().map(Some).ok_or_else(|| invalid(&format!("`{key}` must be a string or null")))
}

fn required_bool(value: &JsValue, key: &str) -> Result<bool> {
    field(value, key).as_bool().ok_or_else(|| invalid(&format!("`{key}` must be true or false")))
}

fn invalid(message: &str) -> Error {
    Error::new(ErrorKind::ValueInvalid, format!("launcher data: {message}"))
}
