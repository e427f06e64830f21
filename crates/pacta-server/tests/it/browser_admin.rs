//! The administration page in Chromium, after the governance flow: an administrator sees
//! every user and key, adds a user whose one-time password then signs in, and revokes the
//! provider's API key, which the API then lists as revoked. No console errors.

use std::net::SocketAddr;

use fantoccini::{Client, Locator};

use crate::browser::{Demo, Driver, Flow, check, e};
use crate::browser_gov::{api, no_errors, shot, sign_out, text_of, wait_for};

/// The administrator the test adds to the demo, and the API key it revokes.
pub(crate) struct AdminSetup {
    /// The administrator's login.
    pub user: String,
    /// Its password.
    pub password: String,
    /// The id of an API key the provider created.
    pub provider_key: String,
}

async fn sign_in_with(c: &Client, base: &str, user: &str, password: &str) -> Flow {
    c.goto(&format!("{base}/login")).await.map_err(e)?;
    let form = c
        .form(Locator::Css("form[action='/login']"))
        .await
        .map_err(e)?;
    form.set_by_name("user", user).await.map_err(e)?;
    form.set_by_name("password", password).await.map_err(e)?;
    form.submit().await.map_err(e)?;
    wait_for(c, "form[action='/logout']").await
}

pub(crate) async fn admin_flow(
    c: &Client,
    driver: &Driver,
    session: &str,
    server: SocketAddr,
    demo: &Demo,
    admin: &AdminSetup,
) -> Flow {
    let base = format!("http://{server}");
    c.goto(&format!("{base}/")).await.map_err(e)?;
    sign_out(c).await?;
    sign_in_with(c, &base, &admin.user, &admin.password).await?;
    c.goto(&format!("{base}/admin")).await.map_err(e)?;
    wait_for(c, "table#users").await?;
    let users = text_of(c, "table#users tbody").await?;
    for name in demo.passwords.keys().chain([&admin.user]) {
        check(
            users.contains(name.as_str()),
            format!("{name} missing from the users: {users}"),
        )?;
    }
    let keys = text_of(c, "table#keys tbody").await?;
    check(
        keys.contains(&admin.provider_key),
        format!("the provider's key missing from {keys}"),
    )?;
    shot(c, "admin").await?;

    // A new auditor, with the password shown once.
    let form = c
        .form(Locator::Css("form[action='/admin/users']"))
        .await
        .map_err(e)?;
    form.set_by_name("name", "vera").await.map_err(e)?;
    form.set_by_name("org", "operator").await.map_err(e)?;
    form.set_by_name("role", "auditor").await.map_err(e)?;
    form.submit().await.map_err(e)?;
    wait_for(c, "#one-time-password").await?;
    let password = text_of(c, "#one-time-password").await?;
    check(
        password.len() >= 12,
        format!("a one-time password: {password:?}"),
    )?;

    // Revoking the provider's key: its row loses the button, and the API says revoked.
    let button = format!(
        "form[action='/admin/keys/revoke'] input[value='{}']",
        admin.provider_key
    );
    c.find(Locator::Css(&button))
        .await
        .map_err(e)?
        .find(Locator::XPath("following-sibling::button"))
        .await
        .map_err(e)?
        .click()
        .await
        .map_err(e)?;
    // The form posts and the page comes back: wait for the new page, not the old one.
    let mut still = 1;
    for _ in 0..100 {
        still = c.find_all(Locator::Css(&button)).await.map_err(e)?.len();
        if still == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    check(
        still == 0,
        "the revoked key still has its button after 10 s",
    )?;
    wait_for(c, "table#keys").await?;
    let listed = api(c, &base, "/api/keys").await?;
    let revoked = listed
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["id"] == admin.provider_key.as_str()))
        .map(|k| !k["revoked_at"].is_null());
    check(
        revoked == Some(true),
        format!("the API lists the provider's key as {listed}"),
    )?;
    no_errors(driver, session, "the administration page")?;

    // The new user signs in with that password and reads every contract, as an auditor.
    c.goto(&format!("{base}/admin")).await.map_err(e)?;
    sign_out(c).await?;
    sign_in_with(c, &base, "vera", &password).await?;
    let role = text_of(c, "header").await?;
    check(role.contains("vera"), format!("vera signed in: {role}"))?;
    no_errors(driver, session, "vera's first page")
}
