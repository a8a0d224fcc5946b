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
cmd-balai-minutes-attendee-correct = Perbaiki nama, jenis kelamin, atau dusun seorang peserta; kuncinya tetap, jadi tidak ada catatan tentang dia yang hilang.
arg-balai-minutes-attendee-correct-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-attendee-correct-name = Peserta seperti yang tercatat: namanya, atau kuncinya seperti yang ditampilkan `balai show`.
arg-balai-minutes-attendee-correct-dusun = Dusun yang tercatat untuknya, jika ada dua peserta bernama sama.
arg-balai-minutes-attendee-correct-new-name = Nama yang benar.
arg-balai-minutes-attendee-correct-gender = Jenis kelamin yang benar: p (perempuan) atau l (laki-laki); f atau m juga diterima
arg-balai-minutes-attendee-correct-new-dusun = Dusun yang benar.
cmd-balai-minutes-attendee-remove = Hapus peserta yang salah dicatat (tercantum di bagian "Dihapus"; mencatatnya lagi akan mengembalikannya).
arg-balai-minutes-attendee-remove-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-attendee-remove-name = Peserta seperti yang tercatat: namanya, atau kuncinya seperti yang ditampilkan `balai show`.
arg-balai-minutes-attendee-remove-dusun = Dusun yang tercatat untuknya, jika ada dua peserta bernama sama.
cmd-balai-minutes-note = Tambahkan satu paragraf ke catatan.
arg-balai-minutes-note-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-note-text = Paragrafnya.
cmd-balai-minutes-agenda = Tambahkan satu butir agenda.
arg-balai-minutes-agenda-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-agenda-text = Butir agendanya.
cmd-balai-minutes-agenda-edit = Ubah teks sebuah butir agenda.
arg-balai-minutes-agenda-edit-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-agenda-edit-number = Nomor butir agenda, seperti yang ditampilkan `balai show`.
arg-balai-minutes-agenda-edit-text = Teks yang baru.
cmd-balai-minutes-agenda-remove = Hapus sebuah butir agenda (tercantum di bagian "Dihapus"; agenda-restore mengembalikannya).
arg-balai-minutes-agenda-remove-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-agenda-remove-number = Nomor butir agenda, seperti yang ditampilkan `balai show`.
cmd-balai-minutes-agenda-restore = Kembalikan butir agenda yang dihapus ke tempatnya.
arg-balai-minutes-agenda-restore-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-agenda-restore-number = Nomornya di bagian "Dihapus" pada `balai show`.
cmd-balai-minutes-propose = Catat aspirasi atau usulan; mencetak kuncinya.
arg-balai-minutes-propose-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-propose-text = Usulannya.
arg-balai-minutes-propose-by = Siapa yang mengusulkan.
arg-balai-minutes-propose-priority = high (tinggi), medium (sedang), atau low (rendah)
cmd-balai-minutes-support = Hitung pendukung sebuah usulan (dijumlahkan dari semua perangkat).
arg-balai-minutes-support-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-support-proposal = Kunci usulan, seperti yang dicetak `balai minutes propose`.
arg-balai-minutes-support-count = Jumlah pendukung tambahan, 1 sampai 10000.
cmd-balai-minutes-proposal-edit = Ubah teks, pengusul, atau prioritas sebuah usulan (pendukungnya tetap).
arg-balai-minutes-proposal-edit-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-proposal-edit-proposal = Kunci usulan, seperti yang ditampilkan `balai show`.
arg-balai-minutes-proposal-edit-text = Teks yang baru.
arg-balai-minutes-proposal-edit-by = Siapa yang mengusulkan.
arg-balai-minutes-proposal-edit-priority = high (tinggi), medium (sedang), atau low (rendah)
cmd-balai-minutes-proposal-remove = Hapus sebuah usulan (tercantum di bagian "Dihapus" beserta pendukungnya; proposal-restore mengembalikannya).
arg-balai-minutes-proposal-remove-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-proposal-remove-proposal = Kunci usulan, seperti yang ditampilkan `balai show`.
cmd-balai-minutes-proposal-restore = Kembalikan usulan yang dihapus, beserta pendukungnya.
arg-balai-minutes-proposal-restore-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-proposal-restore-proposal = Kunci usulan, seperti yang ditampilkan `balai show` di bagian "Dihapus".
cmd-balai-minutes-decide = Catat sebuah keputusan.
arg-balai-minutes-decide-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-decide-text = Keputusannya.
cmd-balai-minutes-decision-edit = Ubah teks sebuah keputusan.
arg-balai-minutes-decision-edit-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-decision-edit-number = Nomor keputusan, seperti yang ditampilkan `balai show`.
arg-balai-minutes-decision-edit-text = Teks yang baru.
cmd-balai-minutes-decision-remove = Hapus sebuah keputusan (tercantum di bagian "Dihapus"; decision-restore mengembalikannya).
arg-balai-minutes-decision-remove-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-decision-remove-number = Nomor keputusan, seperti yang ditampilkan `balai show`.
cmd-balai-minutes-decision-restore = Kembalikan keputusan yang dihapus ke tempatnya.
arg-balai-minutes-decision-restore-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-decision-restore-number = Nomornya di bagian "Dihapus" pada `balai show`.
cmd-balai-minutes-follow-up = Catat rencana tindak lanjut; mencetak kuncinya.
arg-balai-minutes-follow-up-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-follow-up-what = Apa yang akan dikerjakan.
arg-balai-minutes-follow-up-who = Siapa penanggung jawabnya.
arg-balai-minutes-follow-up-due = Tenggat, YYYY-MM-DD.
cmd-balai-minutes-follow-up-status = Ubah status tindak lanjut: open (belum dikerjakan), in-progress (sedang dikerjakan), done (selesai), atau dropped (dibatalkan).
arg-balai-minutes-follow-up-status-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-follow-up-status-follow-up = Kunci tindak lanjut, seperti yang dicetak `balai minutes follow-up`.
arg-balai-minutes-follow-up-status-status = open, in-progress, done, atau dropped
cmd-balai-minutes-follow-up-edit = Ubah kegiatan, penanggung jawab, atau tenggat sebuah tindak lanjut (statusnya diubah dengan follow-up-status).
arg-balai-minutes-follow-up-edit-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-follow-up-edit-follow-up = Kunci tindak lanjut, seperti yang ditampilkan `balai show`.
arg-balai-minutes-follow-up-edit-what = Apa yang akan dikerjakan.
arg-balai-minutes-follow-up-edit-who = Siapa penanggung jawabnya.
arg-balai-minutes-follow-up-edit-due = Tenggat, YYYY-MM-DD.
cmd-balai-minutes-follow-up-remove = Hapus sebuah tindak lanjut (tercantum di bagian "Dihapus"; follow-up-restore mengembalikannya).
arg-balai-minutes-follow-up-remove-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-follow-up-remove-follow-up = Kunci tindak lanjut, seperti yang ditampilkan `balai show`.
cmd-balai-minutes-follow-up-restore = Kembalikan tindak lanjut yang dihapus.
arg-balai-minutes-follow-up-restore-id = Id notulen (beberapa karakter terakhirnya sudah cukup).
arg-balai-minutes-follow-up-restore-follow-up = Kunci tindak lanjut, seperti yang ditampilkan `balai show` di bagian "Dihapus".
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
cmd-balai-training-participant-correct = Perbaiki nama, jenis kelamin, atau dusun seorang peserta; kuncinya tetap, jadi catatan kehadirannya ikut.
arg-balai-training-participant-correct-id = Id pelatihan (beberapa karakter terakhirnya sudah cukup).
arg-balai-training-participant-correct-name = Peserta seperti yang tercatat: namanya, atau kuncinya seperti yang ditampilkan `balai show`.
arg-balai-training-participant-correct-dusun = Dusun yang tercatat untuknya, jika ada dua peserta bernama sama.
arg-balai-training-participant-correct-new-name = Nama yang benar.
arg-balai-training-participant-correct-gender = Jenis kelamin yang benar: p (perempuan) atau l (laki-laki); f atau m juga diterima
arg-balai-training-participant-correct-new-dusun = Dusun yang benar.
cmd-balai-training-participant-remove = Hapus peserta yang salah didaftarkan, beserta catatan kehadirannya (tercantum di bagian "Dihapus"; mendaftarkan atau mencatat kehadirannya lagi akan mengembalikannya).
arg-balai-training-participant-remove-id = Id pelatihan (beberapa karakter terakhirnya sudah cukup).
arg-balai-training-participant-remove-name = Peserta seperti yang tercatat: namanya, atau kuncinya seperti yang ditampilkan `balai show`.
arg-balai-training-participant-remove-dusun = Dusun yang tercatat untuknya, jika ada dua peserta bernama sama.
cmd-balai-training-check-in = Catat kehadiran seseorang di sebuah sesi (yang belum terdaftar langsung didaftarkan).
arg-balai-training-check-in-id = Id pelatihan (beberapa karakter terakhirnya sudah cukup).
arg-balai-training-check-in-session = Nomor sesi, mulai dari 1.
arg-balai-training-check-in-name = Nama peserta.
arg-balai-training-check-in-dusun = Perlu jika ada dua peserta dengan nama yang sama.
cmd-balai-training-check-in-undo = Batalkan catatan kehadiran yang salah dibuat.
arg-balai-training-check-in-undo-id = Id pelatihan (beberapa karakter terakhirnya sudah cukup).
arg-balai-training-check-in-undo-session = Nomor sesi, mulai dari 1.
arg-balai-training-check-in-undo-name = Nama peserta, atau kuncinya seperti yang ditampilkan `balai show`.
arg-balai-training-check-in-undo-dusun = Perlu jika ada dua peserta dengan nama yang sama.
cmd-balai-training-session-add = Tambahkan satu sesi ke pelatihan.
arg-balai-training-session-add-id = Id pelatihan (beberapa karakter terakhirnya sudah cukup).
arg-balai-training-session-add-date = Tanggal sesi, YYYY-MM-DD.
cmd-balai-training-session-date = Ubah tanggal sebuah sesi.
arg-balai-training-session-date-id = Id pelatihan (beberapa karakter terakhirnya sudah cukup).
arg-balai-training-session-date-session = Nomor sesi, mulai dari 1, seperti yang ditampilkan `balai show`.
arg-balai-training-session-date-date = Tanggal yang baru, YYYY-MM-DD.

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
cmd-balai-archive = Arsipkan sebuah dokumen (notulen atau pelatihan): dokumen tetap ada dan tetap disinkronkan, tetapi tidak bisa diubah, dan laporan tidak menghitungnya.
arg-balai-archive-id = Id dokumen, atau beberapa karakter terakhirnya.
cmd-balai-unarchive = Buat dokumen yang diarsipkan bisa diubah lagi.
arg-balai-unarchive-id = Id dokumen, atau beberapa karakter terakhirnya.

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

