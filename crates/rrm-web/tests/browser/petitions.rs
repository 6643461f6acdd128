//! Petition intake as a petitioner does it in a browser: fill the form, attach a PDF through
//! the file input, keep the receipt, check the status with it, and see the attachment arrive
//! in the staff workspace.

use rrm_store::Role;

use crate::driver::{self, Browser};
use crate::support::{TestApp, PASSWORD};

/// A file that starts like a PDF, which is what the server checks.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_petition_with_an_attachment_gets_a_receipt_and_a_status() {
    let app = TestApp::builder()
        .with_staff("supervisor@example.org", Role::Supervisor)
        .spawn()
        .await;
    let files = tempfile::tempdir().unwrap();
    let pdf = files.path().join("dismissal-letters.pdf");
    std::fs::write(&pdf, PDF).unwrap();
    let pdf = pdf.display().to_string();
    driver::run("petition", app.base(), move |b: Browser| async move {
        b.open("/petitions/new").await;
        b.find("#facility")
            .await
            .send_keys("Acme brake plant")
            .await
            .unwrap();
        b.find("#company")
            .await
            .send_keys("Acme Frenos S.A. de C.V.")
            .await
            .unwrap();
        b.find("#city").await.send_keys("Saltillo").await.unwrap();
        b.find("#state").await.send_keys("Coahuila").await.unwrap();
        b.find("input[name=allegations][value=dismissal_for_union_activity]")
            .await
            .click()
            .await
            .unwrap();
        let narrative = "Twelve workers were dismissed the day after they asked for a vote.";
        b.find("#narrative")
            .await
            .send_keys(narrative)
            .await
            .unwrap();
        b.find("#organization")
            .await
            .send_keys("Sindicato Independiente")
            .await
            .unwrap();
        b.find("#contact")
            .await
            .send_keys("contacto@example.org")
            .await
            .unwrap();
        // A person picks the file in a dialog; WebDriver types its path into the input.
        b.find("#evidence").await.send_keys(&pdf).await.unwrap();
        b.find("input[name=consent]").await.click().await.unwrap();
        b.shot("form-filled").await;

        b.find("form[action='/petitions/new'] button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        let receipt_page = b.find("dl.receipt").await;
        let codes = receipt_page
            .find_all(fantoccini::Locator::Css("code"))
            .await
            .unwrap();
        assert_eq!(codes.len(), 2, "a receipt code and a secret");
        let receipt = codes[0].text().await.unwrap();
        let secret = codes[1].text().await.unwrap();
        assert!(!receipt.is_empty() && !secret.is_empty());
        assert_eq!(b.text("h1").await, "Your petition was received");
        assert!(b.page_text().await.contains("November 23, 2026"));
        b.shot("receipt").await;

        b.find("main a[href='/petitions/status']")
            .await
            .click()
            .await
            .unwrap();
        b.find("#receipt").await.send_keys(&receipt).await.unwrap();
        b.find("#secret").await.send_keys(&secret).await.unwrap();
        b.find("form[action='/petitions/status'] button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        let status = b.text("main dl.facts").await;
        assert!(
            status.contains("November 23, 2026"),
            "filed today: {status}"
        );
        assert!(status.contains("Not published"), "{status}");
        assert!(
            !b.page_text().await.contains(narrative),
            "never its content"
        );
        b.shot("status").await;

        // The attachment reached the office: staff see it with the petition.
        sign_in(&b, "supervisor@example.org").await;
        b.find("section[aria-labelledby=petitions] a")
            .await
            .click()
            .await
            .unwrap();
        let submission = b.text("section[aria-labelledby=submission]").await;
        assert!(submission.contains(&receipt), "{submission}");
        assert!(submission.contains(narrative));
        let evidence = b.text("section[aria-labelledby=submission] ul.links").await;
        assert!(evidence.contains("dismissal-letters.pdf"), "{evidence}");
        assert!(evidence.contains("application/pdf"), "{evidence}");
        b.scroll_to("section[aria-labelledby=submission]").await;
        b.shot("staff-sees-the-petition").await;
    })
    .await;
}

/// Signs in through the staff sign-in form and waits for the dashboard.
pub async fn sign_in(b: &Browser, email: &str) {
    b.open("/staff/login").await;
    b.find("#email").await.send_keys(email).await.unwrap();
    b.find("#password").await.send_keys(PASSWORD).await.unwrap();
    b.find("form[action='/staff/login'] button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    // A new account sets up its authenticator: read the key the page shows, as a person
    // types it into an app, and answer with the app's code for the server's "now".
    b.wait_for_path("asked for the second factor", |p| {
        p == "/staff/login/verify"
    })
    .await;
    let key: String = b.text("#totp-secret").await.split_whitespace().collect();
    let key = totp_rs::Secret::try_from_base32(&key).expect("a base32 key");
    let now = crate::support::noon(crate::support::TODAY.parse().unwrap());
    let code = totp_rs::Builder::new()
        .with_secret(key.as_bytes())
        .build()
        .unwrap()
        .generate(now.timestamp() as u64)
        .to_string();
    assert!(
        b.find_all("figure.qr svg").await.len() == 1,
        "the QR code is shown"
    );
    b.shot("enroll-authenticator").await;
    b.find("#code").await.send_keys(&code).await.unwrap();
    b.find("form[action='/staff/login/verify'] button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.find("ol.recovery-codes").await;
    assert_eq!(b.find_all("ol.recovery-codes li").await.len(), 10);
    b.find("main a[href='/staff']").await.click().await.unwrap();
    b.wait_for_path("on the dashboard", |p| p == "/staff").await;
}
