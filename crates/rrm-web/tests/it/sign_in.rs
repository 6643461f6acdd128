//! Signing in to the staff workspace: password then authenticator, enrollment with its QR
//! code and recovery codes, replayed codes, session fixation, cookies' flags and prefix,
//! lockout and throttling per account and per address, the idle timeout.

use chrono::Duration;
use rrm_store::Role;

use crate::browser::{
    add_user, authenticator_code, recovery_codes, shown_key, staff, Browser, PASSWORD,
};
use crate::support::{logs, TestApp};

fn set_cookies(page: &crate::browser::Page) -> Vec<String> {
    page.headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_password_opens_only_the_second_factor_and_a_planted_id_is_never_promoted() {
    let app = TestApp::spawn().await;
    add_user(&app, "ana@example.org", Role::Analyst);
    let mut b = Browser::new(&app);
    b.cookies
        .insert("rrm_session".into(), "planted-session".into());
    b.cookies
        .insert("rrm_pending".into(), "planted-pending".into());
    for (email, password) in [
        ("ana@example.org", "wrong password here"),
        ("nobody@example.org", PASSWORD),
    ] {
        let r = b.password_step(email, password).await;
        assert_eq!(r.status, 401, "{email}");
        assert!(r.body.contains("Wrong email or password."));
    }
    assert_eq!(
        b.cookies["rrm_session"], "planted-session",
        "a failure sets nothing"
    );
    let r = b.password_step("ANA@example.org", PASSWORD).await;
    assert_eq!((r.status, r.location()), (303, "/staff/login/verify"));
    assert!(
        !b.cookies.contains_key("rrm_session"),
        "the session cookie is cleared"
    );
    let pending = b.cookies["rrm_pending"].clone();
    assert_ne!(pending, "planted-pending");
    let set = set_cookies(&r).join("\n");
    assert!(
        set.contains("Max-Age=600; HttpOnly; SameSite=Strict"),
        "{set}"
    );
    let mut only_pending = Browser::new(&app);
    only_pending
        .cookies
        .insert("rrm_session".into(), pending.clone());
    assert_eq!(
        only_pending.get("/staff").await.location(),
        "/staff/login",
        "a pending sign-in's token is no session"
    );

    let page = b.get("/staff/login/verify").await;
    assert!(
        page.body
            .contains("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "a QR code"
    );
    assert!(page
        .body
        .contains("href=\"otpauth://totp/rrm%3Aana@example.org?secret="));
    assert_eq!(page.body.matches("<script").count(), 1, "only app.js");
    let key = shown_key(&page).expect("the key is shown");
    let wrong = b
        .post_form(
            "/staff/login/verify",
            &[("csrf", &page.csrf()), ("code", "000000")],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("That code is wrong"), "{}", wrong.body);
    let code = authenticator_code(&key, app.now());
    let done = b
        .post_form(
            "/staff/login/verify",
            &[("csrf", &page.csrf()), ("code", &code)],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let codes = recovery_codes(&done);
    assert_eq!(codes.len(), 10, "{}", done.body);
    assert_eq!(done.headers["cache-control"], "no-store");
    let set = set_cookies(&done).join("\n");
    assert!(
        set.contains("Max-Age=43200; HttpOnly; SameSite=Strict") && !set.contains("Secure"),
        "plain HTTP on a loopback host: {set}"
    );
    let first = b.cookies["rrm_session"].clone();
    assert!(!b.cookies.contains_key("rrm_pending"));
    assert!(
        first != pending && first != "planted-session",
        "a new id at the second factor"
    );
    assert_eq!(b.get("/staff").await.status, 200);

    app.authenticators
        .lock()
        .unwrap()
        .insert("ana@example.org".into(), key);
    b.sign_in("ana@example.org").await;
    let second = b.cookies["rrm_session"].clone();
    assert_ne!(second, first, "each sign-in makes a new session id");
    let mut old = Browser::new(&app);
    old.cookies.insert("rrm_session".into(), first);
    assert_eq!(
        old.get("/staff").await.location(),
        "/staff/login",
        "signed in over"
    );
}

#[tokio::test]
async fn a_code_is_accepted_once_and_a_recovery_code_once() {
    let app = TestApp::spawn().await;
    add_user(&app, "ana@example.org", Role::Analyst);
    let mut b = Browser::new(&app);
    b.password_step("ana@example.org", PASSWORD).await;
    let enrolled = b.second_factor("ana@example.org").await;
    let codes = recovery_codes(&enrolled);
    let key = app.authenticators.lock().unwrap()["ana@example.org"].clone();
    let same_step = authenticator_code(&key, app.now());
    let mut again = Browser::new(&app);
    again.password_step("ana@example.org", PASSWORD).await;
    let page = again.get("/staff/login/verify").await;
    assert!(
        page.body.contains("Lost your phone?"),
        "a code page, not enrollment"
    );
    let replay = again
        .post_form(
            "/staff/login/verify",
            &[("csrf", &page.csrf()), ("code", &same_step)],
        )
        .await;
    assert_eq!(replay.status, 401, "the enrolling code's step is used");
    let recovery = codes[3].to_lowercase();
    let used = again
        .post_form(
            "/staff/login/verify",
            &[("csrf", &page.csrf()), ("code", &recovery)],
        )
        .await;
    assert_eq!(used.status, 200, "{}", used.body);
    assert!(used.body.contains("You have 9 left"), "{}", used.body);
    let mut third = Browser::new(&app);
    third.password_step("ana@example.org", PASSWORD).await;
    let page = third.get("/staff/login/verify").await;
    let r = third
        .post_form(
            "/staff/login/verify",
            &[("csrf", &page.csrf()), ("code", &recovery)],
        )
        .await;
    assert_eq!(r.status, 401, "a recovery code is used once");
    let r = third
        .post_form(
            "/staff/login/verify",
            &[("csrf", "forged"), ("code", &recovery)],
        )
        .await;
    assert_eq!(
        r.status, 403,
        "the second-factor form has its own CSRF token"
    );
}

#[tokio::test]
async fn five_failures_lock_the_account_whatever_is_typed_and_say_so_for_any_email() {
    let app = TestApp::spawn().await;
    add_user(&app, "ana@example.org", Role::Analyst);
    let canary = "CANARY-PASSWORD-5d2e";
    let mut answers = Vec::new();
    for email in ["ana@example.org", "nobody@example.org"] {
        let mut b = Browser::new(&app);
        for _ in 0..5 {
            assert_eq!(b.password_step(email, canary).await.status, 401);
        }
        let locked = b.password_step(email, PASSWORD).await;
        assert_eq!(
            locked.status, 429,
            "{email}: the right password is not even checked"
        );
        assert_eq!(locked.headers["retry-after"], "900");
        assert!(
            locked.body.contains("Too many failed sign-in attempts"),
            "{}",
            locked.body
        );
        assert!(locked.body.contains("after 12:15 UTC"), "{}", locked.body);
        answers.push(locked.body.replace(&locked.csrf(), "CSRF"));
    }
    assert_eq!(
        answers[0], answers[1],
        "a lockout says nothing of which accounts exist"
    );
    let logged = logs();
    assert!(logged.contains("sign-in locked"), "lockouts are logged");
    for secret in [canary, "ana@example.org", "nobody@example.org"] {
        assert!(!logged.contains(secret), "the log carries `{secret}`");
    }
    assert!(
        app.rrm.unlock_account("ana@example.org").unwrap(),
        "rrm user unlock"
    );
    let mut b = Browser::new(&app);
    assert_eq!(
        b.password_step("ana@example.org", PASSWORD).await.status,
        303
    );
}

#[tokio::test]
async fn many_failures_from_one_address_throttle_it_and_forwarded_for_counts_only_from_a_trusted_proxy(
) {
    let app = TestApp::spawn().await;
    add_user(&app, "ana@example.org", Role::Analyst);
    let mut b = Browser::new(&app);
    for i in 0..20 {
        let r = b
            .password_step(&format!("guess{i}@example.org"), "wrong password here")
            .await;
        assert_eq!(r.status, 401, "{i}");
    }
    let csrf = b.get("/staff/login").await.csrf();
    let spoofed = app
        .client
        .post(app.url("/staff/login"))
        .header("cookie", format!("rrm_csrf={csrf}"))
        .header("x-forwarded-for", "203.0.113.77")
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "ana@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        spoofed.status(),
        429,
        "an untrusted peer cannot pick its address"
    );

    let proxied = TestApp::builder().trusted_proxy("127.0.0.1").spawn().await;
    add_user(&proxied, "ana@example.org", Role::Analyst);
    let attempt = |client_ip: &'static str, email: String, password: &'static str| {
        let app = &proxied;
        async move {
            let mut b = Browser::new(app);
            let csrf = b.get("/staff/login").await.csrf();
            app.client
                .post(app.url("/staff/login"))
                .header("cookie", format!("rrm_csrf={csrf}"))
                .header("x-forwarded-for", format!("6.6.6.6, {client_ip}"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("email", &email),
                    ("password", password),
                ])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    for i in 0..20 {
        let s = attempt(
            "203.0.113.77",
            format!("guess{i}@example.org"),
            "wrong password here",
        );
        assert_eq!(s.await, 401);
    }
    let from_attacker = attempt("203.0.113.77", "ana@example.org".into(), PASSWORD).await;
    assert_eq!(from_attacker, 429, "the proxied client is throttled");
    let from_staff = attempt("198.51.100.20", "ana@example.org".into(), PASSWORD).await;
    assert_eq!(
        from_staff, 303,
        "another client behind the same proxy is not"
    );
}

#[tokio::test]
async fn over_https_cookies_are_host_prefixed_and_secure_and_hsts_is_sent() {
    let app = TestApp::builder().secure_cookies().spawn().await;
    add_user(&app, "ana@example.org", Role::Analyst);
    let mut b = Browser::new(&app);
    let login = b.get("/staff/login").await;
    assert_eq!(
        login.headers["strict-transport-security"],
        "max-age=63072000"
    );
    assert!(b.cookies.contains_key("__Host-rrm_csrf"), "{:?}", b.cookies);
    b.sign_in("ana@example.org").await;
    let session = b.cookies["__Host-rrm_session"].clone();
    assert!(!b.cookies.contains_key("rrm_session"));
    let mut plain_name = Browser::new(&app);
    plain_name.cookies.insert("rrm_session".into(), session);
    assert_eq!(
        plain_name.get("/staff").await.location(),
        "/staff/login",
        "over HTTPS only the __Host- cookie is read"
    );
    assert_eq!(b.get("/staff").await.status, 200);
}

#[tokio::test]
async fn a_session_unused_for_thirty_minutes_ends() {
    let app = TestApp::spawn().await;
    let mut b = staff(&app, "ana@example.org", Role::Analyst).await;
    app.advance(Duration::minutes(29));
    assert_eq!(b.get("/staff").await.status, 200);
    app.advance(Duration::minutes(29));
    assert_eq!(b.get("/staff").await.status, 200, "used 29 minutes ago");
    app.advance(Duration::minutes(31));
    assert_eq!(b.get("/staff").await.location(), "/staff/login");
}
