//! What one benchmark training weighs, stored and on the wire: automerge's `save` against
//! `save_nocompress`, and zstd and gzip over batches of documents (what a `Frames` message holds).
//! `cargo run --release -p balai-bench --example doc_bytes`; BENCHMARKS.md has its figures.

#[path = "../src/workload.rs"]
#[allow(dead_code)]
mod workload;

use std::io::Write;

use rand::SeedableRng;

const DOCS: usize = 2_000;

fn main() -> anyhow::Result<()> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let village = workload::village(0);
    let (mut saved, mut plain, mut messages) = (Vec::new(), Vec::new(), 0usize);
    for _ in 0..DOCS {
        let mut doc = automerge::Automerge::new();
        let shape = workload::TrainingShape::TWENTY_CHECK_INS;
        workload::training(&mut doc, &village, shape, "device-1", &mut rng)?;
        messages += doc
            .get_changes(&[])
            .iter()
            .map(|c| c.message().map_or(0, |m| m.len()))
            .sum::<usize>();
        saved.push(doc.save());
        plain.push(doc.save_nocompress());
    }
    let per_doc = |bytes: usize| bytes as f64 / DOCS as f64;
    let total = |docs: &[Vec<u8>]| docs.iter().map(Vec::len).sum::<usize>();
    println!(
        "per training: save {:.0} B, save_nocompress {:.0} B, change messages {:.0} B (raw)",
        per_doc(total(&saved)),
        per_doc(total(&plain)),
        per_doc(messages)
    );
    for (name, docs) in [("save", &saved), ("save_nocompress", &plain)] {
        for batch in [1usize, 16, 64, 256] {
            let (mut zstd3, mut zstd19, mut gzip) = (0, 0, 0);
            for chunk in docs.chunks(batch) {
                let joined = chunk.concat();
                zstd3 += zstd::bulk::compress(&joined, 3)?.len();
                zstd19 += zstd::bulk::compress(&joined, 19)?.len();
                let mut e =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                e.write_all(&joined)?;
                gzip += e.finish()?.len();
            }
            println!(
                "{name}, {batch} per batch: zstd-3 {:.0} B, zstd-19 {:.0} B, gzip-6 {:.0} B per training",
                per_doc(zstd3),
                per_doc(zstd19),
                per_doc(gzip)
            );
        }
    }
    Ok(())
}
