# balai --help, dalam Bahasa Indonesia. Kuncinya sama dengan ../en/help.ftl: cmd-JALUR untuk
# keterangan perintah, arg-JALUR-ARGUMEN untuk keterangan argumennya.

help-help = Tampilkan bantuan
help-version = Tampilkan versi
help-subcommand = Tampilkan bantuan ini atau bantuan subperintah yang disebut
help-heading-usage = Penggunaan
help-heading-commands = Perintah
help-heading-arguments = Argumen
help-heading-options = Opsi
help-after =
    Bahasa: --lang id|en; jika tidak ada, BALAI_LANG; lalu pengaturan bahasa sistem (LC_ALL,
    LC_MESSAGES, LANG: id_* berarti Bahasa Indonesia); lalu pengaturan perangkat ini
    (`balai lang`); selain itu bahasa Inggris. Bantuan ini mengikuti aturan yang sama.

    Kode keluar:
      0  berhasil
      1  gagal (semua yang tidak disebut di bawah: dokumen tidak ditemukan, penyimpanan rusak…)
      2  salah pakai: opsi atau argumen keliru, atau nilai yang tidak sah apa pun datanya
         (tanggal, kode desa, id dokumen, jenis kelamin, pilihan, teks kosong, --count)
      3  server tidak dapat dihubungi, atau koneksi terputus: tidak ada yang hilang, coba lagi nanti
      4  ditolak server: tidak ada token, token tidak dikenal atau sudah dicabut, atau tidak berhak

cmd-balai = Balai: catat musyawarah desa dan kehadiran pelatihan tanpa jaringan; sinkronkan saat ada sinyal.
arg-balai-home = Folder perangkat ini (konfigurasi dan penyimpanan lokal). Beberapa folder = beberapa perangkat.
arg-balai-lang = Bahasa yang dipakai: id (Bahasa Indonesia) atau en (bahasa Inggris).

cmd-balai-init = Siapkan perangkat ini: server tempat sinkronisasi, token, dan namanya.
arg-balai-init-server = URL server, misalnya http://192.168.1.10:7420 atau https://balai.example:7420
arg-balai-init-token = Token yang diberikan admin untuk perangkat ini (`balai-server device add`).
arg-balai-init-device = Nama perangkat ini; bawaannya nama yang tercantum di token.
arg-balai-init-ca = Sertifikat CA sendiri yang dipercaya untuk https:// (dari `balai-server cert self-signed`).
arg-balai-init-force = Arahkan folder yang sudah ada ke server, nama, atau token lain (data tetap tersimpan).

cmd-balai-minutes = Notulen musyawarah.
cmd-balai-minutes-new = Mulai notulen baru; mencetak id dokumen barunya.
arg-balai-minutes-new-village = Kode desa (Kemendagri), misalnya 18.01.05.2001
arg-balai-minutes-new-title = Judul musyawarah, misalnya "Musyawarah Dusun II".
arg-balai-minutes-new-date = Tanggal musyawarah, YYYY-MM-DD (tahun-bulan-tanggal).
arg-balai-minutes-new-place = Tempat musyawarah, misalnya "Balai Desa".
arg-balai-minutes-new-facilitator = Pendamping yang memandu musyawarah.
cmd-balai-minutes-attend = Catat seorang peserta.
arg-balai-minutes-attend-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-attend-name = Nama peserta.
arg-balai-minutes-attend-gender = p (perempuan) atau l (laki-laki); f atau m juga diterima
arg-balai-minutes-attend-dusun = Dusun peserta.
arg-balai-minutes-attend-role = Kelompok atau peran, misalnya "ketua RT", "kelompok tani", "pemuda".
cmd-balai-minutes-note = Tambahkan satu paragraf ke catatan.
arg-balai-minutes-note-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-note-text = Paragrafnya.
cmd-balai-minutes-agenda = Tambahkan satu butir agenda.
arg-balai-minutes-agenda-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-agenda-text = Butir agendanya.
cmd-balai-minutes-propose = Catat aspirasi atau usulan; mencetak kuncinya.
arg-balai-minutes-propose-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-propose-text = Usulannya.
arg-balai-minutes-propose-by = Siapa yang mengusulkan.
arg-balai-minutes-propose-priority = high (tinggi), medium (sedang), atau low (rendah)
cmd-balai-minutes-support = Hitung pendukung sebuah usulan (dijumlahkan dari semua perangkat).
arg-balai-minutes-support-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-support-proposal = Kunci usulan, seperti yang dicetak `balai minutes propose`.
arg-balai-minutes-support-count = Jumlah pendukung tambahan, 1 sampai 10000.
cmd-balai-minutes-decide = Catat sebuah keputusan.
arg-balai-minutes-decide-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-decide-text = Keputusannya.
cmd-balai-minutes-follow-up = Catat rencana tindak lanjut; mencetak kuncinya.
arg-balai-minutes-follow-up-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-follow-up-what = Apa yang akan dikerjakan.
arg-balai-minutes-follow-up-who = Siapa penanggung jawabnya.
arg-balai-minutes-follow-up-due = Tenggat, YYYY-MM-DD.
cmd-balai-minutes-follow-up-status = Ubah status tindak lanjut: open (belum dikerjakan), in-progress (sedang dikerjakan), done (selesai), atau dropped (dibatalkan).
arg-balai-minutes-follow-up-status-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-follow-up-status-follow-up = Kunci tindak lanjut, seperti yang dicetak `balai minutes follow-up`.
arg-balai-minutes-follow-up-status-status = open, in-progress, done, atau dropped
cmd-balai-minutes-set = Ubah isian notulen.
arg-balai-minutes-set-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-set-title = Judul baru.
arg-balai-minutes-set-date = Tanggal baru, YYYY-MM-DD.
arg-balai-minutes-set-place = Tempat baru.
arg-balai-minutes-set-facilitator = Pendamping baru.
arg-balai-minutes-set-status = draft (draf) atau final

