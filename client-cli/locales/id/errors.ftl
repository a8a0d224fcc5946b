# Pesan kesalahan, dalam Bahasa Indonesia: milik balai sendiri, dan milik pustaka yang dipakainya,
# varian demi varian (lihat src/i18n/describe.rs). Rincian yang hanya ada sebagai teks di pustaka
# itu (alasan dari server atau jaringan, biasanya berbahasa Inggris) masuk lewat $reason atau
# $detail dan ditampilkan apa adanya.

## Milik balai sendiri

err-runtime = runtime asinkron tidak dapat dijalankan
err-no-document-to-edit = dokumen { $id } tidak ada di perangkat ini (lihat `balai list`; lakukan sinkronisasi untuk mengambil catatan orang lain)
err-no-document-to-show = dokumen { $id } tidak ada di perangkat ini (jalankan `balai sync` untuk mengambilnya)
err-count-range = --count harus antara { $min } dan { $max }
err-nothing-to-set = tidak ada yang diubah: berikan sedikitnya satu dari --title, --date, --place, --facilitator, --status
err-shed-failed = sinkronisasi selesai, tetapi pemeriksaan dokumen di luar wilayah perangkat ini gagal; semuanya masih ada di sini
err-upstream-failed = sinkronisasi ke server induk gagal: { $reason }

## Folder perangkat (balai.toml dan penyimpanan lokal)

err-home-need-device = berikan --device NAMA (atau --token, yang memuat nama yang didaftarkan)
err-home-device-name-length = nama perangkat harus 1 sampai 64 karakter
err-home-cannot-read-ca = berkas CA { $path } tidak dapat dibaca
err-home-not-pem = { $path } bukan sertifikat PEM
err-home-cannot-create = { $dir } tidak dapat dibuat
err-home-already-set-up = { $dir } sudah disiapkan sebagai perangkat `{ $device }` untuk { $server }; gunakan --force untuk mengganti server, nama, atau tokennya (data tetap tersimpan)
err-home-missing = belum ada folder balai di { $dir } — jalankan dulu `balai init --server URL --device NAMA` (atau atur BALAI_HOME / --home)
err-home-cannot-open-store = penyimpanan lokal di { $dir } tidak dapat dibuka
err-home-outside-regions = desa { $village } berada di luar wilayah perangkat ini ({ $scopes }); dokumennya tidak akan pernah bisa disinkronkan. Minta admin memperluas wilayah perangkat ini
err-home-id-too-short = `{ $typed }` terlalu pendek untuk menunjuk dokumen: berikan sedikitnya 4 karakter dari id-nya
err-home-id-no-match = tidak ada dokumen di sini yang cocok dengan `{ $typed }` (lihat `balai list`)
err-home-id-ambiguous = `{ $typed }` cocok dengan { $n } dokumen; berikan bagian id yang lebih panjang (lihat `balai list`)
err-home-cannot-read = { $path } tidak dapat dibaca
err-home-bad-config = { $path } bukan konfigurasi balai yang sah
err-home-cannot-write = { $path } tidak dapat ditulis
err-home-cannot-restrict = hak akses { $path } tidak dapat dibatasi
err-home-bad-url = `{ $url }` bukan URL server: gunakan http://HOST:PORT, misalnya http://192.168.1.10:7420
err-home-bad-actor = id aktor di balai.toml bukan bilangan heksadesimal

## Sinkronisasi dan server (balai_net)

