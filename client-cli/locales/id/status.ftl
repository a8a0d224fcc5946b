# Tampilan status untuk admin pada `balai admin status`, `sync-now`, dan `resync` (frasa-frasa
# balai_net::status_view). "Upstream" disebut server induk.

status-count-documents = { $n } dokumen
status-count-changes = { $n } perubahan
status-count-devices = { $n } perangkat
status-count-villages = { $n } desa
status-count-days = { $n } hari
status-count-round-trips = { $n } kali bolak-balik
status-count-stores = { $n } penyimpanan
status-count-sync-states = { $n } status sinkronisasi
status-count-rows = { $n } baris
status-span-seconds = { $n } detik
status-span-minutes = { $n } menit
status-span-hours = { $n } jam
status-span-days = { $n } hari
status-in = { $span } lagi
status-ago = { $span } yang lalu
status-just-now = baru saja
status-never-synced = belum pernah sinkron
status-stale = BELUM SINKRON { $days } hari
status-col-device = perangkat
status-col-role = peran
status-col-scope = wilayah
status-col-last-sync = sinkron terakhir
status-col-docs-to-from = dok. ke/dari
status-col-sessions = sesi berhasil/gagal
status-col-last-failure = gagal terakhir
status-col-silent = tidak aktif
status-col-village = desa
status-col-documents = dokumen
status-col-latest-change = perubahan terakhir
status-col-latest-seq = urutan terakhir
status-row-scopes = wilayah
status-row-last-success = berhasil terakhir
status-row-last-failure = gagal terakhir
status-row-pending = belum dikonfirmasi server induk
status-row-next-attempt = percobaan berikutnya
status-row-connection = koneksi
status-row-projected = sudah diproyeksikan
status-row-written = ditulis sejak server dijalankan
status-never = belum pernah
status-none = tidak ada
status-revoked-on = dicabut { $day }
status-upstream = server induk { $url }
status-upstream-named = server induk { $url } (server `{ $name }`)
status-last-success = { $moment }: { $sent } dokumen naik, { $received } turun
status-succeeded-since = (sesudahnya sudah berhasil lagi)
status-failures = { $n ->
        [1] (1 kali gagal)
       *[other] ({ $n } kali gagal berturut-turut)
    }
status-nothing-pending = tidak ada (server induk sudah menerima semua perubahan)
status-pending = { $documents } ({ $changes })
status-running-or-unknown = sedang berjalan, atau tidak diketahui (server berhenti)
status-due-now = sekarang ({ $at })
# Bagian sink analitik: feed perubahan yang diproyeksikan ke PostgreSQL.
status-sink = sink analitik (PostgreSQL) { $url }
status-sink-connected = terhubung
status-sink-disconnected = tidak terhubung
status-projected = sampai urutan { $projected } dari { $latest } ({ $lag ->
        [0] sudah mutakhir
       *[other] tertinggal { $lag } entri feed
    })
status-written = { $documents }, { $rows }
status-heading = server, per { $at }
status-heading-named = server `{ $name }`, per { $at }
status-no-devices = perangkat: tidak ada
status-no-villages = desa: belum ada
status-no-upstream = server induk: tidak ada (server ini berada di puncak jaringannya)
status-summary = { $devices } perangkat{ $revoked ->
        [0] {""}
       *[other] {" "}({ $revoked } dicabut)
    }{ $asked ->
        [yes] , { $silent } tidak sinkron lebih dari { $days } hari
       *[no] {""}
    }; { $villages } desa, { $documents } dokumen
status-replicated = replikasi ke server induk{ $has_url ->
        [yes] {" "}{ $url }
       *[no] {""}
    } selesai: { $sent } dokumen naik, { $received } turun, { $kib } KiB, { $round_trips } kali bolak-balik, { $ms } ms
status-still-pending = masih belum dikonfirmasi server induk: { $pending } (berubah selama sinkronisasi, atau tidak diterima di sana); akan ikut pada sinkronisasi berikutnya
status-upstream-failed = sinkronisasi ke server induk gagal: { $error }
status-upstream-failed-no-reason = sinkronisasi ke server induk gagal: tanpa alasan
status-check-upstream = periksa apakah { $url } dapat dihubungi dari server ini, apakah token server ini di sana masih berlaku (tidak dicabut atau diubah wilayahnya), dan apakah sertifikat server induk dipercaya
status-check-upstream-unknown = periksa apakah URL server induk dapat dihubungi dari server ini, apakah token server ini di sana masih berlaku (tidak dicabut atau diubah wilayahnya), dan apakah sertifikat server induk dipercaya
status-resync-nothing = `{ $name }` tidak punya penyimpanan di server ini (belum pernah menyelesaikan sinkronisasi); tidak ada yang perlu dilupakan{ $revoked ->
        [yes] {" "}(catatan: perangkat ini sudah dicabut, jadi tidak akan sinkron lagi)
       *[no] {""}
    }
status-resync-forgot = titik sinkronisasi { $stores } milik `{ $name }` dan { $sync_states } sudah dilupakan; sesi berikutnya membandingkan ulang setiap dokumen{ $revoked ->
        [yes] {" "}(catatan: perangkat ini sudah dicabut, jadi tidak akan sinkron lagi)
       *[no] {""}
    }
