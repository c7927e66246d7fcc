-- The portal: support tickets with comments and idempotency keys, subscriptions, orders,
-- invoices, provisioning charges, and the facts the insights read that no other table holds.
-- Every row belongs to a tenant and every query filters by it. Ids are random text (never
-- sequential), so an id reveals nothing about how many rows another tenant has. Times are unix
-- seconds; money is integer minor units next to an ISO 4217 currency code.

-- Support tickets. `version` starts at 1 and every status change adds one; an update is written
-- only where the stored version is still the one the writer read. `change_id` is the random id
-- of the last change, so a comment written with a status change can check that its own update
-- won (see edge/src/portal/store.rs).
CREATE TABLE tickets (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    module_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    description TEXT NOT NULL,
    priority TEXT NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    status TEXT NOT NULL
        CHECK (status IN ('new', 'in_progress', 'waiting_on_customer', 'resolved', 'closed')),
    version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    change_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX tickets_list ON tickets (tenant_id, created_at DESC, id DESC);

-- Comments are append-only. `author_kind` is `customer` or `support`.
CREATE TABLE ticket_comments (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    ticket_id TEXT NOT NULL REFERENCES tickets(id),
    author_kind TEXT NOT NULL CHECK (author_kind IN ('customer', 'support')),
    author_name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX ticket_comments_by_ticket ON ticket_comments (tenant_id, ticket_id, created_at);

-- Idempotency keys of ticket creates: written in the same batch (transaction) as the ticket.
-- The primary key makes a second create under the same key fail instead of duplicating; the
-- fingerprint (core's `ValidTicket::fingerprint`) tells a retry from a different request.
CREATE TABLE ticket_idempotency (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    ticket_id TEXT NOT NULL REFERENCES tickets(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, key)
);

-- Subscriptions (core's billing::Subscription). `term` is `monthly` or `annual`.
CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    module_id TEXT NOT NULL,
    plan TEXT NOT NULL,
    seats INTEGER NOT NULL CHECK (seats >= 1),
    unit_price INTEGER NOT NULL,
    currency TEXT NOT NULL,
    term TEXT NOT NULL CHECK (term IN ('monthly', 'annual')),
    started_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'cancelled'))
);
CREATE INDEX subscriptions_tenant ON subscriptions (tenant_id, module_id);

-- Orders and their lines.
CREATE TABLE orders (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    number TEXT NOT NULL,
    placed_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'fulfilled', 'cancelled'))
);
CREATE INDEX orders_tenant ON orders (tenant_id, placed_at DESC);

-- Invoices. Totals are never stored: core computes them from the lines on every read.
CREATE TABLE invoices (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    number TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'void')),
    UNIQUE (tenant_id, number)
);
CREATE INDEX invoices_tenant ON invoices (tenant_id, issued_at DESC);

-- Lines of orders and invoices (core's billing::InvoiceLine); `doc_id` is the order or invoice.
CREATE TABLE billing_doc_lines (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    doc_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    module_id TEXT,
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    unit_price INTEGER NOT NULL,
    currency TEXT NOT NULL,
    tax_rate_bp INTEGER NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    PRIMARY KEY (doc_id, position)
);
CREATE INDEX billing_doc_lines_tenant ON billing_doc_lines (tenant_id, doc_id);

-- Charges from the module integration: core's provisioning::BillingLine (`kind` is
-- `seat_added`), one row per provisioned account. The gate appends here when provisioning
-- creates an account; the portal lists them. (tenant, module, hub user, kind) is unique, so a
-- repeated provisioning of the same user records one charge.
CREATE TABLE IF NOT EXISTS billing_lines (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    module_id TEXT NOT NULL,
    hub_user TEXT NOT NULL,
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (tenant_id, module_id, hub_user, kind)
);
CREATE INDEX IF NOT EXISTS billing_lines_tenant ON billing_lines (tenant_id, date DESC);

-- Latest sign-ins to each module (core's insights::RecentSignIn): username, license type
-- (`full`, `dashboard_user`, ...), method (`hub_login` or `module_credentials`).
CREATE TABLE module_sign_ins (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    module_id TEXT NOT NULL,
    username TEXT NOT NULL,
    license_type TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('hub_login', 'module_credentials')),
    at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, module_id, username)
);

-- Each module's security levels (core's model::SecurityLevel); lower rank = less privilege.
CREATE TABLE module_security_levels (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    module_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    rank INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, module_id, id)
);
