//! The password rules, one refusal per rule, and the Argon2id hashes.

use super::*;

#[test]
fn the_list_is_large_and_holds_breached_passwords() {
    let n = breached_count();
    assert!((30_000..31_000).contains(&n), "{n}");
    for listed in ["password", "123456", "trustno1", "qwertyuiop", "mercede1"] {
        assert!(BREACHED.contains(listed), "{listed}");
    }
}

#[test]
fn each_rule_refuses_what_it_names() {
    use PasswordRule::*;
    let none: &[&str] = &[];
    let cases: [(&str, Option<PasswordRule>); 17] = [
        ("short", Some(MinLength)),
        ("fourteen chars", Some(MinLength)),
        ("ünïcödé-kürz-ja", None),
        ("ünïcödé-kürz-j", Some(MinLength)),
        (&"x7".repeat(65), Some(MaxLength)),
        ("password1234567", Some(Common)),
        ("Password!!2024!!", Some(Common)),
        ("2024!!Password!!", Some(Common)),
        ("123456789012345", Some(Common)),
        ("qwertyqwertyqwerty", Some(Common)),
        ("trustno1trustno1", Some(Common)),
        ("dragondragon99999", Some(Common)),
        ("aaaaaaaaaaaaaaab", Some(Repetitive)),
        ("correct horse battery", None),
        ("password is not enough", None),
        ("7Kq!m2vL9#xR0pZ", None),
        ("RRMRRMRRMRRMRRM", Some(Context)),
    ];
    for (pw, want) in cases {
        assert_eq!(broken_rule(pw, none), want, "{pw:?}");
    }
    let e = check_password("password1234567", none)
        .unwrap_err()
        .to_string();
    assert!(e.contains("password.common"), "{e}");
}

#[test]
fn the_accounts_own_words_are_refused() {
    let context = ["marisol.quintero@example.org", "Marisol Quintero"];
    for pw in [
        "marisol.quintero@example.org",
        "marisol.quintero2026",
        "MarisolQuintero!!!",
        "marisol quintero 1",
    ] {
        assert_eq!(
            broken_rule(pw, &context),
            Some(PasswordRule::Context),
            "{pw}"
        );
    }
    assert_eq!(broken_rule("marisol walks to the river", &context), None);
}

#[test]
fn passwords_are_normalized_before_checking_and_hashing() {
    // "é" precomposed and as "e" + combining acute are one password.
    let (composed, decomposed) = ("café con leche 2026", "cafe\u{301} con leche 2026");
    assert_ne!(composed, decomposed);
    let phc = hash(composed).unwrap();
    assert!(verify(decomposed, &phc));
    // A full-width "ｐａｓｓｗｏｒｄ" is the listed "password" after NFKC.
    assert_eq!(
        broken_rule("ｐａｓｓｗｏｒｄ1234567", &[]),
        Some(PasswordRule::Common)
    );
}

#[test]
fn hashes_are_argon2id_salted_and_verify() {
    let (a, b) = (hash("a secret").unwrap(), hash("a secret").unwrap());
    assert!(a.starts_with("$argon2id$"), "{a}");
    assert_ne!(a, b, "a fresh salt each time");
    assert!(verify("a secret", &a) && !verify("a secreT", &a));
    assert!(!verify("a secret", "not a phc string"));
}
