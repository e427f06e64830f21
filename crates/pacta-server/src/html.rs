//! The page shell every server-rendered page shares: no script, no style inline, the
//! title escaped.

use axum::response::Html;
use pacta_core::Lang;
use pacta_core::html::escape;

/// A whole page around `body` (already escaped HTML).
pub fn page(lang: Lang, title: &str, body: &str) -> Html<String> {
    let html_lang = lang.pick("en", "es");
    Html(format!(
        "<!doctype html>\n<html lang=\"{html_lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>{}</title></head>\
         <body><main>{body}</main></body></html>\n",
        escape(title)
    ))
}
