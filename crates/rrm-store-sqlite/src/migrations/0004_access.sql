-- 0004: who reaches which case. Accounts gain the counterpart and respondent roles and a
-- disabled mark; teams of ilc staff work the cases assigned to them (a case on no team belongs
-- to the intake teams); grants give one counterpart or respondent account one case.
--
-- Runs with foreign keys off (the runner's `rebuilds tables` flag) because `users` is rebuilt
-- to widen its role check, the documented way sqlite changes a constraint; the runner checks
-- every foreign key before committing.

create table users_new (
    id integer primary key,
    email text not null unique,
    display_name text not null,
    password_hash text not null,
    role text not null check (role in (
        'analyst', 'supervisor', 'admin', 'counterpart-mx', 'counterpart-ca', 'respondent'
    )),
    created text not null,
    disabled text
);
insert into users_new (id, email, display_name, password_hash, role, created)
    select id, email, display_name, password_hash, role, created from users;
drop table users;
alter table users_new rename to users;

create table teams (
    id integer primary key,
    name text not null unique,
    intake integer not null check (intake in (0, 1)),
    created text not null
);

create table team_members (
    team_id integer not null references teams (id),
    user_id integer not null references users (id),
    primary key (team_id, user_id)
) without rowid;
create index team_members_user on team_members (user_id, team_id);

-- Absent rows mean "intake": see `rrm_store::AccessControl`.
create table case_teams (
    case_id text not null references cases (id),
    team_id integer not null references teams (id),
    primary key (case_id, team_id)
) without rowid;
create index case_teams_team on case_teams (team_id, case_id);

create table case_grants (
    case_id text not null references cases (id),
    user_id integer not null references users (id),
    primary key (case_id, user_id)
) without rowid;
create index case_grants_user on case_grants (user_id, case_id);
