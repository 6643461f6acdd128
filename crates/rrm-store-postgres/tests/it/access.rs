//! The shared conformance suites of everything beside the case record, each check on a fresh
//! schema: access control (teams, intake, grants, disabling), the workspace's sign-in
//! security (sessions' idle clock, pending sign-ins, throttles, lockouts, TOTP steps,
//! recovery codes) and the vault's data keys and audit log.

use std::sync::Mutex;

use rrm_store::conformance_access::run_all_access;
use rrm_store::conformance_vault::{Vault, VAULT_CHECKS};
use rrm_store::conformance_workspace::WORKSPACE_CHECKS;
use rrm_store_postgres::PostgresStore;

use crate::Schema;

/// Runs `suite` with a store on a fresh schema per check; the schemas are dropped at the end.
fn on_fresh_schemas(suite: impl FnOnce(&dyn Fn() -> PostgresStore)) {
    let schemas = Mutex::new(Vec::new());
    suite(&|| {
        let schema = Schema::new();
        let store = schema.store();
        schemas.lock().unwrap().push(schema);
        store
    });
}

#[test]
fn access_control_conforms() {
    on_fresh_schemas(|make| run_all_access(make));
}

/// The workspace checks of sign-in security, by name.
const SIGN_IN_CHECKS: &[&str] = &[
    "sessions_track_use_and_end_per_user",
    "pending_sign_ins_live_until_deleted",
    "login_failures_are_counted_per_key",
    "lockouts_replace_and_unlock",
    "totp_steps_are_accepted_once",
    "recovery_codes_are_used_once",
];

#[test]
fn sign_in_security_conforms() {
    on_fresh_schemas(|make| {
        let checks = WORKSPACE_CHECKS
            .iter()
            .filter(|(name, _)| SIGN_IN_CHECKS.contains(name));
        assert_eq!(
            checks.clone().count(),
            SIGN_IN_CHECKS.len(),
            "every name is a check"
        );
        for (name, check) in checks {
            eprintln!("workspace check `{name}`");
            let store = make();
            check(&store, &store);
        }
    });
}

/// The vault checks that need no file: data keys and the audit log.
const KEY_CHECKS: &[&str] = &[
    "a_case_key_is_kept_once",
    "rotation_rewraps_every_key_or_none",
    "the_audit_log_chains_and_filters",
];

#[test]
fn data_keys_and_the_audit_log_conform() {
    on_fresh_schemas(|make| {
        let checks = VAULT_CHECKS
            .iter()
            .filter(|(name, _)| KEY_CHECKS.contains(name));
        assert_eq!(
            checks.clone().count(),
            KEY_CHECKS.len(),
            "every name is a check"
        );
        for (name, check) in checks {
            eprintln!("vault check `{name}`");
            let b = make();
            check(&Vault {
                store: &b,
                workspace: &b,
                keys: &b,
                audit: &b,
            });
        }
    });
}
