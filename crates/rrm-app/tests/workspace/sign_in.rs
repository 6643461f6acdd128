//! Signing in: password then second factor, enrollment, replayed codes, recovery codes,
//! throttling and lockout per account and per address, sessions' idle and absolute limits.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use rrm_app::throttle::{account_key, ACCOUNT_FAILURES, ADDRESS_FAILURES};
use rrm_app::{totp, AppError, Previous, Rrm, SecondFactor, SignedIn};
use rrm_store::{Confidential, Role, SignInStage};

use super::{now, rrm, PASSWORD};

fn pw(p: &str) -> Confidential<String> {
    Confidential::new(p.to_string())
}

fn ip(s: &str) -> Option<IpAddr> {
    Some(s.parse().unwrap())
}

const HOME: &str = "198.51.100.4";

/// The authenticator app of a test: the secret it was given at enrollment.
pub(super) struct App(Vec<u8>);

impl App {
    fn code(&self, at: DateTime<Utc>) -> String {
        totp::code_at(&self.0, at)
    }
}

fn add(rrm: &Rrm, email: &str) {
    rrm.add_user(email, "Staff", Role::Analyst, &pw(PASSWORD), now())
        .unwrap();
}

/// Signs a new account in for the first time, setting up its authenticator.
pub(super) fn enroll(rrm: &Rrm, email: &str, at: DateTime<Utc>) -> (App, SignedIn) {
    let step = rrm
        .sign_in_password(email, &pw(PASSWORD), ip(HOME), Previous::default(), at)
        .unwrap();
    assert_eq!(
        step.stage,
        SignInStage::Enroll,
        "a new account enrolls first"
    );
    let pending = rrm
        .pending_sign_in(step.token.expose(), at)
        .unwrap()
        .unwrap();
    let secret = pending
        .record
        .enrollment_secret
        .clone()
        .unwrap()
        .into_inner();
    let shown = rrm.enrollment(&pending).unwrap();
    assert!(shown
        .uri
        .expose()
        .contains(&shown.secret_base32.expose().replace(' ', "")));
    let app = App(secret);
    let done = rrm
        .sign_in_code(step.token.expose(), &app.code(at), ip(HOME), at)
        .unwrap();
    (app, done)
}

fn password_step(rrm: &Rrm, email: &str, at: DateTime<Utc>) -> String {
    let step = rrm
        .sign_in_password(email, &pw(PASSWORD), ip(HOME), Previous::default(), at)
        .unwrap();
    assert_eq!(step.stage, SignInStage::Code);
    step.token.into_inner()
}

#[test]
fn enrollment_shows_recovery_codes_once_and_then_every_sign_in_asks_a_code() {
    let rrm = rrm();
    add(&rrm, "ana@example.org");
    let (app, first) = enroll(&rrm, "ana@example.org", now());
    assert_eq!(first.by, SecondFactor::Enrolled);
    assert_eq!(first.recovery_codes.expose().len(), 10);
    assert_eq!(first.codes_left, 10);
    let session = first.login.token.expose();
    assert!(rrm.session(session, now()).unwrap().is_some());

    let later = now() + Duration::minutes(5);
    let token = password_step(&rrm, "ana@example.org", later);
    assert!(
        rrm.session(&token, later).unwrap().is_none(),
        "a pending sign-in is no session"
    );
    let wrong = rrm.sign_in_code(&token, "000000", ip(HOME), later);
    assert!(matches!(wrong, Err(AppError::Unauthorized(_))), "{wrong:?}");
    let done = rrm
        .sign_in_code(&token, &app.code(later), ip(HOME), later)
        .unwrap();
    assert_eq!(
        (done.by, done.recovery_codes.expose().len()),
        (SecondFactor::Code, 0)
    );
    assert!(
        rrm.sign_in_code(&token, &app.code(later), ip(HOME), later)
            .is_err(),
        "the pending sign-in is used up"
    );
}

