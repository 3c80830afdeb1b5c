//! Identifier length limits: constraint and index names longer than the
//! dialect allows are shortened deterministically, the same way for the CREATE
//! and the later DROP, so a name can always be found again.

/// `name` if it fits in `max` bytes, else its first bytes, `_` and 8 hex digits
/// of the FNV-1a hash of the whole name (cut on a char boundary).
pub fn fit(name: &str, max: usize) -> String {
    if name.len() <= max || max < 10 {
        return name.to_string();
    }
    let mut keep = max - 9;
    while !name.is_char_boundary(keep) {
        keep -= 1;
    }
    format!("{}_{:08x}", &name[..keep], fnv1a(name.as_bytes()))
}

/// 32-bit FNV-1a: tiny, stable across releases and platforms, good enough to
/// keep two long names that share a prefix apart.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_kept_long_ones_fit_with_a_stable_suffix() {
        assert_eq!(fit("ix_users_email", 30), "ix_users_email");
        let long = "fk_order_line_items_customer_shipping_address_id_customer_addresses";
        let a = fit(long, 30);
        assert_eq!(a.len(), 30);
        assert_eq!(a, fit(long, 30), "deterministic");
        assert!(
            a.starts_with(&long[..21]) && a.as_bytes()[21] == b'_',
            "{a}"
        );
        let other = fit(&format!("{long}x"), 30);
        assert_ne!(a, other, "different names stay different");
        // Known FNV-1a value, so the suffix never changes between releases.
        assert_eq!(fnv1a(b"a"), 0xe40c292c);
    }

    #[test]
    fn cuts_on_char_boundaries() {
        let name = "é".repeat(40);
        let fitted = fit(&name, 30);
        assert!(fitted.len() <= 30, "{fitted}");
    }
}
