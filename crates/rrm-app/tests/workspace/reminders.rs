//! Deadline reminders: each notice of a running deadline is sent once, by one server.

use std::sync::{Arc, Barrier};

use chrono::NaiveDate;
use rrm_app::Rrm;
use rrm_store::Notice;

use super::{now, petition, rrm, today};

/// The ILC's 30-day clock of a petition filed on `today()` is due on 2026-12-23.
fn due() -> NaiveDate {
    "2026-12-23".parse().unwrap()
}

fn on(days_before_due: i64) -> NaiveDate {
    due() - chrono::Duration::days(days_before_due)
}

fn notices(sent: &[rrm_store::Reminder]) -> Vec<(String, Notice)> {
    sent.iter().map(|r| (r.clock.clone(), r.notice)).collect()
}

#[test]
fn each_notice_of_a_deadline_is_sent_once() {
    let rrm = rrm();
    rrm.file_petition(&petition(), Vec::new(), today(), now())
        .unwrap();
    let ilc = || vec![("ilc_determination".to_string(), Notice::Week)];
    // Eight days before: nothing yet. Seven: the week's notice, once.
    assert_eq!(rrm.send_due_reminders(on(8), now(), "a").unwrap(), vec![]);
    assert_eq!(
        notices(&rrm.send_due_reminders(on(7), now(), "a").unwrap()),
        ilc()
    );
    assert!(rrm
        .send_due_reminders(on(7), now(), "a")
        .unwrap()
        .is_empty());
    assert!(rrm
        .send_due_reminders(on(3), now(), "a")
        .unwrap()
        .is_empty());
    let day = rrm.send_due_reminders(on(1), now(), "a").unwrap();
    assert_eq!(day[0].notice, Notice::Day);
    let on_the_day = rrm.send_due_reminders(on(0), now(), "a").unwrap();
    assert_eq!(on_the_day[0].notice, Notice::Due);
    let late = rrm.send_due_reminders(on(-4), now(), "a").unwrap();
    assert_eq!((late[0].notice, late[0].due), (Notice::Overdue, due()));
    assert!(rrm
        .send_due_reminders(on(-5), now(), "a")
        .unwrap()
        .is_empty());
    let listed = rrm.reminders_sent(10).unwrap();
    assert_eq!(listed.len(), 4);
    assert!(listed
        .iter()
        .all(|r| r.case_id == "planta-nandu-2026" && r.instance == "a"));
}

#[test]
fn servers_racing_on_one_store_send_each_reminder_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rrm.sqlite3");
    let procedures = Arc::new(rrm_core::procedure::shipped().unwrap());
    let server = |name: &str| {
        let store = rrm_store_sqlite::SqliteStore::open(&path).unwrap();
        (
            Rrm::new(Arc::new(store), procedures.clone()),
            name.to_string(),
        )
    };
    let first = server("one");
    let key = rrm_app::vault::MasterKey::generate().unwrap();
    let filer = first.0.clone().with_master_key(key);
    filer
        .file_petition(&petition(), Vec::new(), today(), now())
        .unwrap();
    let servers = [first, server("two"), server("three"), server("four")];
    let barrier = Barrier::new(servers.len());
    let sent: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = servers
            .iter()
            .map(|(rrm, name)| {
                let barrier = &barrier;
                s.spawn(move || {
                    let mut mine = Vec::new();
                    for day in [7, 7, 1, 1, 0, 0] {
                        barrier.wait();
                        mine.extend(rrm.send_due_reminders(on(day), now(), name).unwrap());
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let mut got: Vec<Notice> = sent.iter().map(|r| r.notice).collect();
    got.sort();
    assert_eq!(got, vec![Notice::Week, Notice::Day, Notice::Due]);
    assert_eq!(servers[0].0.reminders_sent(10).unwrap().len(), 3);
}
