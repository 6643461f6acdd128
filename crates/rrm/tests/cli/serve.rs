//! `rrm serve` answering and stopping cleanly.

use super::*;

/// `GET path` on `addr` over plain HTTP/1.0; the response's status line.
fn http_status(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.lines().next().unwrap_or_default().to_string()
}

/// `rrm serve` answers its pages (the cached public ones ask the store's version from async
/// code), stops cleanly on SIGTERM, and makes no master key of its own on a shared
/// PostgreSQL database (each server would make a different one).
#[test]
fn serve_answers_and_stops_cleanly_on_sigterm() {
    use std::io::BufRead;
    let dir = TestDir::new();
    let data = dir.path().join("data");
    let mut child = rrm(&data)
        .env_remove("RRM_MASTER_KEY_FILE")
        .env_remove("RRM_MASTER_KEY")
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    let addr = loop {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap() == 0 {
            panic!("rrm serve ended: {said}");
        }
        said.push_str(&line);
        if let Some(addr) = line.trim().strip_prefix("rrm serving on http://") {
            break addr.to_string();
        }
    };
    for path in [
        "/cases",
        "/cases/san-martin-2023",
        "/api/v1/cases",
        "/deadlines",
    ] {
        assert!(http_status(&addr, path).contains(" 200 "), "{path}: {said}");
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    said.push_str(&rest);
    assert!(child.wait().unwrap().success(), "{said}");
    assert!(
        said.contains("rrm stopped") && !said.contains("panicked"),
        "{said}"
    );
    let made_key = said.contains("Made master key");
    assert_eq!(made_key, !data_database(&data).is_postgres(), "{said}");
}
