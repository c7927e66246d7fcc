//! The SCIM filter language (RFC 7644 §3.4.2.2): a parser into a small tree and an evaluator
//! over a resource's SCIM JSON representation.
//!
//! Supported: `eq ne co sw ew gt ge lt le pr`, `and`, `or`, `not (...)`, parentheses, value
//! paths such as `emails[type eq "work"]`, and the form identity providers send although the
//! RFC's grammar keeps it for PATCH paths: `emails[type eq "work"].value eq "a@b.example"`,
//! read as "some email is of type work and has that value". Attribute names are matched
//! case-insensitively; string values too, except for attributes RFC 7643 marks `caseExact`
//! (`id`, `externalId`). Filters longer than [`MAX_FILTER_LEN`] or nested deeper than
//! [`MAX_DEPTH`] are refused before any evaluation.

use std::fmt;

use serde_json::Value;

/// The longest filter accepted, in bytes.
pub const MAX_FILTER_LEN: usize = 1024;

/// The deepest nesting of parentheses, `not` and value paths accepted.
pub const MAX_DEPTH: usize = 16;

/// The core User schema URN; attributes qualified with it are top-level attributes.
pub const CORE_USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

/// Why a filter could not be parsed; becomes a 400 with `scimType: invalidFilter`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError(String);

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, FilterError> {
    Err(FilterError(msg.into()))
}

/// An attribute path: an optional schema URN, an attribute and an optional sub-attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrPath {
    /// The schema URN the attribute is qualified with, if any.
    pub urn: Option<String>,
    /// The attribute name as written.
    pub attr: String,
    /// The sub-attribute name as written, if any.
    pub sub: Option<String>,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `eq`
    Eq,
    /// `ne`
    Ne,
    /// `co`
    Co,
    /// `sw`
    Sw,
    /// `ew`
    Ew,
    /// `gt`
    Gt,
    /// `ge`
    Ge,
    /// `lt`
    Lt,
    /// `le`
    Le,
}

impl CompareOp {
    fn parse(word: &str) -> Option<Self> {
        let op = match word.to_ascii_lowercase().as_str() {
            "eq" => Self::Eq,
            "ne" => Self::Ne,
            "co" => Self::Co,
            "sw" => Self::Sw,
            "ew" => Self::Ew,
            "gt" => Self::Gt,
            "ge" => Self::Ge,
            "lt" => Self::Lt,
            "le" => Self::Le,
            _ => return None,
        };
        Some(op)
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Ne => "ne",
            Self::Co => "co",
            Self::Sw => "sw",
            Self::Ew => "ew",
            Self::Gt => "gt",
            Self::Ge => "ge",
            Self::Lt => "lt",
            Self::Le => "le",
        }
    }
}

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `attr op value`
    Compare(AttrPath, CompareOp, Value),
    /// `attr pr`
    Present(AttrPath),
    /// `a and b`
    And(Box<Filter>, Box<Filter>),
    /// `a or b`
    Or(Box<Filter>, Box<Filter>),
    /// `not (a)`
    Not(Box<Filter>),
    /// `attr[inner]`: some element of the multi-valued `attr` satisfies `inner`, whose paths
    /// are relative to the element.
    Any(AttrPath, Box<Filter>),
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(urn) = &self.urn {
            write!(f, "{urn}:")?;
        }
        f.write_str(&self.attr)?;
        if let Some(sub) = &self.sub {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Compare(path, op, value) => write!(f, "{path} {} {value}", op.as_str()),
            Self::Present(path) => write!(f, "{path} pr"),
            Self::And(a, b) => write!(f, "({a} and {b})"),
            Self::Or(a, b) => write!(f, "({a} or {b})"),
            Self::Not(a) => write!(f, "not ({a})"),
            Self::Any(path, inner) => write!(f, "{path}[{inner}]"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    OpenBracket,
    CloseBracket,
    Str(String),
    Word(String),
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '_' | '-' | '$' | '+')
}

fn tokenize(input: &str) -> Result<Vec<Token>, FilterError> {
    let mut tokens = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | '[' | ']' => {
                chars.next();
                tokens.push(match c {
                    '(' => Token::Open,
                    ')' => Token::Close,
                    '[' => Token::OpenBracket,
                    _ => Token::CloseBracket,
                });
            }
            '"' => {
                let end = string_end(input, start)?;
                let literal = &input[start..end];
                let value: String = serde_json::from_str(literal)
                    .or_else(|_| err(format!("bad string literal {literal}")))?;
                tokens.push(Token::Str(value));
                while chars.peek().is_some_and(|&(i, _)| i < end) {
                    chars.next();
                }
            }
            c if is_word_char(c) => {
                let mut end = start;
                while let Some(&(i, c)) = chars.peek() {
                    if !is_word_char(c) {
                        break;
                    }
                    end = i + c.len_utf8();
                    chars.next();
                }
                tokens.push(Token::Word(input[start..end].to_owned()));
            }
            other => return err(format!("unexpected character '{other}' at {start}")),
        }
    }
    Ok(tokens)
}

