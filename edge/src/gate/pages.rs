//! The pages the gate answers itself: refusals that state core's rule, failed sign-ins and the
//! signed-out page. Rendered with minijinja, every value auto-escaped.

use minijinja::context;
use worker::{Response, Result};

use crate::common::html;

const PAGE: &str = include_str!("templates/page.html");

/// A link shown under the message.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Link {
    /// Where it goes.
    pub href: String,
    /// Its text.
    pub text: String,
}

/// A button that posts to the gate (no fields: the gate reads its own cookies).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Form {
    /// Where the form posts.
    pub action: String,
    /// The button's text.
    pub button: String,
}

/// What a gate page says.
#[derive(Debug, Clone)]
pub struct Page<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The module's name, for the title.
    pub module_name: &'a str,
    /// The heading.
    pub heading: &'a str,
    /// The message a person can act on (core's rule explanation, say).
    pub message: &'a str,
    /// The stable code of the rule or error, if any.
    pub rule: Option<&'a str>,
    /// What the person can do next.
    pub links: Vec<Link>,
}

impl Page<'_> {
    /// The rendered page as a response.
    pub fn respond(&self) -> Result<Response> {
        self.respond_with(None)
    }

    /// The rendered page with a `form` above its links, as a response.
    pub fn respond_with(&self, form: Option<&Form>) -> Result<Response> {
        html::page(self.status, self.render(form))
    }

    /// The rendered HTML.
    pub fn render(&self, form: Option<&Form>) -> String {
        let env = html::environment(&[("page.html", PAGE)]);
        let ctx = context! {
            module_name => self.module_name,
            heading => self.heading,
            message => self.message,
            rule => self.rule,
            links => minijinja::Value::from_serialize(&self.links),
            form => form.map(minijinja::Value::from_serialize),
        };
        html::render(&env, "page.html", ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_escape_every_value() {
        let page = Page {
            status: 403,
            module_name: "<PSA>",
            heading: "Refused",
            message: "<script>alert(1)</script>",
            rule: Some("hub_login_required\"><b>"),
            links: vec![Link { href: "\"><img>".into(), text: "<i>home</i>".into() }],
        };
        let form = Form { action: "\"><b>".into(), button: "<u>go</u>".into() };
        let html = page.render(Some(&form));
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"), "{html}");
        assert!(!html.contains("<img>") && !html.contains("<i>home"), "{html}");
        assert!(html.contains("&lt;PSA&gt;"), "{html}");
        assert!(!html.contains("<b>") && !html.contains("<u>go"), "{html}");
        assert!(html.contains(r#"<form method="post" action="&quot;&gt;&lt;b&gt;">"#), "{html}");
    }
}
