//! The projection's schema: versioned migrations in `sink/migrations/` (`V1__projection.sql`:
//! tables; `V2__report_views.sql`: the report views), embedded in the binary and applied by
//! refinery at every connect. refinery records applied versions in `refinery_schema_history` and
//! refuses a database whose applied migrations differ from ours (changed or unknown), so a newer
//! server's schema is never silently mixed with an older one's.

mod embedded {
    refinery::embed_migrations!("migrations");
}

use crate::SinkError;

/// Any constant: the key of the session advisory lock that makes concurrent migrations (two
/// servers starting at once against one database) take turns.
const MIGRATION_LOCK: i64 = 0x6261_6c61_6900_0001;

/// Apply the migrations the database does not have yet, each in its own transaction.
pub async fn migrate(client: &mut tokio_postgres::Client) -> Result<(), SinkError> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    let report = embedded::migrations::runner()
        .set_abort_divergent(true)
        .set_abort_missing(true)
        .run_async(client)
        .await;
    client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .await?;
    for m in report?.applied_migrations() {
        tracing::info!("analytics sink: applied schema migration {m}");
    }
    Ok(())
}
