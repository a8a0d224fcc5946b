//! The projection's schema: versioned migrations in `sink/migrations/` (`V1__projection.sql`:
//! tables; `V2__report_views.sql`: the report views), embedded in the binary and applied by
//! refinery at every connect. refinery records applied versions in `refinery_schema_history` and
//! refuses a database whose applied migrations differ from ours (changed or unknown), so a newer
//! server's schema is never silently mixed with an older one's.

mod embedded {
    refinery::embed_migrations!("migrations");
}

use crate::SinkError;

/// Apply the migrations the database does not have yet, each in its own transaction.
pub async fn migrate(client: &mut tokio_postgres::Client) -> Result<(), SinkError> {
    let report = embedded::migrations::runner()
        .set_abort_divergent(true)
        .set_abort_missing(true)
        .run_async(client)
        .await?;
    for m in report.applied_migrations() {
        tracing::info!("analytics sink: applied schema migration {m}");
    }
    Ok(())
}
