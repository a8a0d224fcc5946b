//! The device token format, which the server issues and the CLI reads: `bl1_<name>_<64 hex>`.
//! The name in a token only lets `balai init` name the device without asking; the server trusts
//! the hash of the whole token, never the name in it.

/// Whether `name` can name a device: 1–64 lowercase letters, digits and dashes.
pub fn valid_device_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The device name a token was issued to, if it is shaped like a Balai token.
pub fn name_in_token(token: &str) -> Option<&str> {
    let rest = token.strip_prefix("bl1_")?;
    let (name, secret) = rest.rsplit_once('_')?;
    (valid_device_name(name) && secret.len() == 64).then_some(name)
}

/// A token for `name` from 256 random bits.
pub fn format_token(name: &str, secret: &[u8; 32]) -> String {
    let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    format!("bl1_{name}_{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_is_read_back_from_a_well_formed_token_only() {
        let token = format_token("hp-ani", &[7; 32]);
        assert_eq!(name_in_token(&token), Some("hp-ani"));
        assert_eq!(name_in_token("bl1_hp-ani_00"), None);
        assert_eq!(name_in_token(&token.replace("bl1_", "bl2_")), None);
        assert!(!valid_device_name("Bad Name"));
        assert!(!valid_device_name(""));
    }
}
