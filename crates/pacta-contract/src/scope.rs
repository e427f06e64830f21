//! Which contacts an SLA or a price component covers.
//!
//! A contract writes a scope as lists: `services`, `channels`, `queues`, `sites`,
//! `languages`. [`ContactScope`] resolves the service ids against the contract's services
//! once and gives the lists one meaning, used by the KPI engine, settlement (volumes, flex,
//! pricing usage) and planning alike:
//!
//! - the lists are **ANDed**: a contact is covered when it passes every list that is not
//!   empty (an empty list restricts nothing);
//! - the `services` list is **ORed** within itself: a contact passes it when it belongs to
//!   any listed service, that is it has the service's channel and, when the service names
//!   queues, one of those queues.
//!
//! A contact with no value for a restricted dimension (no site, no language) is not covered.

use serde::{Serialize, Serializer};

use crate::model::{Channel, Service, SlaScope};

/// The contacts a scope covers, resolved against the contract's services.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactScope {
    written: SlaScope,
    /// Per listed service that exists: its channel and queues (empty = every queue).
    /// `None` when the scope lists no service.
    services: Option<Vec<(Channel, Vec<String>)>>,
}

impl ContactScope {
    /// Every contact.
    pub fn everything() -> ContactScope {
        ContactScope {
            written: SlaScope::default(),
            services: None,
        }
    }

    /// A scope as written, resolved against the contract's services. A service id that names
    /// no service covers nothing (validation reports it).
    pub fn resolve(written: &SlaScope, services: &[Service]) -> ContactScope {
        let resolved = (!written.services.is_empty()).then(|| {
            services
                .iter()
                .filter(|s| written.services.contains(&s.id))
                .map(|s| (s.channel, s.queues.clone()))
                .collect()
        });
        ContactScope {
            written: written.clone(),
            services: resolved,
        }
    }

    /// The scope of a price component: its services, channels and languages.
    pub fn of_component(
        service_ids: &[String],
        channels: &[Channel],
        languages: &[String],
        services: &[Service],
    ) -> ContactScope {
        let written = SlaScope {
            services: service_ids.to_vec(),
            channels: channels.to_vec(),
            languages: languages.to_vec(),
            ..SlaScope::default()
        };
        ContactScope::resolve(&written, services)
    }

    /// The lists as the contract wrote them.
    pub fn written(&self) -> &SlaScope {
        &self.written
    }

    /// Whether the scope restricts nothing.
    pub fn is_everything(&self) -> bool {
        let w = &self.written;
        w.services.is_empty()
            && w.channels.is_empty()
            && w.queues.is_empty()
            && w.sites.is_empty()
            && w.languages.is_empty()
    }

    /// Whether a contact with these values is covered (see the module documentation).
    pub fn covers(
        &self,
        channel: Option<Channel>,
        queue: Option<&str>,
        site: Option<&str>,
        language: Option<&str>,
    ) -> bool {
        self.covers_queue(channel, queue)
            && self.covers_site(site)
            && self.covers_language(language)
    }

    /// Whether contacts of this channel and queue are covered as far as the services,
    /// channels and queues lists go; sites and languages are not looked at (a forecast, or
    /// a dense per-(channel, queue) table, has neither).
    pub fn covers_queue(&self, channel: Option<Channel>, queue: Option<&str>) -> bool {
        let w = &self.written;
        (w.channels.is_empty() || channel.is_some_and(|c| w.channels.contains(&c)))
            && listed(&w.queues, queue)
            && self.services.as_ref().is_none_or(|services| {
                services.iter().any(|(c, queues)| {
                    channel == Some(*c)
                        && (queues.is_empty()
                            || queue.is_some_and(|q| queues.iter().any(|x| x == q)))
                })
            })
    }

    /// Whether a contact at this site passes the sites list.
    pub fn covers_site(&self, site: Option<&str>) -> bool {
        listed(&self.written.sites, site)
    }

    /// Whether a contact in this language passes the languages list.
    pub fn covers_language(&self, language: Option<&str>) -> bool {
        listed(&self.written.languages, language)
    }

    /// Whether a contact in a queue absent from the data's queue dictionary (or with no
    /// queue) can be covered: only through a channel-wide service or no queue restriction.
    pub fn covers_any_queue_of(&self, channel: Channel) -> bool {
        self.covers_queue(Some(channel), None)
    }

    /// The contract's services the scope covers, all of them or only those whose channel and
    /// id pass the services and channels lists (for volume checks per service).
    pub fn services_covered<'s>(&self, services: &'s [Service]) -> Vec<&'s Service> {
        let w = &self.written;
        services
            .iter()
            .filter(|s| {
                (w.services.is_empty() || w.services.contains(&s.id))
                    && (w.channels.is_empty() || w.channels.contains(&s.channel))
            })
            .collect()
    }
}

impl ContactScope {
    /// The channels the scope reaches: its channels list when it has one, else the channels of
    /// the contract services it covers.
    pub fn channels(&self, services: &[Service]) -> Vec<Channel> {
        if !self.written.channels.is_empty() {
            return self.written.channels.clone();
        }
        self.services_covered(services)
            .iter()
            .map(|s| s.channel)
            .collect()
    }
}

fn listed(list: &[String], value: Option<&str>) -> bool {
    list.is_empty() || value.is_some_and(|v| list.iter().any(|x| x == v))
}

/// Serialized as the lists the contract wrote.
impl Serialize for ContactScope {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.written.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(id: &str, channel: Channel, queues: &[&str]) -> Service {
        Service {
            id: id.into(),
            channel,
            queues: queues.iter().map(|q| q.to_string()).collect(),
            languages: Vec::new(),
            sites: Vec::new(),
            forecast_monthly_volume: None,
            forecast_aht_s: None,
            concurrency: None,
            description: None,
        }
    }

    #[test]
    fn services_are_ored_and_lists_anded() {
        let services = [
            service("cards", Channel::VoiceIn, &["cards", "platinum"]),
            service("chat", Channel::Chat, &[]),
        ];
        let scope = ContactScope::resolve(
            &SlaScope {
                services: vec!["cards".into(), "chat".into()],
                sites: vec!["MNL".into()],
                ..SlaScope::default()
            },
            &services,
        );
        let voice = Some(Channel::VoiceIn);
        assert!(scope.covers(voice, Some("platinum"), Some("MNL"), None));
        assert!(!scope.covers(voice, Some("retail"), Some("MNL"), None));
        assert!(scope.covers(Some(Channel::Chat), Some("any"), Some("MNL"), Some("es")));
        assert!(!scope.covers(Some(Channel::Chat), Some("any"), Some("CEB"), None));
        assert!(!scope.covers(Some(Channel::Chat), None, None, None));
        assert!(scope.covers_queue(Some(Channel::Chat), None));
        assert!(!scope.covers_queue(voice, None));
    }

    #[test]
    fn empty_scope_covers_everything() {
        let all = ContactScope::everything();
        assert!(all.is_everything());
        assert!(all.covers(None, None, None, None));
        let channel_only = ContactScope::resolve(
            &SlaScope {
                channels: vec![Channel::Chat],
                ..SlaScope::default()
            },
            &[],
        );
        assert!(!channel_only.covers(None, Some("q"), None, None));
        assert!(channel_only.covers(Some(Channel::Chat), Some("q"), None, None));
    }
}
