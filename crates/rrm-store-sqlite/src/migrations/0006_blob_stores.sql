-- 0006: file bytes may live outside the database, in a directory or S3-compatible storage
-- (`rrm_store::BlobStore`). `blobs` stays the index every file record references, so the
-- foreign keys still say no record names bytes the store never had; its `bytes` column is
-- null for a file kept outside. `blob_store` remembers where the bytes are and the id the
-- external store was marked with, so the data directory is not opened against another place
-- by mistake.
--
-- Runs with foreign keys off (the runner's `rebuilds tables` flag) because `blobs` is rebuilt
-- to make `bytes` nullable, the documented way sqlite changes a constraint; the runner checks
-- every foreign key before committing.

create table blobs_new (
    id integer primary key,
    sha256 blob not null unique,
    size integer not null,
    bytes blob
);
insert into blobs_new (id, sha256, size, bytes) select id, sha256, size, bytes from blobs;
drop table blobs;
alter table blobs_new rename to blobs;

-- One row at most: absent until the store is first opened with this migration, which then
-- records `database` (the bytes were all in the database before) or the external place.
create table blob_store (
    id integer primary key check (id = 1),
    kind text not null check (kind in ('database', 'directory', 's3')),
    location text not null,
    store_id text not null
);
