//! Sign-in security shared by servers on one database (Architecture Invariant 7): two stores
//! on one schema, each on its own connection, racing to accept one TOTP step accept it once,
//! and racing to count failures of one key lose none. (Counting in a plain transaction
//! instead of `begin_write`'s fails the second test: counts repeat, failures go uncounted.)

use std::sync::Barrier;
use std::thread;
use std::time::Instant;

use chrono::Duration;

use rrm_store::{
    sha256, Confidential, NewUser, Role, ThrottleKey, ThrottleScope, TotpCredential, Workspace,
};

use crate::support::{at, Schema};

fn user(store: &dyn Workspace) -> rrm_store::UserId {
    let new = NewUser {
        email: "ana@example.org".into(),
        display_name: "Ana".into(),
        password_hash: Confidential::new("$argon2id$v=19$m=19456,t=2,p=1$x$y".into()),
        role: Role::Analyst,
        created: at("2026-11-23T10:00:00Z"),
    };
    store.add_user(&new).unwrap().id
}

#[test]
fn two_servers_racing_for_one_totp_step_accept_it_once() {
    const STEPS: u64 = 40;
    let schema = Schema::new();
    let servers = [schema.store(), schema.store()];
    let ana = user(&servers[0]);
    let credential = TotpCredential {
        user: ana,
        secret: Confidential::new(vec![5; 20]),
        enrolled: at("2026-11-23T10:00:00Z"),
        last_step: None,
    };
    servers[1].enroll_totp(&credential, &[]).unwrap();
    // For each step, both servers are released at once to accept it.
    let start = Barrier::new(2);
    let accepted: Vec<Vec<u64>> = thread::scope(|s| {
        let racers = servers.each_ref().map(|server| {
            let start = &start;
            s.spawn(move || {
                let mut won = Vec::new();
                for step in 1..=STEPS {
                    start.wait();
                    if server.use_totp_step(ana, 1_000 + step).unwrap() {
                        won.push(step);
                    }
                }
                won
            })
        });
        racers.map(|r| r.join().unwrap()).into()
    });
    let mut all: Vec<u64> = accepted.concat();
    all.sort_unstable();
    assert_eq!(all, (1..=STEPS).collect::<Vec<_>>(), "each step once");
    eprintln!("steps won: {} and {}", accepted[0].len(), accepted[1].len());
    let last = servers[0].totp(ana).unwrap().unwrap().last_step;
    assert_eq!(last, Some(1_000 + STEPS));
}

#[test]
fn two_servers_counting_failures_of_one_key_lose_none() {
    const EACH: u32 = 30;
    let schema = Schema::new();
    let servers = [schema.store(), schema.store()];
    let key = ThrottleKey {
        scope: ThrottleScope::Account,
        digest: sha256(b"ana@example.org"),
    };
    let t0 = at("2026-11-23T10:00:00Z");
    let start = Barrier::new(2);
    let began = Instant::now();
    let counts: Vec<Vec<u32>> = thread::scope(|s| {
        let racers = servers.each_ref().map(|server| {
            let start = &start;
            s.spawn(move || {
                start.wait();
                (0..EACH)
                    .map(|i| {
                        let when = t0 + Duration::seconds(i64::from(i));
                        server.record_login_failure(&key, when, t0).unwrap()
                    })
                    .collect::<Vec<_>>()
            })
        });
        racers.map(|r| r.join().unwrap()).into()
    });
    eprintln!(
        "{} failures counted by two servers in {:?}",
        2 * EACH,
        began.elapsed()
    );
    // Every count is the number of failures committed before it plus itself: all differ.
    let mut all = counts.concat();
    all.sort_unstable();
    assert_eq!(all, (1..=2 * EACH).collect::<Vec<_>>());
}
