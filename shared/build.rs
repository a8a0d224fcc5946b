//! Compiles the gRPC contract in `proto/` with a vendored protoc, so no system install is needed.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = tonic_prost_build::Config::new();
    config.protoc_executable(protoc_bin_vendored::protoc_bin_path()?);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../proto");
    let files = [
        root.join("balai/v1/sync.proto"),
        root.join("balai/v1/admin.proto"),
    ];
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    // Admin reports print as JSON (`balai admin status --json`) straight from the wire types.
    let mut builder = tonic_prost_build::configure();
    for message in [
        "DeviceInfo",
        "DeviceStatus",
        "VillageStatus",
        "UpstreamStatus",
        "SinkStatus",
        "StatusResponse",
        "SyncNowResponse",
        "ResyncResponse",
    ] {
        builder = builder.type_attribute(
            format!(".balai.v1.{message}"),
            "#[derive(serde::Serialize)]",
        );
    }
    builder.compile_with_config(config, &files, &[root])?;
    Ok(())
}