cmd-balai-training = Pelatihan dan daftar hadirnya.
cmd-balai-training-new = Mulai pelatihan baru; mencetak id dokumen barunya.
arg-balai-training-new-village = Kode desa (Kemendagri), misalnya 18.01.05.2001
arg-balai-training-new-topic = Topik, misalnya "Budidaya cabai".
arg-balai-training-new-category = misalnya pertanian, kerajinan, usaha mikro
arg-balai-training-new-trainer = Siapa pelatihnya.
arg-balai-training-new-sessions = Tanggal sesi, dipisah koma: 2026-12-01,2026-12-08
cmd-balai-training-enroll = Daftarkan seorang peserta.
arg-balai-training-enroll-id = Id pelatihan (beberapa karakter terakhirnya sudah cukup).
arg-balai-training-enroll-name = Nama peserta.
arg-balai-training-enroll-gender = p (perempuan) atau l (laki-laki); f atau m juga diterima
arg-balai-training-enroll-dusun = Dusun peserta.
cmd-balai-training-check-in = Catat kehadiran seseorang di sebuah sesi (yang belum terdaftar langsung didaftarkan).
arg-balai-training-check-in-id = Id pelatihan (beberapa karakter terakhirnya sudah cukup).
arg-balai-training-check-in-session = Nomor sesi, mulai dari 1.
arg-balai-training-check-in-name = Nama peserta.
arg-balai-training-check-in-dusun = Perlu jika ada dua peserta dengan nama yang sama.

cmd-balai-list = Daftar dokumen di perangkat ini.
arg-balai-list-village = Hanya dokumen di bawah awalan wilayah ini, misalnya 18.01.05 atau 18.01.05.2001.
arg-balai-list-json = Cetak JSON (untuk skrip).

cmd-balai-show = Tampilkan satu dokumen selengkapnya.
arg-balai-show-id = Id dokumen, atau beberapa karakter terakhirnya.
arg-balai-show-json = Cetak JSON: semua isian, peserta, catatan, sesi (untuk skrip).

cmd-balai-sync = Sinkronkan dengan server: kirim yang dicatat perangkat ini, terima yang dicatat perangkat lain.
arg-balai-sync-json = Cetak laporannya sebagai JSON (angka-angka untuk skrip).
arg-balai-sync-max-attempts = Jumlah percobaan seluruhnya sebelum menyerah bila koneksi gagal atau terputus (1 = tanpa mengulang).
arg-balai-sync-deadline = Berhenti bila belum ada percobaan yang berhasil setelah sekian detik.
arg-balai-sync-retry-base-ms = Percobaan ulang pertama menunggu paling lama sekian milidetik, dua kali lipat setiap kali (paling lama 60 detik).
arg-balai-sync-no-compression = Kirim dan terima pesan tanpa kompresi (bawaannya gzip).

cmd-balai-status = Apa yang belum disinkronkan perangkat ini, dan kapan sinkronisasi terakhir berhasil.
arg-balai-status-json = Cetak JSON (untuk skrip).

cmd-balai-export = Tulis dokumen di perangkat ini sebagai berkas CSV, Excel, JSON, atau automerge mentah.
arg-balai-export-format = csv (satu folder tabel, atau ZIP bila --out berakhiran .zip), xlsx, json, atau automerge
arg-balai-export-village = Hanya dokumen di bawah awalan wilayah ini, misalnya 18.01.05 atau 18.01.05.2001.
arg-balai-export-out = Tempat menulis: sebuah berkas (xlsx, json, csv berakhiran .zip) atau folder (csv, automerge).
arg-balai-export-force = Timpa yang sudah ada di --out (hanya berkas, atau folder hasil ekspor sebelumnya).
arg-balai-export-json = Cetak apa saja yang ditulis sebagai JSON.