#[test]
fn a_code_is_accepted_once_and_a_recovery_code_once() {
    let rrm = rrm();
    add(&rrm, "ana@example.org");
    let (app, first) = enroll(&rrm, "ana@example.org", now());
    let same_step = now() + Duration::seconds(5);
    let token = password_step(&rrm, "ana@example.org", same_step);
    let replay = rrm.sign_in_code(&token, &app.code(same_step), ip(HOME), same_step);
    assert!(
        matches!(replay, Err(AppError::Unauthorized(_))),
        "the enrolling code's step is used: {replay:?}"
    );
    let next = now() + Duration::seconds(40);
    let code = app.code(next);
    rrm.sign_in_code(&token, &code, ip(HOME), next).unwrap();
    let again = password_step(&rrm, "ana@example.org", next);
    assert!(
        rrm.sign_in_code(&again, &code, ip(HOME), next).is_err(),
        "a replay"
    );
    let recovery = first.recovery_codes.expose()[0].to_lowercase();
    let done = rrm.sign_in_code(&again, &recovery, ip(HOME), next).unwrap();
    assert_eq!((done.by, done.codes_left), (SecondFactor::RecoveryCode, 9));
    let third = password_step(&rrm, "ana@example.org", next);
    assert!(rrm.sign_in_code(&third, &recovery, ip(HOME), next).is_err());
}

#[test]
fn five_failures_lock_the_account_and_the_lockout_says_the_same_for_any_email() {
    let rrm = rrm();
    add(&rrm, "ana@example.org");
    let attempt = |email: &str, password: &str, at| {
        rrm.sign_in_password(email, &pw(password), ip(HOME), Previous::default(), at)
    };
    for email in ["ana@example.org", "nobody@example.org"] {
        for i in 0..ACCOUNT_FAILURES {
            let r = attempt(
                email,
                "a wrong passphrase here",
                now() + Duration::seconds(i.into()),
            );
            assert!(
                matches!(r, Err(AppError::Unauthorized(_))),
                "{email} {i}: {r:?}"
            );
        }
        let locked = attempt(email, PASSWORD, now() + Duration::minutes(1)).unwrap_err();
        assert!(
            matches!(locked, AppError::Throttled { .. }),
            "{email}: even the right password is not checked: {locked:?}"
        );
        assert_eq!(
            locked.to_string(),
            "too many failed sign-in attempts; try again after 15:15 UTC",
            "{email}: the same words whether or not the account exists"
        );
    }
    let after = now() + Duration::minutes(16);
    attempt("ana@example.org", PASSWORD, after).expect("the lockout ends");
    for i in 0..ACCOUNT_FAILURES {
        let _ = attempt(
            "ana@example.org",
            "wrong again, sadly",
            after + Duration::seconds(i.into()),
        );
    }
    let second = attempt("ana@example.org", PASSWORD, after + Duration::minutes(20));
    assert!(
        matches!(second, Err(AppError::Throttled { .. })),
        "a repeat lockout lasts longer: {second:?}"
    );
    assert!(
        rrm.unlock_account("ANA@example.org").unwrap(),
        "an admin lifts it"
    );
    attempt("ana@example.org", PASSWORD, after + Duration::minutes(20)).expect("unlocked");
    assert!(matches!(
        rrm.unlock_account("nobody@example.org"),
        Err(AppError::NotFound(_))
    ));
}

#[test]
fn many_failures_from_one_address_throttle_it_whatever_the_account() {
    let rrm = rrm();
    add(&rrm, "ana@example.org");
    for i in 0..ADDRESS_FAILURES {
        let email = format!("guess{i}@example.org");
        let r = rrm.sign_in_password(
            &email,
            &pw("a wrong passphrase here"),
            ip("203.0.113.9"),
            Previous::default(),
            now(),
        );
        assert!(matches!(r, Err(AppError::Unauthorized(_))), "{i}: {r:?}");
    }
    let from_there = rrm.sign_in_password(
        "ana@example.org",
        &pw(PASSWORD),
        ip("203.0.113.9"),
        Previous::default(),
        now(),
    );
    assert!(
        matches!(from_there, Err(AppError::Throttled { .. })),
        "{from_there:?}"
    );
    rrm.sign_in_password(
        "ana@example.org",
        &pw(PASSWORD),
        ip(HOME),
        Previous::default(),
        now(),
    )
    .expect("another address is not throttled");
    assert!(
        rrm.workspace
            .lockout(&account_key("ana@example.org"))
            .unwrap()
            .is_none(),
        "the account itself is not locked"
    );
}

