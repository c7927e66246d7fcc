// Types of @onegate/web: the onegate core's decisions for JavaScript callers.
//
// Field names are snake_case, exactly as the core reads and writes them. Every function is
// synchronous once the package is imported; errors are thrown as `OnegateError`.

// ---------------------------------------------------------------------------------------------
// Errors

/** Every stable error code the core can report. New codes may be added in minor versions. */
export type ErrorCode =
  | 'require_hub_login_needs_unified_login'
  | 'provisioning_default_missing'
  | 'security_level_unknown'
  | 'default_security_level_inactive'
  | 'default_security_level_cannot_be_inactivated'
  | 'default_security_level_cannot_be_deleted'
  | 'user_exception_unknown'
  | 'user_exception_duplicate'
  | 'access_group_unknown'
  | 'access_group_duplicate'
  | 'security_level_duplicate'
  | 'value_invalid'
  | 'module_access_missing'
  | 'module_account_missing'
  | 'module_account_linked_elsewhere'
  | 'hub_email_unverified'
  | 'module_account_ambiguous'
  | 'module_username_taken'
  | 'return_url_rejected'
  | 'token_malformed'
  | 'token_too_large'
  | 'token_algorithm_mismatch'
  | 'token_critical_header'
  | 'token_key_unknown'
  | 'token_type_mismatch'
  | 'token_signature_invalid'
  | 'token_issuer_mismatch'
  | 'token_audience_mismatch'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'token_claim_missing'
  | 'token_tenant_mismatch'
  | 'token_nonce_mismatch'
  | 'logout_token_invalid'
  | 'key_set_invalid'
  | 'signing_failed'
  | 'credentials_invalid'
  | 'sign_in_throttled'
  | 'password_too_weak'
  | 'totp_code_malformed'
  | 'totp_code_invalid'
  | 'totp_code_reused'
  | 'recovery_code_invalid'
  | 'totp_enrolment_superseded'
  | 'oidc_client_unknown'
  | 'oidc_client_auth_failed'
  | 'redirect_uri_unregistered'
  | 'oidc_request_invalid'
  | 'pkce_required'
  | 'pkce_mismatch'
  | 'authorization_code_invalid'
  | 'ticket_module_unknown'
  | 'ticket_subject_invalid'
  | 'ticket_description_invalid'
  | 'ticket_priority_invalid'
  | 'ticket_status_invalid'
  | 'ticket_transition_refused'
  | 'ticket_comment_invalid'
  | 'ticket_closed'
  | 'version_conflict'
  | 'idempotency_key_invalid'
  | 'idempotency_key_reused'
  | 'ticket_filter_invalid'
  | 'page_size_invalid'
  | 'cursor_invalid'
  | 'currency_invalid'
  | 'currency_mismatch'
  | 'amount_overflow'
  | 'tax_rate_invalid'
  | 'subscription_invalid'
  | 'subscription_missing'
  | 'billing_date_invalid'
  | 'invoice_empty';

/** An error from the onegate core: `code` is stable, `message` is for the person acting on it. */
export declare class OnegateError extends Error {
  constructor(code: ErrorCode, message: string);
  readonly name: 'OnegateError';
  readonly code: ErrorCode;
}

// ---------------------------------------------------------------------------------------------
// Model

export type LicenseType = 'full' | 'dashboard_user' | 'co_managed_help_desk_user' | 'contractor';
export type Client = 'browser' | 'live_mobile';
export type LoginMethod = 'hub_login' | 'module_credentials';

/** The five defaults a provisioned account takes. */
export interface ProvisioningDefaults {
  security_level?: string | null;
  timesheet_approver?: string | null;
  department?: string | null;
  expense_report_approver?: string | null;
  role?: string | null;
}

/** A module's login, provisioning and access-group settings. Every field defaults to off/empty. */
export interface ModuleSettings {
  unified_login?: boolean;
  require_hub_login?: boolean;
  user_exceptions?: string[];
  provisioning?: boolean;
  defaults?: ProvisioningDefaults;
  /** Hub group ids in the admin's order. */
  access_groups?: string[];
}

export interface SecurityLevel {
  id: string;
  name: string;
  active: boolean;
  rank: number;
}

export interface HubGroup {
  id: string;
  name: string;
}

// ---------------------------------------------------------------------------------------------
// decideLogin

export interface LoginInput {
  settings: ModuleSettings;
  client: Client;
  method: LoginMethod;
  /** The module account's username, when known. */
  username?: string | null;
  /** The module account's license; absent means "no account yet". */
  license_type?: LicenseType | null;
  /** The hub's brand in `explanation`. Defaults to "KaseyaOne". */
  brand?: string | null;
}