/// Returns the byte offset just past the closing quote of the string starting at `start`.
fn string_end(input: &str, start: usize) -> Result<usize, FilterError> {
    let bytes = input.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Ok(i + 1),
            _ => i += 1,
        }
    }
    err(format!("unterminated string starting at {start}"))
}

fn parse_attr_path(word: &str) -> Result<AttrPath, FilterError> {
    let (urn, rest) = match word.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("urn:") => match word.rfind(':') {
            Some(i) => (Some(word[..i].to_owned()), &word[i + 1..]),
            None => return err(format!("bad attribute path {word}")),
        },
        _ => (None, word),
    };
    let (attr, sub) = match rest.split_once('.') {
        Some((a, s)) => (a, Some(s)),
        None => (rest, None),
    };
    if !is_attr_name(attr) || sub.is_some_and(|s| !is_attr_name(s)) {
        return err(format!("bad attribute path {word}"));
    }
    Ok(AttrPath { urn, attr: attr.to_owned(), sub: sub.map(str::to_owned) })
}

fn is_attr_name(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '$');
    first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

/// Parses a filter expression.
pub fn parse(input: &str) -> Result<Filter, FilterError> {
    if input.len() > MAX_FILTER_LEN {
        return err(format!("filter is longer than {MAX_FILTER_LEN} bytes"));
    }

    let tokens = tokenize(input)?;
    if tokens.is_empty() {
        return err("filter is empty");
    }

    let mut parser = Parser { tokens, pos: 0, depth: 0 };
    let filter = parser.or_expr()?;
    match parser.peek() {
        None => Ok(filter),
        Some(token) => err(format!("unexpected {} after a complete filter", describe(token))),
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Open => "'('".into(),
        Token::Close => "')'".into(),
        Token::OpenBracket => "'['".into(),
        Token::CloseBracket => "']'".into(),
        Token::Str(s) => format!("string \"{s}\""),
        Token::Word(w) => format!("'{w}'"),
    }
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        token
    }

    fn peek_keyword(&self, keyword: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(keyword))
    }

    fn expect(&mut self, want: Token) -> Result<(), FilterError> {
        match self.next() {
            Some(t) if t == want => Ok(()),
            Some(t) => err(format!("expected {} but found {}", describe(&want), describe(&t))),
            None => err(format!("expected {} but the filter ended", describe(&want))),
        }
    }

    fn descend(&mut self) -> Result<(), FilterError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return err(format!("filter is nested deeper than {MAX_DEPTH} levels"));
        }
        Ok(())
    }

    fn or_expr(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.and_expr()?;
        while self.peek_keyword("or") {
            self.pos += 1;
            let right = self.and_expr()?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.unary()?;
        while self.peek_keyword("and") {
            self.pos += 1;
            let right = self.unary()?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, FilterError> {
        if self.peek_keyword("not") {
            self.pos += 1;
            self.descend()?;
            self.expect(Token::Open)?;
            let inner = self.or_expr()?;
            self.expect(Token::Close)?;
            self.depth -= 1;
            return Ok(Filter::Not(Box::new(inner)));
        }

        if self.peek() == Some(&Token::Open) {
            self.pos += 1;
            self.descend()?;
            let inner = self.or_expr()?;
            self.expect(Token::Close)?;
            self.depth -= 1;
            return Ok(inner);
        }

        self.attr_expr()
    }

    fn attr_expr(&mut self) -> Result<Filter, FilterError> {
        let word = match self.next() {
            Some(Token::Word(w)) => w,
            Some(t) => return err(format!("expected an attribute but found {}", describe(&t))),
            None => return err("expected an attribute but the filter ended"),
        };
        let path = parse_attr_path(&word)?;

        if self.peek() != Some(&Token::OpenBracket) {
            return self.comparison(path);
        }

        if path.sub.is_some() {
            return err(format!("a value filter cannot follow the sub-attribute in {word}"));
        }
        self.pos += 1;
        self.descend()?;
        let inner = self.or_expr()?;
        self.expect(Token::CloseBracket)?;
        self.depth -= 1;

        // `emails[type eq "work"].value eq "x"`: the tokenizer reads `.value` as one word.
        let sub = match self.peek() {
            Some(Token::Word(w)) if w.starts_with('.') => w[1..].to_owned(),
            _ => return Ok(Filter::Any(path, Box::new(inner))),
        };
        self.pos += 1;
        if !is_attr_name(&sub) {
            return err(format!("bad sub-attribute .{sub}"));
        }
        let relative = AttrPath { urn: None, attr: sub, sub: None };
        let tail = self.comparison(relative)?;
        Ok(Filter::Any(path, Box::new(Filter::And(Box::new(inner), Box::new(tail)))))
    }

    fn comparison(&mut self, path: AttrPath) -> Result<Filter, FilterError> {
        let op = match self.next() {
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("pr") => {
                return Ok(Filter::Present(path));
            }
            Some(Token::Word(w)) => match CompareOp::parse(&w) {
                Some(op) => op,
                None => return err(format!("unknown operator '{w}' after {path}")),
            },
            Some(t) => return err(format!("expected an operator but found {}", describe(&t))),
            None => return err(format!("expected an operator after {path}")),
        };

        let value = match self.next() {
            Some(Token::Str(s)) => Value::String(s),
            Some(Token::Word(w)) => literal(&w)?,
            Some(t) => return err(format!("expected a value but found {}", describe(&t))),
            None => return err(format!("expected a value after {path} {}", op.as_str())),
        };
        Ok(Filter::Compare(path, op, value))
    }
}

fn literal(word: &str) -> Result<Value, FilterError> {
    match word {
        "true" => return Ok(Value::Bool(true)),
        "false" => return Ok(Value::Bool(false)),
        "null" => return Ok(Value::Null),
        _ => {}
    }
    match serde_json::from_str::<serde_json::Number>(word) {
        Ok(n) => Ok(Value::Number(n)),
        Err(_) => err(format!("'{word}' is not a value: quote strings with \"")),
    }
}

/// Whether string comparisons on this attribute are case-exact (RFC 7643 `caseExact`).
fn is_case_exact(path: &AttrPath) -> bool {
    path.sub.is_none() && ["id", "externalId"].iter().any(|a| a.eq_ignore_ascii_case(&path.attr))
}

/// Looks up a key case-insensitively in a JSON object.
fn get_ci<'a>(object: &'a Value, key: &str) -> Option<&'a Value> {
    object.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v)
}