err-gave-up = berhenti mencoba setelah { $attempts } kali percobaan dalam { $secs } detik: { $reason }
err-bad-url = `{ $url }` bukan alamat server yang sah: { $reason }
err-unreachable = server di { $url } tidak dapat dihubungi: { $reason }. Periksa sinyal dan pastikan balai-server berjalan di sana; data Anda aman di perangkat ini dan akan tersinkron pada kesempatan berikutnya
err-refused = ditolak server: { $reason }
err-unauthenticated = server menolak token perangkat ini: { $reason }
err-bad-token = token yang tersimpan tidak dapat dipakai: { $reason }; jalankan `balai init --force --token …` dengan token baru
err-certificate = server di { $url } tidak dapat dihubungi dengan aman: { $reason }. Jika server memakai CA sendiri, berikan sertifikatnya: `balai init --force --server { $url } --ca ca.pem`
err-wrong-protocol = server tidak menjawab dengan gRPC biasa; jika server memakai TLS, gunakan URL https:// (`balai init --force --server https://…`). Pesan aslinya: { $detail }
err-interrupted = koneksi terputus di tengah sinkronisasi ({ $reason }); yang sudah dikonfirmasi server tetap tersimpan — jalankan `balai sync` lagi untuk menyelesaikannya
err-engine = sinkronisasi gagal di perangkat ini: { $reason }
err-protocol-version = pihak lain memakai protokol sinkronisasi versi { $theirs }, versi ini memakai { $ours }: perbarui pihak yang lebih lama
err-protocol = pelanggaran protokol: { $detail }
err-out-of-scope = dokumen { $doc } berada di luar wilayah yang boleh diakses pihak ini ({ $scope })
err-bad-message = pesan sinkronisasi yang rusak untuk { $doc }: { $reason }
err-doc-refused = dokumen { $doc } ditolak: { $reason }
err-self-sync = penyimpanan tidak dapat disinkronkan dengan dirinya sendiri

## Catatan (balai_shared::model)

err-empty = { $field } tidak boleh kosong
err-control-character = { $field } berisi karakter kendali (U+{ $code }); ketik teks biasa (catatan boleh berisi baris baru)
err-too-long = { $field } terlalu panjang ({ $len } karakter, paling banyak { $max })
err-bad-date = { $field }: `{ $value }` bukan tanggal yang sah; gunakan bentuk YYYY-MM-DD (tahun-bulan-tanggal), misalnya 2026-11-29
err-bad-gender = `{ $value }` bukan jenis kelamin: gunakan `p` (perempuan) atau `l` (laki-laki)
err-bad-choice = `{ $value }` bukan { $field } yang sah; pilih salah satu: { $expected }
err-wrong-kind = dokumen ini berjenis { $found }, bukan { $expected }
err-kind-mismatch = menurut id-nya, dokumen { $id } berjenis { $id_kind }, tetapi isinya menyebut jenis `{ $content_kind }`: dokumen ini ditulis oleh perangkat yang rusak atau berniat jahat, jadi tidak ditampilkan
err-newer-schema = dokumen ini memakai skema versi { $found }, lebih baru daripada yang dipahami versi balai ini: perbarui balai
err-not-created = dokumen ini kosong atau belum pernah dibuat (mungkin masih dalam perjalanan dari perangkat lain)
err-not-found = { $what } `{ $key }` tidak ada di dokumen ini
err-no-such-session = sesi { $session } tidak ada: pelatihan ini { $count ->
        [1] hanya punya sesi 1
       *[other] punya sesi 1 sampai { $count }
    }
err-ambiguous-person = ada { $count } orang bernama `{ $name }` yang tercatat ({ $keys }); tambahkan --dusun untuk menunjuk salah satunya
err-damaged-document = data dokumen rusak: { $detail }
err-no-such-person = tidak ada { $what } `{ $who }` di { $place }: sebut seperti yang tercatat (nama, dan dusun jika ada dua orang bernama sama), atau dengan kuncinya; { $known }
err-removed = { $what } `{ $key }` sudah dihapus dari { $place }: { $restore } untuk mengembalikannya
err-person-exists = `{ $name }` sudah tercatat sebagai `{ $key }`: jika keduanya orang yang sama, hapus saja salah satu dari kedua catatan itu
err-no-such-item = tidak ada { $what } nomor { $number } di { $place } (ada { $count }, bernomor mulai 1 menurut urutan di dokumen)
err-removed-item = { $what } `{ $key }` sudah dihapus: pulihkan dulu
err-nothing-to-change = tidak ada yang diubah: berikan { $options }
err-not-checked-in = `{ $key }` belum tercatat hadir di sesi { $session }
err-too-many-sessions = satu pelatihan paling banyak { $max } sesi
err-archived = dokumen ini sudah diarsipkan: batalkan pengarsipannya dulu untuk mengubahnya

