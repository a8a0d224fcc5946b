//! `balai demo`: a server and three offline devices in a temporary directory (placeholder).
pub async fn run(_out: &mut impl std::io::Write) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