/// Finds the values an attribute path names in `resource`. Unqualified names not found at the
/// top level are also looked up in extension objects (keys starting with `urn:`).
fn resolve<'a>(resource: &'a Value, path: &AttrPath) -> Vec<&'a Value> {
    let container = match &path.urn {
        Some(urn) if urn.eq_ignore_ascii_case(CORE_USER_URN) => Some(resource),
        Some(urn) => get_ci(resource, urn),
        None => Some(resource),
    };
    let mut found = container.and_then(|c| get_ci(c, &path.attr));
    if found.is_none() && path.urn.is_none() {
        found = resource.as_object().and_then(|o| {
            o.iter()
                .filter(|(k, _)| k.starts_with("urn:"))
                .find_map(|(_, ext)| get_ci(ext, &path.attr))
        });
    }
    let Some(value) = found else { return Vec::new() };

    let elements: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    match &path.sub {
        None => elements,
        Some(sub) => elements.into_iter().filter_map(|e| get_ci(e, sub)).collect(),
    }
}

/// Whether `resource` (a SCIM JSON representation) satisfies `filter`.
pub fn matches(filter: &Filter, resource: &Value) -> bool {
    match filter {
        Filter::And(a, b) => matches(a, resource) && matches(b, resource),
        Filter::Or(a, b) => matches(a, resource) || matches(b, resource),
        Filter::Not(a) => !matches(a, resource),
        Filter::Present(path) => resolve(resource, path).iter().any(|v| is_present(v)),
        Filter::Compare(path, op, want) => {
            let case_exact = is_case_exact(path);
            let values = resolve(resource, path);
            if values.is_empty() {
                return *op == CompareOp::Ne && !want.is_null();
            }
            values.iter().any(|have| compare(have, *op, want, case_exact))
        }
        Filter::Any(path, inner) => match resolve(resource, path).as_slice() {
            [] => false,
            elements => elements.iter().any(|e| matches(inner, e)),
        },
    }
}

fn is_present(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    }
}

