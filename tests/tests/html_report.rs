//! The district HTML report, rendered in real headless Chromium (Debian's `chromium`, which
//! .ci/run installs): the page loads with no errors and no network request, every chart has a
//! size, and a screenshot of it is not blank.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use balai_e2e::{Device, Server, Value, run_bounded};

const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(120);

fn chromium() -> PathBuf {
    let path =
        PathBuf::from(std::env::var_os("BALAI_CHROMIUM").unwrap_or("/usr/bin/chromium".into()));
    assert!(
        path.is_file(),
        "{} not found: the HTML report test needs Debian's chromium (`apt-get install chromium`, \
         which .ci/run does), or BALAI_CHROMIUM set to a Chromium binary",
        path.display()
    );
    path
}

/// Headless Chromium with the flags a closed network needs (no background connections), a
/// fresh profile, and `args`.
fn run_chromium(profile: &Path, args: &[&str]) -> std::process::Output {
    let out = run_bounded(
        Command::new(chromium())
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(args),
        CHROMIUM_TIMEOUT,
    );
    assert!(
        out.status.success(),
        "chromium {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Two villages' forums and a training, recorded on two devices and merged through the server.
fn district_data(server: &Server) -> Device {
    let a = server.device_scoped("hp-rina", "18.01.05");
    let b = server.device_scoped("hp-wayan", "18.01.05");
    let forum = a.create(&[
        "minutes",
        "new",
        "--village",
        "18.01.05.2001",
        "--title",
        "Musyawarah dusun",
        "--date",
        "2026-11-20",
    ]);
    a.sync();
    b.sync();
    for (device, name, gender, dusun) in [
        (&a, "Siti Aminah", "f", "Dusun I"),
        (&a, "Made", "m", "Dusun I"),
        (&b, "Nyoman", "m", "Dusun II"),
        (&b, "Ketut", "m", "Dusun III"),
    ] {
        device.ok(&[
            "minutes", "attend", &forum, "--name", name, "--gender", gender, "--dusun", dusun,
        ]);
    }
    a.ok(&[
        "minutes",
        "follow-up",
        &forum,
        "--what",
        "Ajukan sumur bor",
        "--who",
        "Kades",
        "--due",
        "2026-11-25",
    ]);
    let other = b.create(&[
        "minutes",
        "new",
        "--village",
        "18.01.05.2002",
        "--title",
        "Musyawarah desa",
        "--date",
        "2026-11-22",
    ]);
    b.ok(&[
        "minutes", "attend", &other, "--name", "Wati", "--gender", "f", "--dusun", "Pesisir",
    ]);
    let training = b.create(&[
        "training",
        "new",
        "--village",
        "18.01.05.2002",
        "--topic",
        "Pupuk organik",
        "--sessions",
        "2026-11-02",
    ]);
    b.ok(&[
        "training", "enroll", &training, "--name", "Wati", "--gender", "f", "--dusun", "Pesisir",
    ]);
    b.ok(&[
        "training",
        "check-in",
        &training,
        "--session",
        "1",
        "--name",
        "Wati",
    ]);
    // A third village whose last forum is months old (stale on 12-01), with an attendee of
    // unrecorded gender, and a dusun known only from a training nobody from it came to.
    let old = b.create(&[
        "minutes",
        "new",
        "--village",
        "18.01.05.2003",
        "--title",
        "Rembuk warga",
        "--date",
        "2026-08-14",
    ]);
    b.ok(&[
        "minutes",
        "attend",
        &old,
        "--name",
        "Yanti",
        "--gender",
        "f",
        "--dusun",
        "Kampung Baru",
    ]);
    b.ok(&[
        "minutes",
        "attend",
        &old,
        "--name",
        "Rahmat",
        "--dusun",
        "Kampung Baru",
    ]);
    let sewing = b.create(&[
        "training",
        "new",
        "--village",
        "18.01.05.2003",
        "--topic",
        "Menjahit",
        "--sessions",
        "2026-08-20",
    ]);
    b.ok(&[
        "training",
        "enroll",
        &sewing,
        "--name",
        "Sri",
        "--gender",
        "f",
        "--dusun",
        "Way Lalaan",
    ]);
    a.sync();
    b.sync();
    a.sync();
    a
}

/// What the probe script found in the page, read back from the DOM Chromium dumps.
fn probe(html: &Path, profile: &Path) -> Value {
    let page = std::fs::read_to_string(html).expect("the report");
    // Errors are caught from the first script on; the measurements run once the page loaded.
    let catcher = "<script>window.__errors=[];addEventListener('error',e=>__errors.push(String(e.message||e.target&&e.target.outerHTML)),true);</script>";
    let measure = "<script>addEventListener('load',()=>{const r=[...document.querySelectorAll('svg')].map(s=>{const b=s.getBoundingClientRect();return [b.width,b.height]});const p=document.createElement('pre');p.id='probe';p.textContent=JSON.stringify({errors:__errors,svgs:r,resources:performance.getEntriesByType('resource').map(e=>e.name)});document.body.appendChild(p);});</script>";
    let probed = page
        .replacen("<head>", &format!("<head>{catcher}"), 1)
        .replacen("</body>", &format!("{measure}</body>"), 1);
    let path = html.with_extension("probe.html");
    std::fs::write(&path, probed).expect("write the probe page");
    let out = run_chromium(
        profile,
        &[
            "--virtual-time-budget=5000",
            "--dump-dom",
            &format!("file://{}", path.display()),
        ],
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom.find("<pre id=\"probe\">").expect("the probe ran") + "<pre id=\"probe\">".len();
    let end = start + dom[start..].find("</pre>").expect("probe end");
    let json = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("probe JSON ({e}): {json}"))
}

/// Share of pixels that are not the page's white, and the number of distinct colours.
fn ink(png: &Path) -> (f64, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png).expect("the screenshot"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a sane PNG size")];
    let info = reader.next_frame(&mut buf).expect("one frame");
    let channels = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(channels).collect();
    let inked = pixels.iter().filter(|p| p[..3] != [255, 255, 255]).count();
    let colours: std::collections::BTreeSet<&[u8]> = pixels.iter().map(|p| &p[..3]).collect();
    #[allow(clippy::cast_precision_loss)]
    let share = inked as f64 / pixels.len().max(1) as f64;
    (share, colours.len())
}

#[test]
fn district_html_report_renders_in_headless_chromium() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let device = district_data(&server);
    let out = tempfile::tempdir().expect("tempdir");
    let html = out.path().join("district.html");
    device.ok(&[
        "report",
        "district",
        "--today",
        "2026-12-01",
        "--html",
        html.to_str().expect("utf-8 path"),
    ]);
    let page = std::fs::read_to_string(&html).expect("the report");
    // Self-contained: nothing to fetch, so it opens offline on a district laptop.
    for reference in ["src=", "href=", "url(", "@import", "<link", "<iframe"] {
        assert!(!page.contains(reference), "the page references {reference}");
    }
    assert!(page.contains("18.01.05.2001") && page.contains("Dusun III"));

    let profile = out.path().join("chromium-profile");
    let found = probe(&html, &profile);
    assert_eq!(found["errors"], Value::Array(vec![]), "page errors");
    assert_eq!(found["resources"], Value::Array(vec![]), "network requests");
    let svgs = found["svgs"].as_array().expect("chart sizes");
    assert!(
        svgs.len() >= 3,
        "attendance, coverage and follow-up charts: {svgs:?}"
    );
    for size in svgs {
        let (w, h) = (
            size[0].as_f64().unwrap_or(0.0),
            size[1].as_f64().unwrap_or(0.0),
        );
        assert!(w > 100.0 && h > 50.0, "a chart of {w}×{h} px");
    }

    let shot = out.path().join("district.png");
    run_chromium(
        &profile,
        &[
            "--window-size=1280,2000",
            &format!("--screenshot={}", shot.display()),
            &format!("file://{}", html.display()),
        ],
    );
    let (share, colours) = ink(&shot);
    assert!(
        share > 0.02,
        "only {:.1}% of the screenshot is not white",
        share * 100.0
    );
    assert!(colours > 8, "the screenshot has {colours} colours");
    if let Some(dir) = std::env::var_os("BALAI_SCREENSHOT_DIR") {
        // How docs/report-district.png is made: BALAI_SCREENSHOT_DIR=docs cargo test … html.
        std::fs::copy(&shot, Path::new(&dir).join("report-district.png")).expect("copy");
    }
}
