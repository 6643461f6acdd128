-- 0001: case headers with the head of their chain, the append-only events, the projection the
-- engine derives (listing columns and running clocks by due date), and which cases are
-- unpublished (the store-side half of publication that `CaseFilter::published` asks about).
--
-- Migrations are append-only: never edit this file once released; add 0002_*.sql instead.
-- The tables mirror rrm-store-sqlite's migrations 0001 and 0002 (unpublished_cases only).
-- Keys and sorted text use the "c" collation, so ids and titles sort bytewise, as in sqlite,
-- whatever the database's default collation is. Payloads and documents are `text`, not
-- `jsonb`: the hash chain covers their exact bytes, which jsonb would normalize.

-- A case header. `header_hash` is what event 1 chains from; `head_seq`/`head_hash` name the last
-- event, so an append checks and extends the chain without reading it.
create table cases (
    id text collate "C" primary key,
    procedure text not null,
    facility_key text,
    document text not null,
    header_hash bytea not null,
    head_seq bigint not null,
    head_hash bytea not null
);

-- Repeat offences: denial determinations across the cases of one facility.
create index cases_facility_key on cases (facility_key) where facility_key is not null;

-- The events, keyed by case and position: reading a case, appending and `verify` walk this key.
create table events (
    case_id text collate "C" not null references cases (id),
    seq bigint not null,
    kind text not null,
    date date,
    payload text not null,
    prev_hash bytea not null,
    hash bytea not null,
    primary key (case_id, seq)
);

-- Panel determinations are counted per facility; a partial index keeps that lookup small.
create index events_panel_determination on events (case_id) where kind = 'panel_determination';

-- One row per case, replaced whole on every append. `procedure` is copied from `cases` (which
-- never changes) so listing filters stay on one table.
create table case_projection (
    case_id text collate "C" primary key references cases (id),
    procedure text not null,
    stage text not null,
    closed boolean not null,
    outcome text,
    has_panel boolean not null,
    first_date date,
    last_date date,
    title text collate "C" not null,
    company text,
    sector text,
    state text,
    year integer,
    workers bigint
);

-- The default listing order (most recent activity first, cases without a date last).
create index case_projection_recent on case_projection (last_date desc nulls last, case_id);

-- The running clocks with a known due date, replaced with the projection.
create table running_clocks (
    case_id text collate "C" not null references cases (id),
    procedure text not null,
    clock text collate "C" not null,
    started date,
    due date not null
);

-- "What is overdue / due this week": a range on due, in the answer's order.
create index running_clocks_due on running_clocks (due, case_id);
-- Replacing one case's clocks on append, and the clocks of listed cases.
create index running_clocks_case on running_clocks (case_id);

-- Cases kept out of every public listing (petitions awaiting review). Written by the workspace
-- (not yet implemented on postgresql); read here by `list_cases` for `published`.
create table unpublished_cases (
    case_id text collate "C" primary key references cases (id)
);
