-- The tables of finetune4j's PostgreSQL store, schema version 2, for a database without them.
--
-- By default the store creates (and migrates) these tables itself when it opens. Applications
-- that manage their schema with Flyway, Liquibase or a DBA's review apply this script instead and
-- open the store with JdbcStoreOptions.builder().createTables(false): the store then only checks
-- that the tables are there at schema version 2 and never runs DDL.
--
-- Names are unqualified: the tables go into the schema first on the search_path (set it, or
-- Flyway's / Liquibase's default schema, to the schema given to JdbcStoreOptions.schema).
-- A database at schema version 1 (finetune4j before 2026-12) cannot be upgraded by a script: the
-- upgrade computes a checksum of every revision. Open it once with createTables(true).
-- PostgreSQL 12 or later. Ids are compared in the "C" collation, as every store sorts them.

create table if not exists ft4j_schema (version integer not null);

create table ft4j_revisions (
    tenant varchar(64) collate "C" not null,
    collection varchar(64) collate "C" not null,
    id varchar(200) collate "C" not null,
    revision bigint not null,
    created_at timestamptz not null,
    value text not null,
    checksum char(64),
    primary key (tenant, collection, id, revision)
);

create index ft4j_revisions_first on ft4j_revisions (tenant, collection, id) where revision = 1;

create table ft4j_blobs (
    tenant varchar(64) not null,
    id char(64) not null,
    size bigint not null,
    sums bytea,
    primary key (tenant, id)
);

create table ft4j_blob_chunks (
    tenant varchar(64) not null,
    id varchar(64) not null,
    seq integer not null,
    data bytea not null,
    primary key (tenant, id, seq)
);

insert into ft4j_schema (version) values (2);
