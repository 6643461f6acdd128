-- 0007: deadline reminders sent (rrm_store::Reminders). The primary key is what a reminder
-- is about and which notice it is, so a second server's claim of the same reminder is an
-- ignored insert: each is sent once however many servers run the reminder job.
create table reminders (
    case_id text not null references cases (id),
    clock text not null,
    due text not null,
    notice text not null check (notice in ('week', 'day', 'due', 'overdue')),
    sent text not null,
    instance text not null,
    primary key (case_id, clock, due, notice)
) without rowid;

create index reminders_sent on reminders (sent desc);