export type LoginOutcome = 'allow' | 'send_to_hub' | 'refuse';

export type LoginRule =
  | 'live_mobile_refused'
  | 'hub_login_not_enabled'
  | 'license_barred_from_hub_login'
  | 'hub_login_accepted'
  | 'module_credentials_accepted'
  | 'user_exception'
  | 'implicit_exception'
  | 'hub_login_required';

interface DecisionBase {
  outcome: LoginOutcome;
  /** The rule in plain words. */
  explanation: string;
}

export type LoginDecision =
  | (DecisionBase & {
      rule: 'license_barred_from_hub_login' | 'implicit_exception';
      license_type: LicenseType;
    })
  | (DecisionBase & {
      rule: Exclude<LoginRule, 'license_barred_from_hub_login' | 'implicit_exception'>;
      license_type?: undefined;
    });

/** May this user sign in to this module, this way? Throws `value_invalid` on a bad input. */
export declare function decideLogin(input: LoginInput): LoginDecision;

// ---------------------------------------------------------------------------------------------
// resolveSecurityLevel, accessGroupTable

export type Moment = 'creation' | 'sign_in';

export interface ResolveInput {
  settings: ModuleSettings;
  groups: HubGroup[];
  levels: SecurityLevel[];
  /** The hub group ids the user belongs to. */
  user_groups: string[];
  moment: Moment;
}

export type ResolutionReason =
  | { kind: 'group_matched'; group: string }
  | { kind: 'several_groups_at_creation'; count: number }
  | { kind: 'no_group_maps' }
  | { kind: 'access_groups_off' };

export interface Resolution {
  /** The security level id to apply; null when nothing changes or no default is set. */
  level: string | null;
  reason: ResolutionReason;
}

/** The security level a hub user gets, and why. Throws `value_invalid` on a bad input. */
export declare function resolveSecurityLevel(input: ResolveInput): Resolution;

export interface TableInput {
  settings: ModuleSettings;
  groups: HubGroup[];
  levels: SecurityLevel[];
}

export type GroupMapping =
  | { kind: 'maps'; level: string; level_name: string }
  | { kind: 'no_level_named'; group_name: string }
  | { kind: 'several_levels_named'; count: number; group_name: string }
  | { kind: 'level_inactive'; level: string; level_name: string }
  | { kind: 'group_unknown' };

export interface AccessGroupRow {
  group: string;
  name: string | null;
  mapping: GroupMapping;
}

/** The admin's access groups, in order, with what each maps to. */
export declare function accessGroupTable(input: TableInput): AccessGroupRow[];

// ---------------------------------------------------------------------------------------------
// checkReturnUrl, returnUrlOrFallback

export interface ReturnUrlPolicy {
  /** The tenant's registered origins, e.g. `https://psa.example.com`. */
  origins: string[];
  /** What relative return URLs resolve against. */
  base: string;
  /** Where `returnUrlOrFallback` sends refused URLs (the hub home). Defaults to "". */
  fallback?: string;
}

/** The resolved return URL. Throws `OnegateError` with code `return_url_rejected`. */
export declare function checkReturnUrl(candidate: string, policy: ReturnUrlPolicy): string;

/** The resolved return URL, or `policy.fallback` when it is refused. */
export declare function returnUrlOrFallback(candidate: string, policy: ReturnUrlPolicy): string;

// ---------------------------------------------------------------------------------------------
// launcherView

export type SignedInVia = 'hub' | 'module_credentials' | 'nobody';
export type Page = 'login' | 'module';

export interface Entitlement {
  module_id: string;
  name: string;
  url: string;
  icon?: string | null;
}

export interface Brand {
  name: string;
  menu_title: string;
}

/** What the gate writes into `#onegate-launcher-data`. */
export interface LauncherInput {
  signed_in_via: SignedInVia;
  page: Page;
  entitlements?: Entitlement[];
  current_module: string;
  unified_login: boolean;
  current_url: string;
  sign_in_url: string;
  hub_home: string;
  /** Defaults to KaseyaOne / My KaseyaOne. */
  brand?: Brand;
}

export interface MenuItem {
  module_id: string;
  name: string;
  href: string;
  icon: string | null;
  current: boolean;
}

export type LauncherView =
  | { view: 'waffle'; label: string; title: string; home: string; items: MenuItem[] }
  | { view: 'hub_icon'; label: string; href: string }
  | { view: 'login_choice'; label: string; href: string }
  | { view: 'hidden' };

/** What the launcher shows. Throws `value_invalid` on a bad input. */
export declare function launcherView(input: LauncherInput): LauncherView;
