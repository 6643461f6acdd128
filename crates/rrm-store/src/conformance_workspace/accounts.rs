//! Checks of staff accounts: users, sessions and tokens.

use chrono::{DateTime, Duration, Utc};

use crate::{
    sha256, Confidential, NewToken, NewUser, Role, Session, Store, StoreError, TokenScope,
    Workspace,
};

pub(crate) fn at(rfc3339: &str) -> DateTime<Utc> {
    rfc3339.parse().expect("a valid fixture time")
}

pub(crate) fn new_user(email: &str, role: Role) -> NewUser {
    NewUser {
        email: email.to_string(),
        display_name: format!("Analista {email} — Ñuñoa"),
        password_hash: Confidential::new("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
        role,
        created: at("2026-11-23T10:00:00Z"),
    }
}

/// Users read back whole by id and by email; a second user with the same email is a conflict.
pub fn users_are_unique_by_email(_: &dyn Store, ws: &dyn Workspace) {
    let ana = ws
        .add_user(&new_user("ana@example.org", Role::Analyst))
        .expect("add");
    let sup = ws
        .add_user(&new_user("sup@example.org", Role::Supervisor))
        .expect("add");
    assert_ne!(ana.id, sup.id);
    let again = ws.add_user(&new_user("ana@example.org", Role::Admin));
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let read = ws.user(ana.id).expect("read").expect("ana exists");
    assert_eq!(read, ana);
    assert_eq!(read.display_name, "Analista ana@example.org — Ñuñoa");
    assert_eq!(read.created, at("2026-11-23T10:00:00Z"));
    let by_email = ws.user_by_email("sup@example.org").expect("read");
    assert_eq!(by_email.map(|u| u.role), Some(Role::Supervisor));
    assert_eq!(ws.user_by_email("nobody@example.org").expect("read"), None);
}

/// A session is found by its token hash until deleted; expired ones are swept by time.
pub fn sessions_live_until_deleted(_: &dyn Store, ws: &dyn Workspace) {
    let user = ws
        .add_user(&new_user("ana@example.org", Role::Analyst))
        .expect("add");
    let created = at("2026-11-23T10:00:00Z");
    let session = |token: &str, hours: i64| Session {
        token_hash: sha256(token.as_bytes()),
        user: user.id,
        csrf_token: Confidential::new(format!("csrf-{token}")),
        created,
        last_seen: created,
        expires: created + Duration::hours(hours),
    };
    let (short, long) = (session("short", 1), session("long", 12));
    ws.create_session(&short).expect("create");
    ws.create_session(&long).expect("create");
    assert!(matches!(
        ws.create_session(&short),
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        ws.session(&short.token_hash).expect("read"),
        Some(short.clone())
    );
    assert_eq!(ws.session(&sha256(b"other")).expect("read"), None);
    let swept = ws
        .delete_expired_sessions(at("2026-11-23T11:00:00Z"))
        .expect("sweep");
    assert_eq!(swept, 1, "expiry at `now` counts as expired");
    assert_eq!(ws.session(&short.token_hash).expect("read"), None);
    ws.delete_session(&long.token_hash).expect("delete");
    assert_eq!(ws.session(&long.token_hash).expect("read"), None);
    ws.delete_session(&long.token_hash)
        .expect("deleting twice is fine");
}

/// Tokens are found by hash, listed per user, and revoked one at a time or per scope.
pub fn tokens_are_found_by_hash_and_revoked(_: &dyn Store, ws: &dyn Workspace) {
    let user = ws
        .add_user(&new_user("ana@example.org", Role::Analyst))
        .expect("add");
    let token = |t: &str, scope| NewToken {
        token_hash: sha256(t.as_bytes()),
        user: user.id,
        label: format!("label {t}"),
        scope,
        created: at("2026-11-23T10:00:00Z"),
    };
    let api = ws.add_token(&token("a", TokenScope::Api)).expect("add");
    let cal = ws
        .add_token(&token("c", TokenScope::Calendar))
        .expect("add");
    assert_eq!(ws.token(&sha256(b"a")).expect("read"), Some(api.clone()));
    assert_eq!(api.revoked, None);
    let listed: Vec<_> = ws
        .tokens_of(user.id)
        .expect("list")
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(listed, [api.id, cal.id]);
    let when = at("2026-11-24T09:30:00Z");
    assert_eq!(
        ws.revoke_tokens(user.id, TokenScope::Calendar, when)
            .expect("revoke"),
        1
    );
    assert_eq!(
        ws.revoke_tokens(user.id, TokenScope::Calendar, when)
            .expect("again"),
        0
    );
    let cal = ws.token(&sha256(b"c")).expect("read").expect("kept");
    assert_eq!(cal.revoked, Some(when), "revoked tokens are kept, marked");
    assert_eq!(
        ws.token(&sha256(b"a"))
            .expect("read")
            .expect("kept")
            .revoked,
        None
    );
    ws.revoke_token(api.id, when).expect("revoke one");
    assert!(ws
        .token(&sha256(b"a"))
        .expect("read")
        .expect("kept")
        .revoked
        .is_some());
    let unknown = ws.revoke_token(crate::TokenId(9999), when);
    assert!(
        matches!(unknown, Err(StoreError::NotFound(_))),
        "{unknown:?}"
    );
}
