//! The status feeds: written incidents and scheduled maintenance as Atom
//! 1.0, RSS 2.0 and JSON Feed 1.1, for feed readers and chat integrations
//! that follow a status page.
//!
//! Each notice is one entry whose `updated` time moves with every change,
//! so readers show it again when the incident moves on. Entry ids are
//! `urn:porthole:notice:{id}`: stable whatever address the site is reached
//! by. Links are absolute when the public URL is known (`[server]
//! public_url`, or a trusted proxy's word) and relative otherwise.

use app::{
    model::{Maintenance, WrittenIncident},
    site::PublicUrl,
};
use chrono::{DateTime, FixedOffset, Utc};
use porthole_model::{FeedFormat, Route};
use serde::Serialize;

use super::view::NoticeView;

/// Entries a feed carries at most: the most recently changed notices.
pub const FEED_ENTRIES: u64 = 50;

/// What a feed describes besides its entries.
#[derive(Debug, Clone)]
pub struct FeedSite {
    /// The feed's title.
    pub title: String,
    /// Where visitors reach Porthole, if known.
    pub public_url: PublicUrl,
    /// The service the feed is about; every service when `None`.
    pub service: Option<String>,
}

impl FeedSite {
    /// `route`'s URL: absolute when the public URL is known.
    fn url(&self, route: &Route) -> String {
        let path = route.href();
        self.public_url.absolute(&path).unwrap_or(path)
    }

    fn feed_url(&self, format: FeedFormat) -> String {
        self.url(&Route::StatusFeed {
            service: self.service.as_deref().and_then(porthole_model::Id::new),
            format,
        })
    }

    fn home_url(&self) -> String {
        self.url(&Route::Status)
    }
}

/// One notice as a feed entry.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    /// Stable across changes and addresses.
    pub id: String,
    /// Where its page is.
    pub route: Route,
    /// Its title, with what it is: "Slow logins (Monitoring)".
    pub title: String,
    /// When it was opened or announced.
    pub published: DateTime<Utc>,
    /// When it last changed.
    pub updated: DateTime<Utc>,
    /// Its whole text as safe HTML (messages are rendered by
    /// `notices::markdown`, everything else is escaped here).
    pub html: String,
    /// "incident" or "maintenance", and its state.
    pub tags: Vec<String>,
}

/// The entries of `notices` (newest change first).
pub fn entries(notices: &[NoticeView]) -> Vec<FeedEntry> {
    notices.iter().map(entry).collect()
}

fn entry(notice: &NoticeView) -> FeedEntry {
    match notice {
        NoticeView::Incident(incident) => incident_entry(incident),
        NoticeView::Maintenance(window) => maintenance_entry(window),
    }
}

fn notice_route(id: u64) -> Route {
    Route::StatusIncident {
        id: porthole_model::NoticeId::new(id),
    }
}

fn incident_entry(incident: &WrittenIncident) -> FeedEntry {
    let mut html = format!(
        "<p>{}{}</p>",
        escape(incident.impact.label()),
        services_suffix(&incident.service_names())
    );
    for update in &incident.updates {
        html.push_str(&format!(
            "<p><strong>{}</strong> · {}</p>{}",
            escape(update.status.label()),
            utc_words(update.at),
            update.html
        ));
    }
    FeedEntry {
        id: entry_id(incident.id),
        route: notice_route(incident.id),
        title: format!("{} ({})", incident.title, incident.status.label()),
        published: instant(incident.created_at),
        updated: instant(incident.updated_at),
        html,
        tags: vec!["incident".to_owned(), incident.status.as_str().to_owned()],
    }
}

fn maintenance_entry(window: &Maintenance) -> FeedEntry {
    let html = format!(
        "<p>Scheduled maintenance from {} to {}{}</p>{}",
        utc_words(window.starts_at),
        utc_words(window.ends_at),
        services_suffix(&window.service_names()),
        window.html
    );
    FeedEntry {
        id: entry_id(window.id),
        route: notice_route(window.id),
        title: format!("Maintenance: {}", window.title),
        published: instant(window.created_at),
        updated: instant(window.updated_at),
        html,
        tags: vec!["maintenance".to_owned()],
    }
}

fn entry_id(id: u64) -> String {
    format!("urn:porthole:notice:{id}")
}

fn services_suffix(names: &str) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!(" · {}", escape(names))
    }
}

fn escape(text: &str) -> String {
    super::markdown::text_to_html(text)
}

