//! Checks of sign-in security: the idle clock of sessions, pending sign-ins, failure counts
//! and lockouts per key, TOTP steps accepted once, and recovery codes used once.

use chrono::Duration;

use super::accounts::{at, new_user};
use crate::{
    sha256, Confidential, Lockout, PendingSignIn, Role, Session, SignInStage, Store, StoreError,
    ThrottleKey, ThrottleScope, TotpCredential, Workspace,
};

fn key(scope: ThrottleScope, value: &str) -> ThrottleKey {
    ThrottleKey {
        scope,
        digest: sha256(value.as_bytes()),
    }
}

/// `touch_session` moves `last_seen`; `delete_sessions_of` ends a user's sessions and pending
/// sign-ins and no one else's.
pub fn sessions_track_use_and_end_per_user(_: &dyn Store, ws: &dyn Workspace) {
    let ana = ws
        .add_user(&new_user("ana@example.org", Role::Analyst))
        .expect("add");
    let bo = ws
        .add_user(&new_user("bo@example.org", Role::Analyst))
        .expect("add");
    let t0 = at("2026-11-23T10:00:00Z");
    let session = |token: &str, user| Session {
        token_hash: sha256(token.as_bytes()),
        user,
        csrf_token: Confidential::new(format!("csrf-{token}")),
        created: t0,
        last_seen: t0,
        expires: t0 + Duration::hours(12),
    };
    for (t, u) in [("a1", ana.id), ("a2", ana.id), ("b1", bo.id)] {
        ws.create_session(&session(t, u)).expect("create");
    }
    let later = at("2026-11-23T10:20:00Z");
    ws.touch_session(&sha256(b"a1"), later).expect("touch");
    ws.touch_session(&sha256(b"unknown"), later)
        .expect("touching nothing is fine");
    let a1 = ws.session(&sha256(b"a1")).expect("read").expect("exists");
    assert_eq!((a1.created, a1.last_seen), (t0, later));
    ws.create_pending_sign_in(&pending("pa", ana.id, SignInStage::Code))
        .expect("pending");
    assert_eq!(ws.delete_sessions_of(ana.id).expect("delete"), 2);
    assert_eq!(ws.session(&sha256(b"a2")).expect("read"), None);
    assert_eq!(ws.pending_sign_in(&sha256(b"pa")).expect("read"), None);
    assert!(
        ws.session(&sha256(b"b1")).expect("read").is_some(),
        "others keep theirs"
    );
}

fn pending(token: &str, user: crate::UserId, stage: SignInStage) -> PendingSignIn {
    let created = at("2026-11-23T10:00:00Z");
    PendingSignIn {
        token_hash: sha256(token.as_bytes()),
        user,
        csrf_token: Confidential::new(format!("csrf-{token}")),
        stage,
        enrollment_secret: (stage == SignInStage::Enroll).then(|| Confidential::new(vec![7; 20])),
        created,
        expires: created + Duration::minutes(10),
    }
}

/// Pending sign-ins read back whole, are unique by token, and are swept by time.
pub fn pending_sign_ins_live_until_deleted(_: &dyn Store, ws: &dyn Workspace) {
    let ana = ws
        .add_user(&new_user("ana@example.org", Role::Analyst))
        .expect("add");
    let (code, enroll) = (
        pending("p-code", ana.id, SignInStage::Code),
        pending("p-enroll", ana.id, SignInStage::Enroll),
    );
    ws.create_pending_sign_in(&code).expect("create");
    ws.create_pending_sign_in(&enroll).expect("create");
    let again = ws.create_pending_sign_in(&code);
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(
        ws.pending_sign_in(&code.token_hash).expect("read"),
        Some(code.clone())
    );
    let read = ws
        .pending_sign_in(&enroll.token_hash)
        .expect("read")
        .expect("exists");
    assert_eq!(
        read.enrollment_secret.map(|s| s.into_inner()),
        Some(vec![7; 20])
    );
    ws.delete_pending_sign_in(&code.token_hash).expect("delete");
    ws.delete_pending_sign_in(&code.token_hash)
        .expect("twice is fine");
    assert_eq!(ws.pending_sign_in(&code.token_hash).expect("read"), None);
    let swept = ws
        .delete_expired_pending_sign_ins(at("2026-11-23T10:10:00Z"))
        .expect("sweep");
    assert_eq!(swept, 1, "expiry at `now` counts as expired");
    assert_eq!(ws.pending_sign_in(&enroll.token_hash).expect("read"), None);
}