fn compare(have: &Value, op: CompareOp, want: &Value, case_exact: bool) -> bool {
    match (have, want) {
        (Value::String(h), Value::String(w)) => {
            let (h, w) = if case_exact {
                (h.clone(), w.clone())
            } else {
                (h.to_lowercase(), w.to_lowercase())
            };
            match op {
                CompareOp::Eq => h == w,
                CompareOp::Ne => h != w,
                CompareOp::Co => h.contains(&w),
                CompareOp::Sw => h.starts_with(&w),
                CompareOp::Ew => h.ends_with(&w),
                CompareOp::Gt => h > w,
                CompareOp::Ge => h >= w,
                CompareOp::Lt => h < w,
                CompareOp::Le => h <= w,
            }
        }
        (Value::Number(h), Value::Number(w)) => {
            let (Some(h), Some(w)) = (h.as_f64(), w.as_f64()) else { return false };
            match op {
                CompareOp::Eq => h == w,
                CompareOp::Ne => h != w,
                CompareOp::Gt => h > w,
                CompareOp::Ge => h >= w,
                CompareOp::Lt => h < w,
                CompareOp::Le => h <= w,
                CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
            }
        }
        (Value::Bool(h), Value::Bool(w)) => match op {
            CompareOp::Eq => h == w,
            CompareOp::Ne => h != w,
            _ => false,
        },
        (_, Value::Null) => match op {
            CompareOp::Eq => have.is_null(),
            CompareOp::Ne => !have.is_null(),
            _ => false,
        },
        _ => op == CompareOp::Ne,
    }
}