## balai report

cmd-balai-report = Laporan dari catatan di perangkat ini: siapa yang ikut, dan siapa yang tertinggal. Tabel secara bawaan; --csv untuk spreadsheet, --json untuk skrip.
cmd-balai-report-attendance = Kehadiran pelatihan: per pelatihan dan sesi, siapa yang terdaftar dan siapa yang hadir, menurut jenis kelamin dan dusun, serta siapa yang tidak hadir di sesi mana pun.
arg-balai-report-attendance-village = Hanya desa di bawah awalan wilayah ini, misalnya 18.01.05 atau 18.01.05.2001.
arg-balai-report-attendance-from = Awal periode, YYYY-MM-DD (termasuk).
arg-balai-report-attendance-to = Akhir periode, YYYY-MM-DD (termasuk).
arg-balai-report-attendance-today = Tanggal laporan, YYYY-MM-DD (bawaan: hari ini di komputer ini). Menentukan apa yang sudah berlangsung, terlewat dan lewat tenggat; isi agar laporan yang sama dapat dibuat lagi nanti.
arg-balai-report-attendance-csv = Cetak satu tabel sebagai CSV untuk spreadsheet (simpan dengan > berkas.csv). Tabel yang mana: --table. Sel yang diawali = + - @ diberi ' di depannya agar spreadsheet tidak menjalankannya sebagai rumus.
arg-balai-report-attendance-json = Cetak seluruh laporan sebagai JSON, dengan kunci dan nilai yang tidak bergantung bahasa (untuk skrip).
arg-balai-report-attendance-table = Tabel yang dicetak --csv: trainings (per pelatihan dan kelompok), sessions (per sesi dan kelompok, termasuk dusun) atau missed (yang tidak hadir di sesi mana pun). Bawaan: trainings.
cmd-balai-report-forums = Partisipasi musyawarah: per desa dan musyawarah, peserta menurut jenis kelamin, dusun dan peran, dusun yang tidak hadir, cek perempuan, usulan, keputusan dan tindak lanjut.
arg-balai-report-forums-village = Hanya desa di bawah awalan wilayah ini, misalnya 18.01.05 atau 18.01.05.2001.
arg-balai-report-forums-from = Awal periode, YYYY-MM-DD (termasuk).
arg-balai-report-forums-to = Akhir periode, YYYY-MM-DD (termasuk).
arg-balai-report-forums-today = Tanggal laporan, YYYY-MM-DD (bawaan: hari ini di komputer ini). Menentukan apa yang sudah berlangsung, terlewat dan lewat tenggat; isi agar laporan yang sama dapat dibuat lagi nanti.
arg-balai-report-forums-csv = Cetak satu tabel sebagai CSV untuk spreadsheet (simpan dengan > berkas.csv). Tabel yang mana: --table. Sel yang diawali = + - @ diberi ' di depannya agar spreadsheet tidak menjalankannya sebagai rumus.
arg-balai-report-forums-json = Cetak seluruh laporan sebagai JSON, dengan kunci dan nilai yang tidak bergantung bahasa (untuk skrip).
arg-balai-report-forums-table = Tabel yang dicetak --csv: forums (satu baris per musyawarah), villages, participation (per musyawarah dan dusun atau peran), proposals atau pending_follow_ups. Bawaan: forums.
arg-balai-report-forums-min-women-share = Cek perempuan: perempuan sebaiknya paling sedikit sekian persen dari semua peserta.
cmd-balai-report-district = Ringkasan kecamatan: per desa, musyawarah dan pelatihan yang berlangsung, kehadiran menurut jenis kelamin, bagian perempuan, dusun terjangkau, tindak lanjut, dan desa tanpa musyawarah baru-baru ini.
arg-balai-report-district-village = Hanya desa di bawah awalan wilayah ini, misalnya 18.01.05 atau 18.01.05.2001.
arg-balai-report-district-from = Awal periode, YYYY-MM-DD (termasuk).
arg-balai-report-district-to = Akhir periode, YYYY-MM-DD (termasuk).
arg-balai-report-district-today = Tanggal laporan, YYYY-MM-DD (bawaan: hari ini di komputer ini). Menentukan apa yang sudah berlangsung, terlewat dan lewat tenggat; isi agar laporan yang sama dapat dibuat lagi nanti.
arg-balai-report-district-csv = Cetak tabelnya, satu baris per desa, sebagai CSV untuk spreadsheet (simpan dengan > berkas.csv). Sel yang diawali = + - @ diberi ' di depannya agar spreadsheet tidak menjalankannya sebagai rumus.
arg-balai-report-district-json = Cetak seluruh laporan sebagai JSON, dengan kunci dan nilai yang tidak bergantung bahasa (untuk skrip).
arg-balai-report-district-stale-months = Tandai desa yang tidak mengadakan musyawarah selama sekian bulan sebelum --today.
arg-balai-report-district-html = Tulis laporan sebagai satu halaman HTML dengan grafik ke berkas ini; halaman itu dapat dibuka tanpa internet di peramban mana pun.
arg-balai-report-district-force = Timpa berkas yang disebut --html bila sudah ada.
cmd-balai-report-activity = Kegiatan pencatatan: dokumen yang dibuat dan suntingan per perangkat dan minggu ISO, dari riwayat perubahan dokumen, dengan nama perangkat.
arg-balai-report-activity-village = Hanya desa di bawah awalan wilayah ini, misalnya 18.01.05 atau 18.01.05.2001.
arg-balai-report-activity-from = Awal periode, YYYY-MM-DD (termasuk).
arg-balai-report-activity-to = Akhir periode, YYYY-MM-DD (termasuk).
arg-balai-report-activity-today = Tanggal laporan, YYYY-MM-DD (bawaan: hari ini di komputer ini); perubahan bertanggal setelahnya ditandai sebagai dari jam yang terlalu cepat.
arg-balai-report-activity-csv = Cetak satu tabel sebagai CSV untuk spreadsheet (simpan dengan > berkas.csv). Tabel yang mana: --table. Sel yang diawali = + - @ diberi ' di depannya agar spreadsheet tidak menjalankannya sebagai rumus.
arg-balai-report-activity-json = Cetak seluruh laporan sebagai JSON, dengan kunci dan nilai yang tidak bergantung bahasa (untuk skrip).
arg-balai-report-activity-table = Tabel yang dicetak --csv: weeks (per perangkat dan minggu) atau devices (per perangkat). Bawaan: weeks.
