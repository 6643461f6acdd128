-- 0003: sign-in security: the idle time of sessions, sign-ins waiting for their second factor,
-- totp authenticators with their recovery codes, and login throttling with lockouts.
--
-- Migrations are append-only: never edit this file once released; add a new one instead.
-- Times are utc `yyyy-mm-ddThh:mm:ssZ` text, so text order is time order.

-- When each session was last used, for the idle timeout. Sessions that exist when this runs
-- count as used when they were created.
alter table sessions add column last_seen text not null default '';
update sessions set last_seen = created;

-- A sign-in past its password, waiting for a code (`stage` 'code') or for an authenticator to
-- be set up (`stage` 'enroll', with the secret being set up in `enrollment_secret`). Keyed by
-- the sha-256 of its cookie's token, like sessions; it opens only the second-factor pages.
create table pending_sign_ins (
    token_hash blob primary key not null,
    user_id integer not null references users (id),
    csrf_token text not null,
    stage text not null check (stage in ('code', 'enroll')),
    enrollment_secret blob,
    created text not null,
    expires text not null,
    check ((stage = 'enroll') = (enrollment_secret is not null))
) without rowid;
create index pending_sign_ins_expires on pending_sign_ins (expires);
create index pending_sign_ins_user on pending_sign_ins (user_id);

-- One authenticator per staff member (rfc 6238: hmac-sha-1, 6 digits, 30-second steps).
-- `last_step` is the last time step a code was accepted for; a code of that step or an
-- earlier one is a replay, refused by the conditional update that accepts a step.
create table totp_credentials (
    user_id integer primary key references users (id),
    secret blob not null,
    enrolled text not null,
    last_step integer
);

-- One-time recovery codes, as the sha-256 of the code (80 random bits each), shown once.
create table recovery_codes (
    user_id integer not null references users (id),
    code_hash blob not null,
    used text,
    primary key (user_id, code_hash)
) without rowid;

-- Failed sign-ins, by throttle key: the sha-256 of an email address (`scope` 'account') or of
-- a client address (`scope` 'address'), never the value. One row per failure, so servers
-- sharing this database count every failure; old rows are swept.
create table login_failures (
    id integer primary key,
    scope text not null check (scope in ('account', 'address')),
    key_hash blob not null,
    at text not null
);
create index login_failures_key on login_failures (scope, key_hash, at);
create index login_failures_at on login_failures (at);

-- Lockouts, current (`until` in the future) or past (kept so a repeat lockout grows;
-- `strikes` counts lockouts in a row).
create table lockouts (
    scope text not null check (scope in ('account', 'address')),
    key_hash blob not null,
    until text not null,
    strikes integer not null check (strikes >= 1),
    primary key (scope, key_hash)
) without rowid;
