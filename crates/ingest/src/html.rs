//! HTML pages: the main article text, title, date and author. (First version; replaced by the
//! extraction work in progress.)

use scraper::{Html, Selector};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlArticle {
    pub title: Option<String>,
    pub body: String,
    pub published: Option<String>,
    pub author: Option<String>,
    pub section: Option<String>,
    pub url: Option<String>,
    pub site_name: Option<String>,
    pub lang: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    #[error("no article text found in the page")]
    NoText,
}

pub fn extract(html: &str) -> Result<HtmlArticle, HtmlError> {
    let doc = Html::parse_document(html);
    let p = Selector::parse("p").expect("selector");
    let t = Selector::parse("title").expect("selector");
    let body: Vec<String> = doc
        .select(&p)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|s| !s.is_empty())
        .collect();
    if body.is_empty() {
        return Err(HtmlError::NoText);
    }
    Ok(HtmlArticle {
        title: doc
            .select(&t)
            .next()
            .map(|e| e.text().collect::<String>().trim().to_string()),
        body: body.join("\n\n"),
        ..HtmlArticle::default()
    })
}
