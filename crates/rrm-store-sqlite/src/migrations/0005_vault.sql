-- 0005: encryption at rest, chain of custody and the audit log.
--
-- Confidential values (a submission's content, evidence file names, note texts, the names of
-- documents that are not public) are now written sealed by the application: opaque blobs in
-- the same columns (sqlite keeps a blob in a text column as it is). File bytes in `blobs` are
-- sealed too unless the document is public, and `blobs.sha256` is the hash of the bytes as
-- stored; `content_sha256` on a file record is the hash of the file as received, which is what
-- chain of custody records (null on rows from before this migration, whose bytes were stored
-- as received, so their `sha256` is both).

-- Per-case data keys, wrapped by a master key that is never stored. No reference to `cases`:
-- a petition's key is made before its case is written.
create table case_keys (
    case_id text not null,
    version integer not null check (version >= 1),
    master_id text not null,
    wrapped blob not null,
    created text not null,
    primary key (case_id, version)
) without rowid;

-- The tamper-evident log: one hash chain for the installation (see `rrm_store::audit_hash`).
create table audit_log (
    seq integer primary key,
    at text not null,
    actor text not null,
    action text not null,
    case_id text,
    subject text not null,
    detail text not null,
    prev_hash blob not null,
    hash blob not null
);
create index audit_log_case on audit_log (case_id, seq) where case_id is not null;
create index audit_log_action on audit_log (action, seq);

alter table evidence_files add column content_sha256 blob;

alter table documents add column content_sha256 blob;
alter table documents add column classification text not null default 'restricted'
    check (classification in ('public', 'restricted', 'confidential'));
alter table documents add column share_counterparts integer not null default 0
    check (share_counterparts in (0, 1));
alter table documents add column share_respondent integer not null default 0
    check (share_respondent in (0, 1));
alter table documents add column redacted_from integer references documents (id);
alter table documents add column action_item text;
-- Only a public document is ever published: the store's update says `classification = 'public'`.
alter table documents add column published integer not null default 0
    check (published in (0, 1));
