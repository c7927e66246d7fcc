//! The one error type that crosses the core's boundary.
//!
//! Every error carries an [`ErrorKind`] with a stable machine code
//! (`"require_hub_login_needs_unified_login"`) that the edge, the admin screens and JavaScript
//! callers match on, and a lower-case message written for the person who has to act on it (a
//! tenant admin, a user at a login page).

use std::fmt;

use serde::Serialize;

/// What went wrong, as a stable code. New kinds may be added, so match with a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    // --- module settings ---
    /// `require_hub_login` was turned on while `unified_login` is off.
    RequireHubLoginNeedsUnifiedLogin,
    /// Provisioning was turned on while one of its five defaults is missing.
    ProvisioningDefaultMissing,
    /// A setting names a security level the module does not have.
    SecurityLevelUnknown,
    /// The default security level for new accounts is inactive.
    DefaultSecurityLevelInactive,
    /// The default security level was about to be inactivated.
    DefaultSecurityLevelCannotBeInactivated,
    /// The default security level was about to be deleted.
    DefaultSecurityLevelCannotBeDeleted,
    /// A user exception names a user the module does not have.
    UserExceptionUnknown,
    /// A user exception is listed twice.
    UserExceptionDuplicate,
    /// An access group names a hub group the tenant does not have.
    AccessGroupUnknown,
    /// An access group is listed twice.
    AccessGroupDuplicate,
    /// Two security levels of one module share an id.
    SecurityLevelDuplicate,
    /// A value is empty, too long or otherwise unusable.
    ValueInvalid,

    // --- provisioning ---
    /// The hub user has no access to the module.
    ModuleAccessMissing,
    /// The module has no account for the user and provisioning is off.
    ModuleAccountMissing,
    /// The matching module account is already linked to another hub user.
    ModuleAccountLinkedElsewhere,
    /// An account with the same email exists, but the hub email is not verified.
    HubEmailUnverified,
    /// More than one module account has the user's email.
    ModuleAccountAmbiguous,
    /// The username provisioning would create belongs to an account with another email.
    ModuleUsernameTaken,

    // --- return URLs ---
    /// A return URL could not be used.
    ReturnUrlRejected,

    // --- tokens ---
    /// The token is not three base64url segments of JSON, or a claim has the wrong type.
    TokenMalformed,
    /// The token is larger than the gate accepts.
    TokenTooLarge,
    /// The header names an algorithm that is not the one pinned for its key.
    TokenAlgorithmMismatch,
    /// The header carries `crit`, which this verifier does not understand.
    TokenCriticalHeader,
    /// The header has no `kid`, or a `kid` the key set does not hold.
    TokenKeyUnknown,
    /// The header's `typ` is not the one expected.
    TokenTypeMismatch,
    /// The signature does not verify.
    TokenSignatureInvalid,
    /// `iss` is not exactly the hub.
    TokenIssuerMismatch,
    /// `aud` does not include this module.
    TokenAudienceMismatch,
    /// `exp` lies in the past (beyond the leeway).
    TokenExpired,
    /// `nbf` or `iat` lies in the future (beyond the leeway).
    TokenNotYetValid,
    /// A required claim is missing.
    TokenClaimMissing,
    /// `tid` is not the tenant the module belongs to.
    TokenTenantMismatch,
    /// `nonce` is not the one of the login the token answers.
    TokenNonceMismatch,
    /// A logout token lacks what makes it one (the back-channel logout event, `sub` or `sid`)
    /// or carries what an ID token carries (`nonce`).
    LogoutTokenInvalid,
    /// A JWKS document or key could not be used.
    KeySetInvalid,
    /// Signing failed (bad key material).
    SigningFailed,

    // --- hub sign-in ---
    /// The email and password do not match an account.
    CredentialsInvalid,
    /// Too many failed attempts for this account or address.
    SignInThrottled,
    /// A new password does not meet the policy.
    PasswordTooWeak,
    /// The two-factor code is not digits of the right length.
    TotpCodeMalformed,
    /// The two-factor code is wrong for this time.
    TotpCodeInvalid,
    /// The two-factor code was already used.
    TotpCodeReused,
    /// The recovery code is unknown or already used.
    RecoveryCodeInvalid,
    /// A newer sign-in replaced the authenticator secret this enrolment showed.
    TotpEnrolmentSuperseded,

    // --- OpenID Connect provider ---
    /// The client id is missing or not registered.
    OidcClientUnknown,
    /// The client failed to authenticate at the token endpoint.
    OidcClientAuthFailed,
    /// The redirect URI is missing or not registered for the client.
    RedirectUriUnregistered,
    /// The authorization request is malformed or asks for something unsupported.
    OidcRequestInvalid,
    /// The request has no PKCE challenge, or not an S256 one.
    PkceRequired,
    /// The PKCE verifier does not match the challenge.
    PkceMismatch,
    /// The authorization code is unknown, expired, reused or not for this client.
    AuthorizationCodeInvalid,

    // --- support tickets ---
    /// A ticket names a module the tenant does not have.
    TicketModuleUnknown,
    /// A ticket's subject is empty or too long.
    TicketSubjectInvalid,
    /// A ticket's description is empty or too long.
    TicketDescriptionInvalid,
    /// A ticket's priority is not low, medium, high or critical.
    TicketPriorityInvalid,
    /// A ticket status is not one of the five statuses.
    TicketStatusInvalid,
    /// The status change is not allowed from this status, or not for this person.
    TicketTransitionRefused,
    /// A comment is empty or too long.
    TicketCommentInvalid,
    /// The ticket is closed; nothing more can be added to it.
    TicketClosed,
    /// The record changed since the caller read it (optimistic concurrency). The edge
    /// answers 409.
    VersionConflict,
    /// An idempotency key is empty, too long or has characters outside `[A-Za-z0-9_-]`.
    IdempotencyKeyInvalid,
    /// An idempotency key was reused with a different request. The edge answers 422.
    IdempotencyKeyReused,
    /// A list filter (status, module, priority, text) cannot be used.
    TicketFilterInvalid,
    /// A page size is outside 1..=100.
    PageSizeInvalid,
    /// A page cursor is not one this service handed out.
    CursorInvalid,

    // --- billing ---
    /// A currency is not a three-letter upper-case ISO 4217 code.
    CurrencyInvalid,
    /// Amounts in different currencies were to be added up.
    CurrencyMismatch,
    /// An amount does not fit in 64-bit minor units.
    AmountOverflow,
    /// A tax rate is outside 0..=10000 basis points.
    TaxRateInvalid,
    /// A subscription's module, plan, seats or price cannot be used.
    SubscriptionInvalid,
    /// No active subscription covers the module (or the date) a charge is for.
    SubscriptionMissing,
    /// A billing date is not a `YYYY-MM-DD` calendar date.
    BillingDateInvalid,
    /// An invoice has no lines.
    InvoiceEmpty,
}