/// Failures are counted per key and scope within the window asked; clearing and sweeping
/// forget them.
pub fn login_failures_are_counted_per_key(_: &dyn Store, ws: &dyn Workspace) {
    let (ana, bo) = (
        key(ThrottleScope::Account, "ana@example.org"),
        key(ThrottleScope::Account, "bo@example.org"),
    );
    let same_digest_other_scope = ThrottleKey {
        scope: ThrottleScope::Address,
        digest: ana.digest,
    };
    let t = |m: i64| at("2026-11-23T10:00:00Z") + Duration::minutes(m);
    for m in 0..4 {
        ws.record_login_failure(&ana, t(m), t(-100)).expect("count");
    }
    assert_eq!(
        ws.record_login_failure(&ana, t(4), t(-100)).expect("count"),
        5
    );
    assert_eq!(
        ws.record_login_failure(&ana, t(5), t(2)).expect("count"),
        4,
        "only failures at or after `since`"
    );
    assert_eq!(ws.record_login_failure(&bo, t(5), t(0)).expect("count"), 1);
    assert_eq!(
        ws.record_login_failure(&same_digest_other_scope, t(5), t(0))
            .expect("count"),
        1
    );
    ws.clear_login_failures(&ana).expect("clear");
    assert_eq!(ws.record_login_failure(&ana, t(6), t(0)).expect("count"), 1);
    assert_eq!(ws.delete_login_failures_before(t(6)).expect("sweep"), 2);
    assert_eq!(ws.record_login_failure(&ana, t(7), t(0)).expect("count"), 2);
}

/// A lockout reads back, replaces the earlier one, forgets the key's failures, and is lifted
/// whole by `unlock`.
pub fn lockouts_replace_and_unlock(_: &dyn Store, ws: &dyn Workspace) {
    let k = key(ThrottleScope::Address, "192.0.2.7");
    let t = |m: i64| at("2026-11-23T10:00:00Z") + Duration::minutes(m);
    assert_eq!(ws.lockout(&k).expect("read"), None);
    assert!(!ws.unlock(&k).expect("nothing to lift"));
    for m in 0..3 {
        ws.record_login_failure(&k, t(m), t(0)).expect("count");
    }
    let first = Lockout {
        key: k,
        until: t(18),
        strikes: 1,
    };
    ws.set_lockout(&first).expect("lock");
    assert_eq!(ws.lockout(&k).expect("read"), Some(first));
    assert_eq!(
        ws.record_login_failure(&k, t(20), t(0)).expect("count"),
        1,
        "a lockout starts a new count"
    );
    let second = Lockout {
        key: k,
        until: t(50),
        strikes: 2,
    };
    ws.set_lockout(&second).expect("lock again");
    assert_eq!(ws.lockout(&k).expect("read"), Some(second));
    ws.record_login_failure(&k, t(21), t(0)).expect("count");
    assert!(ws.unlock(&k).expect("unlock"));
    assert_eq!(ws.lockout(&k).expect("read"), None);
    assert_eq!(ws.record_login_failure(&k, t(22), t(0)).expect("count"), 1);
}