# Nama isian dan butir dalam pesan-pesan ini (field-NAMA, spasi ditulis -).
field-name = nama
field-dusun = dusun
field-role = peran
field-title = judul
field-date = tanggal
field-place = tempat
field-facilitator = pendamping
field-status = status
field-note = catatan
field-agenda-item = butir agenda
field-decision = keputusan
field-proposal = usulan
field-raised-by = pengusul
field-priority = prioritas
field-what = kegiatan
field-who = penanggung jawab
field-due = tenggat
field-follow-up = tindak lanjut
field-topic = topik
field-category = kategori
field-trainer = pelatih
field-sessions = sesi
field-session-date = tanggal sesi
field-attendee = peserta
field-participant = peserta
field-removed-agenda-item = butir agenda yang dihapus
field-removed-decision = keputusan yang dihapus

# Frasa tetap lainnya di dalam pesan-pesan ini (place-…, restore-…, options-…).
place-these-minutes = notulen ini
place-this-training = pelatihan ini
restore-record-them-again-attend = catat lagi dengan `balai minutes attend`
restore-enroll-or-check-them-in-again = daftarkan atau catat kehadirannya lagi
options-a-new-text-raised-by-or-priority = teks, pengusul, atau prioritas yang baru
options-a-new-what-who-or-due-date = kegiatan, penanggung jawab, atau tenggat yang baru
options-a-new-name-gender-or-dusun = nama, jenis kelamin, atau dusun yang baru

## Kode wilayah dan id (balai_shared::region, balai_shared::ids)

err-region-empty = kode wilayah kosong
err-region-malformed = kode wilayah `{ $code }` salah bentuk: seharusnya angka dengan bentuk provinsi.kabupaten.kecamatan.desa (2.2.2.4 digit), misalnya 18.01.05.2001
err-region-not-a-village = `{ $code }` adalah kode { $level }, padahal yang dibutuhkan kode desa (empat tingkat, misalnya 18.01.05.2001)
level-province = provinsi
level-regency = kabupaten/kota
level-district = kecamatan
level-village = desa
err-id-malformed = `{ $id }` bukan id dokumen: seharusnya JENIS/DESA/ULID, misalnya minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B2C
err-id-unknown-kind = `{ $kind }` bukan jenis dokumen (seharusnya `minutes` atau `training`)
err-id-village = id dokumen `{ $id }` memuat kode desa yang salah: { $reason }
err-id-not-canonical = `{ $id }` bukan id dokumen yang baku: ULID harus 26 karakter Crockford base32 huruf besar, paling tinggi 7ZZZZZZZZZZZZZZZZZZZZZZZZZ
err-store-id-length = id penyimpanan harus 16 byte, bukan { $len }

## Penyimpanan lokal (balai_shared::store)

err-store-locked = penyimpanan di { $path } sedang dipakai proses lain (apakah ada balai atau balai-server lain yang sedang memakainya?)
err-store-db = kesalahan penyimpanan: { $detail }
err-store-corrupt = penyimpanan rusak: { $detail }
err-store-newer = penyimpanan ini ditulis oleh versi Balai yang lebih baru (tata letak { $found }, versi ini hanya mengenal { $known }); perbarui balai
err-store-document = dokumen { $id } rusak: { $detail }
err-store-id = id yang salah di penyimpanan: { $reason }

## Berkas

err-io-not-found = berkas atau folder tidak ada
err-io-permission-denied = akses ditolak (izin berkas)