impl ErrorKind {
    /// The stable machine code, for logs, JSON bodies and JavaScript callers.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::RequireHubLoginNeedsUnifiedLogin => "require_hub_login_needs_unified_login",
            ErrorKind::ProvisioningDefaultMissing => "provisioning_default_missing",
            ErrorKind::SecurityLevelUnknown => "security_level_unknown",
            ErrorKind::DefaultSecurityLevelInactive => "default_security_level_inactive",
            ErrorKind::DefaultSecurityLevelCannotBeInactivated => {
                "default_security_level_cannot_be_inactivated"
            }
            ErrorKind::DefaultSecurityLevelCannotBeDeleted => {
                "default_security_level_cannot_be_deleted"
            }
            ErrorKind::UserExceptionUnknown => "user_exception_unknown",
            ErrorKind::UserExceptionDuplicate => "user_exception_duplicate",
            ErrorKind::AccessGroupUnknown => "access_group_unknown",
            ErrorKind::AccessGroupDuplicate => "access_group_duplicate",
            ErrorKind::SecurityLevelDuplicate => "security_level_duplicate",
            ErrorKind::ValueInvalid => "value_invalid",
            ErrorKind::ModuleAccessMissing => "module_access_missing",
            ErrorKind::ModuleAccountMissing => "module_account_missing",
            ErrorKind::ModuleAccountLinkedElsewhere => "module_account_linked_elsewhere",
            ErrorKind::HubEmailUnverified => "hub_email_unverified",
            ErrorKind::ModuleAccountAmbiguous => "module_account_ambiguous",
            ErrorKind::ModuleUsernameTaken => "module_username_taken",
            ErrorKind::ReturnUrlRejected => "return_url_rejected",
            ErrorKind::TokenMalformed => "token_malformed",
            ErrorKind::TokenTooLarge => "token_too_large",
            ErrorKind::TokenAlgorithmMismatch => "token_algorithm_mismatch",
            ErrorKind::TokenCriticalHeader => "token_critical_header",
            ErrorKind::TokenKeyUnknown => "token_key_unknown",
            ErrorKind::TokenTypeMismatch => "token_type_mismatch",
            ErrorKind::TokenSignatureInvalid => "token_signature_invalid",
            ErrorKind::TokenIssuerMismatch => "token_issuer_mismatch",
            ErrorKind::TokenAudienceMismatch => "token_audience_mismatch",
            ErrorKind::TokenExpired => "token_expired",
            ErrorKind::TokenNotYetValid => "token_not_yet_valid",
            ErrorKind::TokenClaimMissing => "token_claim_missing",
            ErrorKind::TokenTenantMismatch => "token_tenant_mismatch",
            ErrorKind::TokenNonceMismatch => "token_nonce_mismatch",
            ErrorKind::LogoutTokenInvalid => "logout_token_invalid",
            ErrorKind::KeySetInvalid => "key_set_invalid",
            ErrorKind::SigningFailed => "signing_failed",
            ErrorKind::CredentialsInvalid => "credentials_invalid",
            ErrorKind::SignInThrottled => "sign_in_throttled",
            ErrorKind::PasswordTooWeak => "password_too_weak",
            ErrorKind::TotpCodeMalformed => "totp_code_malformed",
            ErrorKind::TotpCodeInvalid => "totp_code_invalid",
            ErrorKind::TotpCodeReused => "totp_code_reused",
            ErrorKind::RecoveryCodeInvalid => "recovery_code_invalid",
            ErrorKind::TotpEnrolmentSuperseded => "totp_enrolment_superseded",
            ErrorKind::OidcClientUnknown => "oidc_client_unknown",
            ErrorKind::OidcClientAuthFailed => "oidc_client_auth_failed",
            ErrorKind::RedirectUriUnregistered => "redirect_uri_unregistered",
            ErrorKind::OidcRequestInvalid => "oidc_request_invalid",
            ErrorKind::PkceRequired => "pkce_required",
            ErrorKind::PkceMismatch => "pkce_mismatch",
            ErrorKind::AuthorizationCodeInvalid => "authorization_code_invalid",
            ErrorKind::TicketModuleUnknown => "ticket_module_unknown",
            ErrorKind::TicketSubjectInvalid => "ticket_subject_invalid",
            ErrorKind::TicketDescriptionInvalid => "ticket_description_invalid",
            ErrorKind::TicketPriorityInvalid => "ticket_priority_invalid",
            ErrorKind::TicketStatusInvalid => "ticket_status_invalid",
            ErrorKind::TicketTransitionRefused => "ticket_transition_refused",
            ErrorKind::TicketCommentInvalid => "ticket_comment_invalid",
            ErrorKind::TicketClosed => "ticket_closed",
            ErrorKind::VersionConflict => "version_conflict",
            ErrorKind::IdempotencyKeyInvalid => "idempotency_key_invalid",
            ErrorKind::IdempotencyKeyReused => "idempotency_key_reused",
            ErrorKind::TicketFilterInvalid => "ticket_filter_invalid",
            ErrorKind::PageSizeInvalid => "page_size_invalid",
            ErrorKind::CursorInvalid => "cursor_invalid",
            ErrorKind::CurrencyInvalid => "currency_invalid",
            ErrorKind::CurrencyMismatch => "currency_mismatch",
            ErrorKind::AmountOverflow => "amount_overflow",
            ErrorKind::TaxRateInvalid => "tax_rate_invalid",
            ErrorKind::SubscriptionInvalid => "subscription_invalid",
            ErrorKind::SubscriptionMissing => "subscription_missing",
            ErrorKind::BillingDateInvalid => "billing_date_invalid",
            ErrorKind::InvoiceEmpty => "invoice_empty",
        }
    }

    /// True for kinds that describe a bad or unacceptable token or key set. The edge answers
    /// these with 401 and a fresh sign-in, never with a 5xx.
    pub fn is_token_error(self) -> bool {
        self.code().starts_with("token_")
            || matches!(self, ErrorKind::KeySetInvalid | ErrorKind::LogoutTokenInvalid)
    }
}

/// An error from the core: a kind with a stable code, and a message a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// Builds an error; `message` is lower-case and ends without a period.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error { kind, message: message.into() }
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable machine code of [`Error::kind`].
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The message for the person who has to act on it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Error", 2)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &self.message)?;
        st.end()
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