#[test]
fn wrong_codes_count_too_and_a_lockout_ends_the_pending_sign_in() {
    let rrm = rrm();
    add(&rrm, "ana@example.org");
    let (app, _) = enroll(&rrm, "ana@example.org", now());
    let at = now() + Duration::minutes(1);
    let token = password_step(&rrm, "ana@example.org", at);
    for i in 0..ACCOUNT_FAILURES - 1 {
        let r = rrm.sign_in_code(&token, "123456", ip(HOME), at);
        assert!(matches!(r, Err(AppError::Unauthorized(_))), "{i}: {r:?}");
    }
    let last = rrm.sign_in_code(&token, "123456", ip(HOME), at);
    assert!(matches!(last, Err(AppError::Throttled { .. })), "{last:?}");
    let r = rrm.sign_in_code(&token, &app.code(at), ip(HOME), at);
    assert!(
        matches!(r, Err(AppError::Unauthorized(_))),
        "the pending sign-in is gone: {r:?}"
    );
}

#[test]
fn sessions_end_after_thirty_idle_minutes_or_twelve_hours_and_at_sign_out() {
    let rrm = rrm();
    add(&rrm, "ana@example.org");
    let (app, first) = enroll(&rrm, "ana@example.org", now());
    let token = first.login.token.expose().clone();
    let mut t = now();
    for _ in 0..28 {
        t += Duration::minutes(25);
        assert!(rrm.session(&token, t).unwrap().is_some(), "in use at {t}");
    }
    assert!(
        rrm.session(&token, now() + Duration::hours(12))
            .unwrap()
            .is_none(),
        "12 hours"
    );
    let at = now() + Duration::hours(13);
    let pending = password_step(&rrm, "ana@example.org", at);
    let second = rrm
        .sign_in_code(&pending, &app.code(at), ip(HOME), at)
        .unwrap();
    let token = second.login.token.expose().clone();
    assert!(rrm
        .session(&token, at + Duration::minutes(29))
        .unwrap()
        .is_some());
    assert!(
        rrm.session(&token, at + Duration::minutes(29 + 31))
            .unwrap()
            .is_none(),
        "idle for 31 minutes"
    );
    let at = at + Duration::hours(1);
    let pending = password_step(&rrm, "ana@example.org", at);
    let third = rrm
        .sign_in_code(&pending, &app.code(at), ip(HOME), at)
        .unwrap();
    rrm.end_session(third.login.token.expose()).unwrap();
    assert!(rrm
        .session(third.login.token.expose(), at)
        .unwrap()
        .is_none());
}

#[test]
fn signing_in_again_deletes_the_browsers_earlier_session_and_pending_sign_in() {
    let rrm = rrm();
    add(&rrm, "ana@example.org");
    let (app, first) = enroll(&rrm, "ana@example.org", now());
    let old = first.login.token.expose().clone();
    let at = now() + Duration::minutes(1);
    let stale = password_step(&rrm, "ana@example.org", at);
    let previous = Previous {
        session: Some(&old),
        pending: Some(&stale),
    };
    let step = rrm
        .sign_in_password("ana@example.org", &pw(PASSWORD), ip(HOME), previous, at)
        .unwrap();
    assert!(
        rrm.session(&old, at).unwrap().is_none(),
        "the old session is gone"
    );
    assert!(rrm.pending_sign_in(&stale, at).unwrap().is_none());
    let done = rrm
        .sign_in_code(step.token.expose(), &app.code(at), ip(HOME), at)
        .unwrap();
    assert_ne!(
        done.login.token.expose(),
        step.token.expose(),
        "a new id at the second factor"
    );
}

#[test]
fn a_reset_second_factor_signs_out_and_enrolls_anew() {
    let rrm = rrm();
    add(&rrm, "ana@example.org");
    let (_, first) = enroll(&rrm, "ana@example.org", now());
    assert!(rrm.reset_second_factor("ana@example.org").unwrap());
    assert!(rrm
        .session(first.login.token.expose(), now())
        .unwrap()
        .is_none());
    let (_, again) = enroll(&rrm, "ana@example.org", now() + Duration::minutes(2));
    assert_eq!(again.by, SecondFactor::Enrolled);
    assert!(rrm.reset_second_factor("ana@example.org").unwrap());
    assert!(
        !rrm.reset_second_factor("ana@example.org").unwrap(),
        "nothing left to reset"
    );
}