/// The value of `userName eq "..."` when that is the whole filter, so callers can answer the
/// most common provisioning lookup with an index instead of a scan.
pub fn user_name_equality(filter: &Filter) -> Option<&str> {
    match filter {
        Filter::Compare(path, CompareOp::Eq, Value::String(s))
            if path.sub.is_none()
                && path.attr.eq_ignore_ascii_case("userName")
                && path.urn.as_deref().is_none_or(|u| u.eq_ignore_ascii_case(CORE_USER_URN)) =>
        {
            Some(s)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Parses `input` and compares the canonical form, or the error message.
    fn check_parse(name: &str, input: &str, expect: Result<&str, &str>) {
        let got = parse(input).map(|f| f.to_string()).map_err(|e| e.to_string());
        let want = expect.map(str::to_owned).map_err(str::to_owned);
        assert_eq!(got, want, "row {name}: {input}");
    }

    #[test]
    fn parse_table() {
        let rows: &[(&str, &str, Result<&str, &str>)] = &[
            ("user_name_eq", r#"userName eq "bjensen""#, Ok(r#"userName eq "bjensen""#)),
            ("operator_is_case_insensitive", r#"userName EQ "x""#, Ok(r#"userName eq "x""#)),
            (
                "dotted_sub_attribute",
                r#"emails.value eq "a@b.c""#,
                Ok(r#"emails.value eq "a@b.c""#),
            ),
            (
                "value_path_then_sub_attribute",
                r#"emails[type eq "work"].value eq "a@b.c""#,
                Ok(r#"emails[(type eq "work" and value eq "a@b.c")]"#),
            ),
            ("value_path", r#"emails[type eq "work"]"#, Ok(r#"emails[type eq "work"]"#)),
            ("present", "title pr", Ok("title pr")),
            (
                "and_binds_tighter_than_or",
                r#"a eq 1 or b eq 2 and c eq 3"#,
                Ok("(a eq 1 or (b eq 2 and c eq 3))"),
            ),
            ("parentheses", r#"(a eq 1 or b eq 2) and c pr"#, Ok("((a eq 1 or b eq 2) and c pr)")),
            ("not", r#"not (active eq false)"#, Ok("not (active eq false)")),
            ("literals", r#"x eq null and y ne true"#, Ok("(x eq null and y ne true)")),
            ("number", "n ge 2.5", Ok("n ge 2.5")),
            (
                "urn_qualified",
                r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
                Ok(r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#),
            ),
            ("escaped_quote", r#"userName eq "a\"b""#, Ok(r#"userName eq "a\"b""#)),
            ("empty", "", Err("filter is empty")),
            ("blank", "   ", Err("filter is empty")),
            ("missing_value", "userName eq", Err("expected a value after userName eq")),
            ("missing_operator", "userName", Err("expected an operator after userName")),
            ("unknown_operator", r#"userName is "x""#, Err("unknown operator 'is' after userName")),
            (
                "unquoted_string",
                "userName eq bjensen",
                Err("'bjensen' is not a value: quote strings with \""),
            ),
            ("unterminated_string", r#"userName eq "x"#, Err("unterminated string starting at 12")),
            ("unbalanced_paren", r#"(userName eq "x""#, Err("expected ')' but the filter ended")),
            ("stray_close", r#"userName eq "x")"#, Err("unexpected ')' after a complete filter")),
            ("unclosed_bracket", r#"emails[type eq "w""#, Err("expected ']' but the filter ended")),
            ("dangling_and", r#"a eq 1 and"#, Err("expected an attribute but the filter ended")),
            ("bad_character", r#"a eq 1 & b eq 2"#, Err("unexpected character '&' at 7")),
            ("bad_attribute", r#"1abc eq "x""#, Err("bad attribute path 1abc")),
            ("not_without_parens", r#"not a eq 1"#, Err("expected '(' but found 'a'")),
            (
                "value_first",
                r#""x" eq userName"#,
                Err("expected an attribute but found string \"x\""),
            ),
        ];
        for (name, input, expect) in rows {
            check_parse(name, input, *expect);
        }
    }

    #[test]
    fn too_long_and_too_deep_are_refused() {
        let long = format!(r#"userName eq "{}""#, "x".repeat(MAX_FILTER_LEN));
        assert_eq!(
            parse(&long).map_err(|e| e.to_string()),
            Err("filter is longer than 1024 bytes".into())
        );

        let deep = format!("{}a pr{}", "(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1));
        assert_eq!(
            parse(&deep).map_err(|e| e.to_string()),
            Err("filter is nested deeper than 16 levels".into())
        );
    }

    fn user() -> Value {
        json!({
            "schemas": [CORE_USER_URN],
            "id": "12",
            "externalId": "Hub-7",
            "userName": "BJensen",
            "active": true,
            "emails": [
                {"value": "Bjensen@Example.com", "type": "work", "primary": true},
                {"value": "babs@home.example", "type": "home"}
            ],
            "meta": {"created": "2026-01-02T03:04:05Z"},
            "urn:onegate:params:scim:schemas:extension:module:2.0:User": {"securityLevel": "3"}
        })
    }

    #[test]
    fn evaluation_table() {
        let rows: &[(&str, &str, bool)] = &[
            ("user_name_case_insensitive", r#"userName eq "bjensen""#, true),
            ("attribute_name_case_insensitive", r#"USERNAME eq "bjensen""#, true),
            ("user_name_other", r#"userName eq "other""#, false),
            ("email_any_value", r#"emails.value eq "BJENSEN@example.com""#, true),
            ("email_work", r#"emails[type eq "work"].value eq "bjensen@example.com""#, true),
            (
                "home_email_is_not_work",
                r#"emails[type eq "work"].value eq "babs@home.example""#,
                false,
            ),
            ("email_value_path", r#"emails[type eq "home"]"#, true),
            ("id_is_case_exact", r#"id eq "12""#, true),
            ("external_id_is_case_exact", r#"externalId eq "hub-7""#, false),
            ("boolean", "active eq true", true),
            ("not", "not (active eq true)", false),
            ("starts_with", r#"userName sw "bj""#, true),
            ("contains", r#"userName co "JEN""#, true),
            ("ends_with", r#"userName ew "sen""#, true),
            ("date_after", r#"meta.created gt "2026-01-01T00:00:00Z""#, true),
            ("absent_not_present", "title pr", false),
            ("present", "externalId pr", true),
            ("absent_ne", r#"title ne "x""#, true),
            (
                "extension_qualified",
                r#"urn:onegate:params:scim:schemas:extension:module:2.0:User:securityLevel eq "3""#,
                true,
            ),
            ("extension_unqualified", r#"securityLevel eq "4""#, false),
            ("type_mismatch", r#"active eq "true""#, false),
            ("or", r#"userName eq "x" or active eq true"#, true),
        ];
        let user = user();
        for (name, input, expect) in rows {
            let filter = parse(input).unwrap_or_else(|e| panic!("row {name}: {e}"));
            assert_eq!(matches(&filter, &user), *expect, "row {name}: {input}");
        }
    }

    #[test]
    fn user_name_equality_is_found_only_alone() {
        let f = parse(r#"userName eq "a""#).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(user_name_equality(&f), Some("a"));
        let f = parse(r#"userName eq "a" and active eq true"#).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(user_name_equality(&f), None);
        let f = parse(r#"userName ne "a""#).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(user_name_equality(&f), None);
    }
}
