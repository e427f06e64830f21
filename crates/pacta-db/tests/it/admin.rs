//! Administration through scoped calls: only an admin lists users and keys (never a
//! secret), revokes a key or adds a user; every other role is refused with nothing written.

use pacta_core::{Lang, Localized};
use pacta_db::{DbError, NewUser, Role};

use crate::fixture::{Fixture, both_backends};
use crate::settlements::at;

both_backends!(admins_list_users_and_keys_and_manage_them);

fn admins_list_users_and_keys_and_manage_them(f: &Fixture) {
    let db = f.open();
    let now = at("2026-11-02T09:00:00Z");
    db.add_org("operator", "Operator", "setup", now)
        .expect("org");
    db.add_org("audit-firm", "Audit firm", "setup", now)
        .expect("org");
    let user = |name: &str, org: &str, role: Role| NewUser {
        name: name.to_string(),
        org: org.to_string(),
        role,
    };
    let root = db
        .add_user(
            &user("root", "operator", Role::Admin),
            "a long passphrase",
            "setup",
            now,
        )
        .expect("root");
    let ana = db
        .add_user(
            &user("ana", "audit-firm", Role::Auditor),
            "a long passphrase",
            "setup",
            now,
        )
        .expect("ana");
    let key = db.create_api_key("ana", "ci", "root", now).expect("key");
    let feed = db.create_feed_key("ana", "ana", now).expect("feed key");

    // Other roles are refused, and write nothing.
    let entries = db.verify().expect("verify").entries;
    let refused = [
        db.users_as(&ana).map(|_| ()),
        db.keys_as(&ana).map(|_| ()),
        db.revoke_api_key_as(&ana, &key.id, now).map(|_| ()),
        db.add_user_as(
            &ana,
            &user("eve", "audit-firm", Role::Admin),
            "a long passphrase",
            now,
        )
        .map(|_| ()),
    ];
    for r in refused {
        let e = r.expect_err("an auditor administers nobody");
        assert!(matches!(e, DbError::NotPermitted { .. }), "{e:?}");
        assert_eq!(e.code(), "not-permitted");
    }
    assert_eq!(db.verify().expect("verify").entries, entries);
    assert_eq!(db.viewer_of("eve").expect("read"), None);

    // The admin lists users and keys: names, roles, ids and labels, never a secret.
    let users = db.users_as(&root).expect("users");
    let names: Vec<(&str, &str, Role)> = users
        .iter()
        .map(|u| (u.name.as_str(), u.org.as_str(), u.role))
        .collect();
    assert_eq!(
        names,
        [
            ("ana", "audit-firm", Role::Auditor),
            ("root", "operator", Role::Admin)
        ]
    );
    assert_eq!(users[0].created_at, now);
    let keys = db.keys_as(&root).expect("keys");
    let listed: Vec<(&str, &str, &str, &str)> = keys
        .iter()
        .map(|k| {
            (
                k.id.as_str(),
                k.user.as_str(),
                k.purpose.as_str(),
                k.label.as_str(),
            )
        })
        .collect();
    let mut expected = vec![
        (key.id.as_str(), "ana", "api", "ci"),
        (feed.id.as_str(), "ana", "feed", "calendar feed"),
    ];
    expected.sort_by_key(|k| k.0);
    let mut sorted = listed.clone();
    sorted.sort_by_key(|k| k.0);
    assert_eq!(sorted, expected);
    let shown = format!("{keys:?}{users:?}");
    assert!(!shown.contains(&key.secret) && !shown.contains(&feed.secret));
    assert!(keys.iter().all(|k| k.revoked_at.is_none()));

    // Revoking: the key stops working, the list says when, the audit names the admin.
    let later = at("2026-11-02T10:00:00Z");
    assert!(db.revoke_api_key_as(&root, &key.id, later).expect("revoke"));
    assert!(!db.revoke_api_key_as(&root, &key.id, later).expect("twice"));
    assert_eq!(db.api_key_viewer(&key.secret, later).expect("read"), None);
    let revoked = db.keys_as(&root).expect("keys");
    let revoked = revoked.iter().find(|k| k.id == key.id).expect("listed");
    assert_eq!(revoked.revoked_at, Some(later));
    let log = db.log(&pacta_db::LogFilter::default()).expect("log");
    let last = log.last().expect("an entry");
    assert_eq!(
        (last.action.as_str(), last.actor.as_str()),
        ("key.revoke", "root")
    );

    // Adding a user: it signs in with its password; the actor is the admin.
    let carla = db
        .add_user_as(
            &root,
            &user("carla", "operator", Role::ClientManager),
            "one-time pw 123",
            later,
        )
        .expect("added");
    assert_eq!(carla.role(), Role::ClientManager);
    assert_eq!(
        db.check_password("carla", "one-time pw 123")
            .expect("check"),
        Some(carla)
    );
    let log = db.log(&pacta_db::LogFilter::default()).expect("log");
    let last = log.last().expect("an entry");
    assert_eq!(
        (last.action.as_str(), last.actor.as_str()),
        ("user.add", "root")
    );
    let taken = db
        .add_user_as(
            &root,
            &user("carla", "operator", Role::Auditor),
            "a long passphrase",
            later,
        )
        .expect_err("taken");
    assert_eq!(taken.code(), "name-taken");

    assert_eq!(Role::ClientManager.label(Lang::En), "Client manager");
    assert_eq!(Role::ClientManager.label(Lang::Es), "Gestor del cliente");
    assert_eq!(Role::Admin.label(Lang::Es), "Administrador");
}
