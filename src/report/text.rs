//! Text made safe for the page: the one escaping every part of the report
//! goes through (a leaf: the page's parts import it, it imports none of them).

/// `text` with `&`, `<`, `>`, `"` and `'` as character references: safe in
/// element content and in quoted attribute values.
pub fn escape(text: &str) -> String {
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

/// `text` escaped, with each `quoted` part as code (notes and risks quote
/// names that way).
pub fn inline(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len() % 2 == 0 {
        // An odd number of backticks: no pairs to trust.
        return escape(text);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| match i % 2 {
            0 => escape(part),
            _ => format!("<code>{}</code>", escape(part)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape("</pre><script>\"a\" & 'b'"),
            "&lt;/pre&gt;&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;"
        );
    }

    #[test]
    fn backtick_pairs_become_code_and_a_lone_one_stays() {
        assert_eq!(inline("table `a<b>` x"), "table <code>a&lt;b&gt;</code> x");
        assert_eq!(inline("a ` b"), "a ` b");
    }
}