fn instant(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// "2026-12-06 02:00 UTC".
fn utc_words(ms: i64) -> String {
    instant(ms).format("%Y-%m-%d %H:%M UTC").to_string()
}

fn fixed(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.fixed_offset()
}

/// When the feed last changed: its newest entry, or `now` when empty.
fn feed_updated(entries: &[FeedEntry], now: DateTime<Utc>) -> DateTime<Utc> {
    entries.iter().map(|e| e.updated).max().unwrap_or(now)
}

/// The feed of `entries` in `format`, as its body.
pub fn render(
    format: FeedFormat,
    site: &FeedSite,
    entries: &[FeedEntry],
    now: DateTime<Utc>,
) -> String {
    match format {
        FeedFormat::Atom => atom(site, entries, now),
        FeedFormat::Rss => rss(site, entries, now),
        FeedFormat::Json => json(site, entries),
    }
}

fn atom(site: &FeedSite, entries: &[FeedEntry], now: DateTime<Utc>) -> String {
    use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
    let link = |href: String, rel: &str, mime: Option<&str>| {
        let mut link = Link::default();
        link.set_href(href);
        link.set_rel(rel);
        link.set_mime_type(mime.map(str::to_owned));
        link
    };
    let mut feed = Feed::default();
    feed.set_title(Text::plain(site.title.clone()));
    feed.set_id(site.feed_url(FeedFormat::Atom));
    feed.set_updated(fixed(feed_updated(entries, now)));
    feed.set_links(vec![
        link(
            site.feed_url(FeedFormat::Atom),
            "self",
            Some(FeedFormat::Atom.media_type()),
        ),
        link(site.home_url(), "alternate", Some("text/html")),
    ]);
    let mut author = Person::default();
    author.set_name(site.title.clone());
    feed.set_authors(vec![author]);
    feed.set_entries(
        entries
            .iter()
            .map(|e| {
                let mut entry = Entry::default();
                entry.set_id(e.id.clone());
                entry.set_title(Text::plain(e.title.clone()));
                entry.set_published(Some(fixed(e.published)));
                entry.set_updated(fixed(e.updated));
                entry.set_links(vec![link(
                    site.url(&e.route),
                    "alternate",
                    Some("text/html"),
                )]);
                let mut content = Content::default();
                content.set_content_type(Some("html".to_owned()));
                content.set_value(Some(e.html.clone()));
                entry.set_content(Some(content));
                entry
            })
            .collect::<Vec<_>>(),
    );
    // With its XML declaration.
    feed.to_string()
}

fn rss(site: &FeedSite, entries: &[FeedEntry], now: DateTime<Utc>) -> String {
    use rss::{Channel, Guid, Item};
    let mut channel = Channel::default();
    channel.set_title(site.title.clone());
    channel.set_link(site.home_url());
    channel.set_description(format!("Incidents and maintenance: {}", site.title));
    channel.set_last_build_date(Some(feed_updated(entries, now).to_rfc2822()));
    channel.set_items(
        entries
            .iter()
            .map(|e| {
                let mut item = Item::default();
                item.set_title(Some(e.title.clone()));
                item.set_link(Some(site.url(&e.route)));
                item.set_guid(Some(Guid {
                    value: e.id.clone(),
                    permalink: false,
                }));
                // RSS has one date per item: the last change, so readers
                // show an incident again when it moves on.
                item.set_pub_date(Some(e.updated.to_rfc2822()));
                item.set_description(Some(e.html.clone()));
                item
            })
            .collect::<Vec<_>>(),
    );
    // With its XML declaration.
    channel.to_string()
}

/// JSON Feed 1.1 (<https://www.jsonfeed.org/version/1.1/>).
#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: String,
    feed_url: String,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    content_html: &'a str,
    date_published: String,
    date_modified: String,
    tags: &'a [String],
}

fn json(site: &FeedSite, entries: &[FeedEntry]) -> String {
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &site.title,
        home_page_url: site.home_url(),
        feed_url: site.feed_url(FeedFormat::Json),
        items: entries
            .iter()
            .map(|e| JsonItem {
                id: &e.id,
                url: site.url(&e.route),
                title: &e.title,
                content_html: &e.html,
                date_published: e.published.to_rfc3339(),
                date_modified: e.updated.to_rfc3339(),
                tags: &e.tags,
            })
            .collect(),
    };
    serde_json::to_string_pretty(&feed).unwrap_or_else(|_| "{}".to_owned())
}
