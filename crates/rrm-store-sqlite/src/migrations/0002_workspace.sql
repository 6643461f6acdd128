-- 0002: the staff workspace and petition intake: staff users, sessions and api tokens (stored
-- as sha-256 of the token, never the token), petition submissions, evidence files and staff
-- documents with their bytes kept once per content, internal notes, and unpublished cases.
--
-- Migrations are append-only: never edit this file once released; add 0003_*.sql instead.
-- Times are utc `yyyy-mm-ddThh:mm:ssZ` text, so text order is time order.

-- Staff users. `email` is stored lowercased by the application; the unique index is the rule
-- that one address is one account. `password_hash` is an argon2id phc string.
create table users (
    id integer primary key,
    email text not null unique,
    display_name text not null,
    password_hash text not null,
    role text not null check (role in ('analyst', 'supervisor', 'admin')),
    created text not null
);

-- Signed-in browsers, by the sha-256 of the cookie's token: a copy of this table cannot be
-- replayed as a cookie. `csrf_token` is the synchronizer token of the session's forms.
create table sessions (
    token_hash blob primary key not null,
    user_id integer not null references users (id),
    csrf_token text not null,
    created text not null,
    expires text not null
) without rowid;
create index sessions_expires on sessions (expires);

-- API and calendar tokens, by sha-256. Revoked tokens are kept (marked) so a token's history
-- stays answerable.
create table api_tokens (
    id integer primary key,
    token_hash blob not null unique,
    user_id integer not null references users (id),
    label text not null,
    scope text not null check (scope in ('api', 'calendar')),
    created text not null,
    revoked text
);
create index api_tokens_user on api_tokens (user_id);

-- A petition as received. `content` is the confidential json document (identity, contact,
-- narrative, facility as given, consent, language); the case it opened holds only what may
-- be published. `secret_hash` is the argon2id hash of the status secret.
create table submissions (
    receipt text primary key not null,
    secret_hash text not null,
    case_id text not null unique references cases (id),
    content text not null,
    created text not null
) without rowid;

-- File contents, once per distinct sha-256. Kept in the database rather than on disk so a
-- petition (case, submission, evidence and bytes) commits in one transaction, a backup is one
-- file, and no file can exist without its record or a record without its file. Uploads are
-- capped at 10 mib per file and 25 mib per request, well within what sqlite keeps comfortably.
create table blobs (
    id integer primary key,
    sha256 blob not null unique,
    size integer not null,
    bytes blob not null
);

-- Evidence filed with a petition (by receipt) or added to a case, never both.
create table evidence_files (
    id integer primary key,
    submission text references submissions (receipt),
    case_id text references cases (id),
    file_name text not null,
    declared_type text not null,
    sniffed_type text not null,
    size integer not null,
    sha256 blob not null references blobs (sha256),
    created text not null,
    check ((submission is null) <> (case_id is null))
);
create index evidence_files_submission on evidence_files (submission) where submission is not null;
create index evidence_files_case on evidence_files (case_id) where case_id is not null;

-- Internal notes: staff only, never published.
create table notes (
    id integer primary key,
    case_id text not null references cases (id),
    author integer not null references users (id),
    text text not null,
    created text not null
);
create index notes_case on notes (case_id, id);

-- Documents staff attach to a case.
create table documents (
    id integer primary key,
    case_id text not null references cases (id),
    uploader integer not null references users (id),
    name text not null,
    content_type text not null,
    size integer not null,
    sha256 blob not null references blobs (sha256),
    created text not null
);
create index documents_case on documents (case_id, id);

-- Cases not yet published. A case is published unless listed here, so every imported case is
-- public from the start with no row written, and a petition's case is listed here in the
-- transaction that creates it. A table rather than a column: `case_projection` rows are
-- replaced whole on every append, and listing reads `case_projection` alone, whose covering
-- index carries `case_id`; `case_id not in (select ...)` over this small table keeps that.
create table unpublished_cases (
    case_id text primary key not null references cases (id)
) without rowid;
