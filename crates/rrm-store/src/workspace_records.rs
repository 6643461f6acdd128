//! The records of the staff workspace: users, sessions, API tokens, petition submissions,
//! evidence files, internal notes and staff documents. Times are UTC instants, stored to the
//! second; hashes are SHA-256.
//!
//! Invariant: nothing here holds a secret in a form that could be replayed. Sessions and API
//! tokens are kept as the SHA-256 of the token, passwords and petition secrets as Argon2id
//! hashes; confidential text is wrapped in [`Confidential`] so it cannot be logged by accident.

use chrono::{DateTime, Utc};

use crate::{Confidential, Hash};

/// A staff member's role. Issue 4 adds per-case access on top of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Records events, writes notes, uploads documents.
    Analyst,
    /// An analyst who may also publish and unpublish cases.
    Supervisor,
    /// A supervisor who may also manage users.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Analyst, Role::Supervisor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Analyst => "analyst",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// Whether this role may publish or unpublish a case.
    pub fn may_publish(self) -> bool {
        matches!(self, Role::Supervisor | Role::Admin)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub i64);

/// A staff member to create. `email` is compared as given: callers normalize it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    /// The Argon2id PHC string of the password.
    pub password_hash: Confidential<String>,
    pub role: Role,
    pub created: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub password_hash: Confidential<String>,
    pub role: Role,
    pub created: DateTime<Utc>,
}

/// A signed-in browser. The cookie holds the token; the store holds only its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token_hash: Hash,
    pub user: UserId,
    /// The synchronizer token every staff form of this session must carry.
    pub csrf_token: Confidential<String>,
    pub created: DateTime<Utc>,
    /// When the session was last used (to the minute or so: it is written at most once a
    /// minute), for the idle timeout.
    pub last_seen: DateTime<Utc>,
    pub expires: DateTime<Utc>,
}

/// What a token may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenScope {
    /// `Authorization: Bearer` on the API's write routes.
    Api,
    /// The read-only deadline calendar feed, whose URL carries the token.
    Calendar,
}

impl TokenScope {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Api => "api",
            TokenScope::Calendar => "calendar",
        }
    }

    pub fn parse(name: &str) -> Option<TokenScope> {
        [TokenScope::Api, TokenScope::Calendar]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TokenId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    pub token_hash: Hash,
    pub user: UserId,
    pub label: String,
    pub scope: TokenScope,
    pub created: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: TokenId,
    pub token_hash: Hash,
    pub user: UserId,
    pub label: String,
    pub scope: TokenScope,
    pub created: DateTime<Utc>,
    pub revoked: Option<DateTime<Utc>>,
}

/// A petition as received, kept apart from the case it opened: the case holds only what may
/// one day be published (facility, allegation codes), the submission everything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubmission {
    /// `RRM-XXXX-XXXX`, unique.
    pub receipt: String,
    /// The Argon2id PHC string of the status secret.
    pub secret_hash: Confidential<String>,
    pub case_id: String,
    /// The confidential content as a JSON document (the caller's format).
    pub content: Confidential<String>,
    pub created: DateTime<Utc>,
}

pub type Submission = NewSubmission;

/// Whose an evidence file is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EvidenceOwner {
    /// Filed with a petition, by receipt code.
    Submission(String),
    /// Added to a case later.
    Case(String),
}

/// An uploaded file. The store computes its size and SHA-256 and keeps the bytes once per
/// distinct content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    pub file_name: Confidential<String>,
    /// The type the client declared (for the record only; never trusted).
    pub declared_type: String,
    /// The type found by reading the file's first bytes.
    pub sniffed_type: String,
    pub bytes: Vec<u8>,
    pub created: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFile {
    pub id: FileId,
    pub owner: EvidenceOwner,
    pub file_name: Confidential<String>,
    pub declared_type: String,
    pub sniffed_type: String,
    pub size: u64,
    pub sha256: Hash,
    pub created: DateTime<Utc>,
}

/// An internal note on a case: staff only, never published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNote {
    pub case_id: String,
    pub author: UserId,
    pub text: Confidential<String>,
    pub created: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: i64,
    pub case_id: String,
    pub author: UserId,
    pub text: Confidential<String>,
    pub created: DateTime<Utc>,
}

/// A document staff attach to a case (a report, a letter, minutes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub case_id: String,
    pub uploader: UserId,
    pub name: Confidential<String>,
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub created: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: FileId,
    pub case_id: String,
    pub uploader: UserId,
    pub name: Confidential<String>,
    pub content_type: String,
    pub size: u64,
    pub sha256: Hash,
    pub created: DateTime<Utc>,
}

/// The SHA-256 of some bytes: how files are keyed and tokens are stored.
pub fn sha256(bytes: &[u8]) -> Hash {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).into()
}