/// An authenticator reads back; each time step is accepted once and only if later than the
/// last; enrolling again replaces it; removing it ends it.
pub fn totp_steps_are_accepted_once(_: &dyn Store, ws: &dyn Workspace) {
    let ana = ws
        .add_user(&new_user("ana@example.org", Role::Analyst))
        .expect("add");
    assert_eq!(ws.totp(ana.id).expect("read"), None);
    assert!(!ws.use_totp_step(ana.id, 1).expect("no authenticator"));
    let cred = TotpCredential {
        user: ana.id,
        secret: Confidential::new((0..20).collect()),
        enrolled: at("2026-11-23T10:00:00Z"),
        last_step: Some(59_000_000),
    };
    ws.enroll_totp(&cred, &[]).expect("enroll");
    assert_eq!(ws.totp(ana.id).expect("read"), Some(cred.clone()));
    assert!(!ws
        .use_totp_step(ana.id, 59_000_000)
        .expect("the enrolling step is used"));
    assert!(ws.use_totp_step(ana.id, 59_000_002).expect("a later step"));
    assert!(!ws.use_totp_step(ana.id, 59_000_002).expect("a replay"));
    assert!(!ws
        .use_totp_step(ana.id, 59_000_001)
        .expect("an earlier step"));
    let read = ws.totp(ana.id).expect("read").expect("enrolled");
    assert_eq!(read.last_step, Some(59_000_002));
    let renewed = TotpCredential {
        secret: Confidential::new(vec![9; 20]),
        last_step: None,
        ..cred
    };
    ws.enroll_totp(&renewed, &[]).expect("enroll again");
    assert_eq!(ws.totp(ana.id).expect("read"), Some(renewed));
    assert!(ws.remove_totp(ana.id).expect("remove"));
    assert!(!ws.remove_totp(ana.id).expect("gone"));
    assert_eq!(ws.totp(ana.id).expect("read"), None);
    let nobody = TotpCredential {
        user: crate::UserId(9999),
        secret: Confidential::new(vec![1; 20]),
        enrolled: at("2026-11-23T10:00:00Z"),
        last_step: None,
    };
    let unknown = ws.enroll_totp(&nobody, &[]);
    assert!(
        matches!(unknown, Err(StoreError::NotFound(_))),
        "{unknown:?}"
    );
}

/// Recovery codes are used once each, per user; enrolling anew replaces them.
pub fn recovery_codes_are_used_once(_: &dyn Store, ws: &dyn Workspace) {
    let ana = ws
        .add_user(&new_user("ana@example.org", Role::Analyst))
        .expect("add");
    let bo = ws
        .add_user(&new_user("bo@example.org", Role::Analyst))
        .expect("add");
    let cred = |user| TotpCredential {
        user,
        secret: Confidential::new(vec![3; 20]),
        enrolled: at("2026-11-23T10:00:00Z"),
        last_step: None,
    };
    let codes: Vec<_> = (0..10)
        .map(|i| sha256(format!("code-{i}").as_bytes()))
        .collect();
    ws.enroll_totp(&cred(ana.id), &codes).expect("enroll");
    ws.enroll_totp(&cred(bo.id), &codes[..2]).expect("enroll");
    assert_eq!(ws.recovery_codes_left(ana.id).expect("count"), 10);
    let when = at("2026-11-24T08:00:00Z");
    assert!(ws.use_recovery_code(ana.id, &codes[3], when).expect("use"));
    assert!(!ws
        .use_recovery_code(ana.id, &codes[3], when)
        .expect("used up"));
    assert!(!ws
        .use_recovery_code(ana.id, &sha256(b"forged"), when)
        .expect("unknown"));
    assert_eq!(ws.recovery_codes_left(ana.id).expect("count"), 9);
    assert_eq!(
        ws.recovery_codes_left(bo.id).expect("count"),
        2,
        "bo's are his own"
    );
    assert!(ws
        .use_recovery_code(bo.id, &codes[1], when)
        .expect("bo's code"));
    ws.enroll_totp(&cred(ana.id), &codes[..1])
        .expect("enroll anew");
    assert_eq!(ws.recovery_codes_left(ana.id).expect("count"), 1);
    assert!(ws.remove_totp(ana.id).expect("remove"));
    assert_eq!(ws.recovery_codes_left(ana.id).expect("count"), 0);
}
