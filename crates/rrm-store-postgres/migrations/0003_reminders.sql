-- 0003: deadline reminders sent (rrm_store::Reminders), as SQLite's 0007 keeps them. The
-- primary key is what a reminder is about and which notice it is: a second server's claim of
-- the same reminder is `on conflict do nothing`, so each is sent once.
create table reminders (
    case_id text collate "C" not null references cases (id),
    clock text not null,
    due text not null,
    notice text not null check (notice in ('week', 'day', 'due', 'overdue')),
    sent text not null,
    instance text not null,
    primary key (case_id, clock, due, notice)
);

create index reminders_sent on reminders (sent desc);