cmd-balai-lang = Tampilkan bahasa yang dipakai balai dan alasannya, atau atur bahasanya untuk perangkat ini.
arg-balai-lang-setting = id (Bahasa Indonesia), en (bahasa Inggris), atau auto (ikuti BALAI_LANG atau pengaturan bahasa sistem).

cmd-balai-admin = Kelola server (perlu folder yang disiapkan dengan token admin).
cmd-balai-admin-device = Daftarkan, tampilkan, ubah wilayah, dan cabut perangkat (hanya yang berada di dalam wilayah admin ini).
cmd-balai-admin-device-add = Daftarkan sebuah perangkat; mencetak tokennya (hanya ditampilkan sekali).
arg-balai-admin-device-add-name = Nama perangkat, misalnya hp-ani.
arg-balai-admin-device-add-role = facilitator (pendamping), server, atau admin
arg-balai-admin-device-add-scope = Awalan wilayah, dipisah koma, misalnya 18.01.05 atau 18.01.05.2001,18.01.05.2002
cmd-balai-admin-device-list = Tampilkan perangkat yang terdaftar.
arg-balai-admin-device-list-json = Cetak JSON (untuk skrip).
cmd-balai-admin-device-revoke = Cabut sebuah perangkat; tokennya langsung tidak berlaku, termasuk sesi yang sedang terbuka.
arg-balai-admin-device-revoke-name = Nama perangkat.
cmd-balai-admin-device-rescope = Ganti awalan wilayah sebuah perangkat; tokennya tetap berlaku, server menerapkannya mulai sinkronisasi berikutnya.
arg-balai-admin-device-rescope-name = Nama perangkat.
arg-balai-admin-device-rescope-scope = Awalan wilayah yang baru, dipisah koma, misalnya 18.01.05 atau 18.01.05.2001,18.01.05.2002
arg-balai-admin-device-rescope-json = Cetak perangkatnya sebagai JSON (untuk skrip).
cmd-balai-admin-audit = Tampilkan log audit server: pendaftaran, pencabutan, sesi sinkronisasi, permintaan yang ditolak.
arg-balai-admin-audit-device = Hanya catatan dari perangkat ini.
arg-balai-admin-audit-since = Hanya catatan pada atau sesudah waktu ini (RFC 3339, misalnya 2026-11-29T08:00:00Z).
arg-balai-admin-audit-limit = Paling banyak sekian catatan.
arg-balai-admin-audit-json = Cetak JSON (untuk skrip).
cmd-balai-admin-status = Siapa yang sinkron dan siapa yang tidak: sinkron dan kegagalan terakhir tiap perangkat, dokumen tiap desa, dan sambungan ke server induk (apa yang belum dikonfirmasinya).
arg-balai-admin-status-stale-days = Tandai perangkat yang sinkronisasi terakhirnya berhasil lebih dari sekian hari yang lalu.
arg-balai-admin-status-json = Cetak JSON (untuk skrip).
cmd-balai-admin-sync-now = Minta server bereplikasi dengan server induknya sekarang; menunggu, lalu menyebutkan apa yang berpindah atau mengapa gagal.
arg-balai-admin-sync-now-json = Cetak JSON (untuk skrip).
cmd-balai-admin-resync = Minta server melupakan titik sinkronisasi sebuah perangkat, sehingga sinkronisasi berikutnya membandingkan ulang setiap dokumen (alat pemulihan; tidak ada data yang dihapus).
arg-balai-admin-resync-name = Nama perangkat.
arg-balai-admin-resync-json = Cetak JSON (untuk skrip).

## balai history, completions, man

cmd-balai-history = Siapa mengubah sebuah dokumen, apa dan kapan, dari riwayat perubahannya sendiri (nama perangkat, bukan id aktor).
arg-balai-history-id = Id dokumen, atau beberapa karakter terakhirnya.
arg-balai-history-all = Tampilkan juga perubahan yang hanya mencatat nama perangkat di dokumen.
arg-balai-history-json = Cetak perubahan sebagai JSON (hash, aktor, perangkat, waktu, pesan).
cmd-balai-completions = Cetak skrip pelengkap perintah untuk shell, misalnya `balai completions bash > /etc/bash_completion.d/balai`.
arg-balai-completions-shell = bash, zsh, fish, elvish, atau powershell
cmd-balai-man = Cetak halaman manual, atau tulis satu halaman per perintah ke sebuah folder.
arg-balai-man-out = Tulis `balai.1`, `balai-sync.1`, … ke folder ini (baca dengan `man -M DIR balai`).
