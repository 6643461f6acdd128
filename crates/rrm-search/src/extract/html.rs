//! HTML to text with html5gum, a WHATWG tokenizer: it builds no tree, so nesting depth costs
//! nothing, and it reads tag soup as browsers do. Text inside `script`, `style`, `template`,
//! `noscript`, `svg` and `head` is dropped; block elements end a line; character references are
//! decoded by the tokenizer.

use html5gum::{Token, Tokenizer};

use super::append_capped;

const HIDDEN: [&[u8]; 6] = [
    b"script",
    b"style",
    b"template",
    b"noscript",
    b"svg",
    b"head",
];
const BLOCKS: [&[u8]; 16] = [
    b"p", b"div", b"br", b"li", b"tr", b"td", b"th", b"h1", b"h2", b"h3", b"h4", b"h5", b"h6",
    b"section", b"article", b"title",
];

pub(crate) fn text(html: &str) -> String {
    let mut out = String::new();
    // How many hidden elements are open; text counts only at zero. A stray end tag never
    // takes it below zero.
    let mut hidden = 0usize;
    for token in Tokenizer::new(html).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name: &[u8] = &tag.name;
                if HIDDEN.contains(&name) && !tag.self_closing {
                    hidden += 1;
                } else if BLOCKS.contains(&name) {
                    out.push('\n');
                }
            }
            Token::EndTag(tag) => {
                let name: &[u8] = &tag.name;
                if HIDDEN.contains(&name) {
                    hidden = hidden.saturating_sub(1);
                } else if BLOCKS.contains(&name) {
                    out.push('\n');
                }
            }
            Token::String(s)
                if hidden == 0 && !append_capped(&mut out, &String::from_utf8_lossy(&s.value)) =>
            {
                break;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_scripts_and_decodes_references() {
        let html = "<html><head><title>x</title><style>p{}</style></head><body>\
                    <p>Despido en San Luis Potos&iacute;</p><script>alert('CANARY')</script>\
                    <div>second &amp; last</div></body></html>";
        let t = text(html);
        assert!(t.contains("Despido en San Luis Potosí"), "{t}");
        assert!(t.contains("second & last"), "{t}");
        assert!(!t.contains("CANARY") && !t.contains("p{}"), "{t}");
    }

    #[test]
    fn deep_nesting_and_stray_end_tags() {
        let html = format!(
            "{}deep{}</script></head>after",
            "<div>".repeat(200_000),
            "</div>".repeat(10)
        );
        let t = text(&html);
        assert!(t.contains("deep") && t.contains("after"));
    }
}
