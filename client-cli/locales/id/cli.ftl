# Yang dicetak perintah-perintah balai, dalam Bahasa Indonesia. Setiap kunci ada juga di
# ../en/cli.ftl dengan variabel yang sama. Angka, tanggal, id, dan kunci dicetak apa adanya.
# Bahasa Indonesia tidak mengenal bentuk jamak: "1 dokumen", "2 dokumen".

## balai init

init-done = perangkat `{ $device }` sudah disiapkan di { $dir } (penyimpanan { $store }), sinkron dengan { $server }
init-no-token = catatan: --token tidak diberikan; pencatatan tetap bisa dilakukan tanpa jaringan, tetapi server akan menolak sinkronisasi sampai Anda menjalankan `balai init --force --server … --token …`

## balai minutes …

minutes-attendee-added = peserta { $key } dicatat
minutes-attendee-updated = { $key } sudah tercatat; datanya diperbarui
minutes-note-added = catatan ditambahkan
minutes-agenda-added = butir agenda ditambahkan
minutes-support-counted = dukungan dihitung
minutes-decision-added = keputusan dicatat
minutes-follow-up-updated = tindak lanjut diperbarui
minutes-updated = perubahan disimpan

## balai training …

training-enrolled = { $key } didaftarkan
training-enrollment-updated = { $key } sudah terdaftar; datanya diperbarui
training-checked-in = { $key } dicatat hadir di sesi { $session }
training-checked-in-walk-in = { $key } dicatat hadir di sesi { $session } (belum terdaftar sebelumnya: didaftarkan saat itu juga)
training-already-checked-in = { $key } sudah tercatat hadir di sesi { $session }

## balai list

list-empty = belum ada dokumen — buat dengan `balai minutes new` atau `balai training new`, atau jalankan `balai sync`
list-id = id
list-kind = jenis
list-village = desa
list-date = tanggal
list-title = judul
list-people = orang

## Nilai yang tersimpan, sebagaimana pembaca menyebutnya (yang tersimpan tetap apa adanya)

value-kind-minutes = notulen
value-kind-training = pelatihan
value-status-draft = draf
value-status-final = final
value-priority-high = tinggi
value-priority-medium = sedang
value-priority-low = rendah
value-follow-up-open = belum dikerjakan
value-follow-up-in-progress = sedang dikerjakan
value-follow-up-done = selesai
value-follow-up-dropped = dibatalkan

## balai show

# Jenis kelamin tersimpan sebagai f/m; ditampilkan P/L, dan disebutkan bila tidak dicatat.
gender-f = P
gender-m = L
gender-not-recorded = jenis kelamin tidak dicatat
show-gender-summary = { $total }: { $women } perempuan, { $men } laki-laki{ $unknown ->
        [0] {""}
       *[other] , { $unknown } tidak dicatat
    }
show-minutes-heading = Notulen musyawarah  { $id }
show-training-heading = Pelatihan  { $id }
show-title = Judul
show-village = Desa
show-date = Tanggal
show-place = Tempat
show-facilitator = Pendamping
show-status = Status
show-topic = Topik
show-category = Kategori
show-trainer = Pelatih
show-conflict-mark = ⚠ KONFLIK: juga diisi { $values }
show-attendees = Daftar hadir ({ $summary })
show-participants = Peserta ({ $summary })
show-dusun = dusun { $dusun }
show-agenda = Agenda
show-proposals = Usulan (aspirasi)
show-supporters = { $n } pendukung
show-raised-by = diajukan oleh { $name }
show-priority = prioritas { $priority }
show-decisions = Keputusan
show-follow-ups = Tindak lanjut
show-due = tenggat { $date }
show-notes = Catatan
show-sessions = Sesi
show-attended = { $n } hadir
show-checked-in-by = dicatat oleh { $device }
show-id-mismatch = ⚠ isi dokumen ini tidak sesuai dengan id-nya; yang ditampilkan adalah nilai dari id, dan nilai berikut diabaikan:
show-conflicts = ⚠ { $n } isian diisi berbeda di dua perangkat.
show-conflicts-explain = Di atas tertera nilai yang ditampilkan sama oleh semua perangkat; nilai lainnya tetap disimpan:

## balai status

device-status-device = perangkat
device-status-server = server
device-status-documents = dokumen
device-status-last-sync = sinkron terakhir
device-status-store = penyimpanan { $store }
device-status-never = belum pernah
device-status-all-synced = semua yang dicatat di sini sudah sampai di server
device-status-unsynced = { $n } dokumen berisi perubahan yang belum dikonfirmasi server:
device-status-sync-hint = jalankan `balai sync` saat ada sinyal

## balai sync

sync-connecting = menyinkronkan dengan { $server }…
sync-progress = sinkronisasi: { $done }/{ $offered } dokumen diterima, { $bytes } byte
sync-retry = percobaan ke-{ $attempt } gagal ({ $reason }); dicoba lagi dalam { $wait } detik
sync-done = tersinkron dengan { $name } ({ $url }) dalam { $ms } ms: { $sent } dokumen terkirim ({ $sent_bytes } byte perubahan), { $received } dokumen diterima ({ $received_bytes } byte), { $round_trips } kali bolak-balik
regions-none = tidak ada
sync-removed-out-of-scope = { $n } dokumen tidak lagi berada di wilayah Anda ({ $regions }) dan sudah dihapus dari perangkat ini (server tetap menyimpannya):
sync-kept-out-of-scope = peringatan: { $n } dokumen di luar wilayah Anda ({ $regions }) berisi perubahan yang belum pernah diterima server, jadi tetap disimpan di perangkat ini. Dokumen itu tidak bisa disinkronkan lagi: minta admin mengembalikan desanya ke perangkat ini untuk satu kali sinkronisasi; jika tidak, perubahannya hanya ada di sini:

## balai lang

lang-name-id = Bahasa Indonesia
lang-name-en = bahasa Inggris
lang-in-use = { $language } — { $source }
lang-source-flag = dipilih dengan --lang
lang-source-env = dipilih oleh BALAI_LANG={ $value }
lang-source-locale = dipilih oleh pengaturan bahasa sistem, { $var }={ $value }
lang-source-config = dipilih untuk perangkat ini dengan `balai lang` (di { $path })
lang-source-default = bawaan: belum ada yang memilih bahasa
lang-hint = ganti dengan `balai lang id` atau `balai lang en`; `balai lang auto` kembali mengikuti pengaturan bahasa sistem
lang-saved = perangkat ini sekarang memakai { $language }
lang-cleared = perangkat ini kembali mengikuti pengaturan bahasa sistem
lang-overridden = catatan: di sini tetap dipakai { $language }, { $source }, yang lebih diutamakan daripada pengaturan perangkat ini

## balai admin …

admin-enrolled = `{ $name }` sudah didaftarkan; di perangkat tersebut jalankan:
admin-revoked = `{ $name }` sudah dicabut
admin-rescoped = wilayah `{ $name }` sudah diubah; tokennya tetap berlaku, sesinya yang sedang terbuka diakhiri, dan pada sinkronisasi berikutnya server memberitahukan wilayah barunya (perangkat itu lalu mengambil dokumen wilayah yang bertambah dan melepas dokumen yang tidak boleh lagi disimpannya)
admin-device-name = nama
admin-device-role = peran
admin-device-scope = wilayah
admin-device-enrolled = terdaftar
admin-device-state = keadaan
admin-device-active = aktif
admin-device-revoked = dicabut { $time }
admin-audit-moved = terkirim { $sent }, diterima { $received }
