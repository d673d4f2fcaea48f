//! The page around the charts.

use std::fmt::Write as _;

/// One chart: its title, the SVG, a text alternative and a caption (HTML).
#[derive(Clone)]
pub struct Figure {
    pub id: String,
    pub title: String,
    pub svg: String,
    pub alt: String,
    pub caption: String,
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A summary number in a caption, marked with its key and exact value.
pub fn num_span(key: &str, value: f64, shown: String) -> String {
    format!(
        "<span class=\"n\" data-key=\"{}\" data-value=\"{value}\">{}</span>",
        esc(key),
        esc(&shown)
    )
}

/// Adds `role="img"` and an `aria-label` to the SVG's root element.
pub fn accessible(svg: &str, alt: &str) -> String {
    match svg.find("<svg") {
        Some(at) => format!(
            "{}<svg role=\"img\" aria-label=\"{}\"{}",
            &svg[..at],
            esc(alt),
            &svg[at + 4..]
        ),
        None => svg.to_string(),
    }
}

/// The whole page: a title, an introduction (HTML), the figures and a closing table (HTML).
pub fn page(title: &str, intro: &str, figures: &[Figure], table: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5rem auto; max-width: 940px; padding: 0 1rem; color: #1a1a1a; line-height: 1.45; }}
h1 {{ font-size: 1.5rem; margin-bottom: .3rem; }}
h2 {{ font-size: 1.15rem; margin: 1.6rem 0 .4rem; }}
figure {{ margin: 0 0 1.4rem; }}
figure svg {{ width: 100%; height: auto; border: 1px solid #ddd; }}
figcaption {{ font-size: .95rem; color: #333; margin-top: .3rem; }}
table {{ border-collapse: collapse; font-size: .92rem; margin: .5rem 0 1.5rem; display: block; overflow-x: auto; max-width: 100%; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .25rem .6rem; text-align: right; }}
td:first-child, th:first-child {{ text-align: left; }}
.note {{ color: #555; font-size: .9rem; }}
</style>
</head>
<body>
<h1>{t}</h1>
{intro}
"#,
        t = esc(title)
    );
    for f in figures {
        let _ = write!(
            s,
            "<h2 id=\"{id}\">{title}</h2>\n<figure role=\"group\" aria-labelledby=\"{id}\">\n{svg}\n<figcaption>{cap}</figcaption>\n</figure>\n",
            id = esc(&f.id),
            title = esc(&f.title),
            svg = accessible(&f.svg, &f.alt),
            cap = f.caption
        );
    }
    s.push_str(table);
    s.push_str(
        "<p class=\"note\">Written by quotasim. Synthetic population drawn from public aggregates; no real person's record is used. Open offline: nothing is fetched.</p>\n</body>\n</html>\n",
    );
    s
}
