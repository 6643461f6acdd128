//! Highlighted snippets as HTML that is safe to insert: the text is escaped, and the only
//! markup is `<mark>` around matched words.

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The fragment, escaped, with `<mark>` around each highlighted byte range.
pub(crate) fn snippet_html(fragment: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for r in ranges {
        let (Some(before), Some(hit)) = (fragment.get(at..r.start), fragment.get(r.clone())) else {
            continue;
        };
        out.push_str(&escape_html(before));
        out.push_str("<mark>");
        out.push_str(&escape_html(hit));
        out.push_str("</mark>");
        at = r.end;
    }
    out.push_str(&escape_html(fragment.get(at..).unwrap_or("")));
    out
}

/// The first `max_chars` characters, with an ellipsis if cut.
pub(crate) fn prefix(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_html_escapes_around_marks() {
        let ranges = [0..3, 11..18];
        let html = snippet_html("<b>a</b> & despido", &ranges);
        assert_eq!(
            html,
            "<mark>&lt;b&gt;</mark>a&lt;/b&gt; &amp; <mark>despido</mark>"
        );
        // A range that is not on a character boundary is dropped, never split.
        assert_eq!(snippet_html("é<", &[1..2, 9..9]), "é&lt;");
    }

    #[test]
    fn prefix_cuts_on_characters() {
        assert_eq!(prefix("Potosí", 5), "Potos…");
        assert_eq!(prefix("Potosí", 6), "Potosí");
    }
}
