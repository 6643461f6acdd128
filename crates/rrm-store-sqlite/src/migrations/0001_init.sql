-- 0001: case headers with the head of their chain, the append-only events, and the projection
-- the engine derives (listing columns and running clocks by due date).
--
-- Migrations are append-only: never edit this file once released; add 0002_*.sql instead.
-- Dates are iso `yyyy-mm-dd` text, so text order is date order; hashes are 32-byte blobs.

-- A case header. `document` is the caller's canonical json; `header_hash` is what event 1
-- chains from; `head_seq`/`head_hash` name the last event, so an append checks and extends the
-- chain without reading it.
create table cases (
    id text primary key not null,
    procedure text not null,
    facility_key text,
    document text not null,
    header_hash blob not null,
    head_seq integer not null,
    head_hash blob not null
);

-- Repeat offences: denial determinations across the cases of one facility.
create index cases_facility_key on cases (facility_key) where facility_key is not null;

-- The events, clustered by case and position: a case's events are one contiguous range of the
-- b-tree, which is what reading a case, appending to it and `verify` all walk.
create table events (
    case_id text not null references cases (id),
    seq integer not null,
    kind text not null,
    date text,
    payload text not null,
    prev_hash blob not null,
    hash blob not null,
    primary key (case_id, seq)
) without rowid;

-- One row per case, replaced whole on every append. `procedure` is copied from `cases` so that
-- listing filters stay on one table; headers never change, so the copy cannot drift.
create table case_projection (
    case_id text primary key not null references cases (id),
    procedure text not null,
    stage text not null,
    closed integer not null,
    outcome text,
    has_panel integer not null,
    first_date text,
    last_date text,
    title text not null,
    company text,
    sector text,
    state text,
    year integer,
    workers integer
) without rowid;

-- One index serves listing, chosen by measurement: every index on this table costs a write to a
-- random page of it for every case imported or appended to, as much as writing the case's ten
-- events, and with ten indexes an import ran at a fifth of the speed of plain inserts. This one
-- is in the default order (most recent activity first; NULL sorts last in a descending order,
-- and case_id breaks ties so pages are stable), and it carries every filter column, so a
-- filtered page or a filtered total is read from the index alone. The other orders (first
-- date, title) sort the matching rows at query time. The figures are in the benchmark's output.
create index case_projection_recent on case_projection
    (last_date desc, case_id, procedure, stage, closed, outcome, has_panel, sector, state, year);

-- The running clocks with a known due date, replaced with the projection. `procedure` is copied
-- from `cases` (which never changes) so a deadline query reads this table's index alone: joining
-- `cases` for it cost a random read per row, 160 ms for the 20,000 overdue rows of a million
-- cases, against a few ms without.
create table running_clocks (
    case_id text not null references cases (id),
    procedure text not null,
    clock text not null,
    started text,
    due text not null
);

-- "What is overdue / due this week": a range on due, in the answer's order, covering every
-- column the answer has.
create index running_clocks_due on running_clocks (due, case_id, clock, started, procedure);
-- Replacing one case's clocks on append, and the clocks of one case.
create index running_clocks_case on running_clocks (case_id);
