# Yang dicetak perintah-perintah koreksi, dan cara `balai show` menandai catatan yang dikoreksi,
# dalam Bahasa Indonesia. Setiap kunci ada juga di ../en/corrections.ftl dengan variabel yang
# sama. Kunci dan nomor dicetak apa adanya.

correction-unchanged = tidak ada yang berubah: catatannya memang sudah begitu

## balai minutes attendee-… / training participant-…

correction-attendee-corrected = data peserta { $key } diperbaiki
correction-attendee-removed = peserta { $key } dihapus; `balai show` mencantumkannya di bagian "Dihapus", dan `balai minutes attend` mencatatnya kembali
correction-participant-corrected = data peserta { $key } diperbaiki
correction-participant-removed = peserta { $key } dihapus; catatan kehadirannya tetap disimpan tetapi tidak dihitung. `balai show` mencantumkannya di bagian "Dihapus"; mendaftarkan atau mencatat kehadirannya lagi akan mengembalikannya

## balai minutes agenda-… / decision-… (bernomor seperti yang ditampilkan `balai show`)

correction-agenda-edited = butir agenda { $number } diubah
correction-agenda-removed = butir agenda { $number } dihapus; `balai show` mencantumkannya di bagian "Dihapus", dengan nomor untuk `balai minutes agenda-restore`
correction-agenda-restored = butir agenda terhapus nomor { $number } dikembalikan
correction-decision-edited = keputusan { $number } diubah
correction-decision-removed = keputusan { $number } dihapus; `balai show` mencantumkannya di bagian "Dihapus", dengan nomor untuk `balai minutes decision-restore`
correction-decision-restored = keputusan terhapus nomor { $number } dikembalikan

## balai minutes proposal-… / follow-up-… (dengan kunci)

correction-proposal-edited = usulan { $key } diubah
correction-proposal-removed = usulan { $key } dihapus; `balai minutes proposal-restore` mengembalikannya, beserta pendukungnya
correction-proposal-restored = usulan { $key } dikembalikan
correction-proposal-not-removed = usulan { $key } tidak berstatus dihapus; tidak ada yang berubah
correction-follow-up-edited = tindak lanjut { $key } diubah
correction-follow-up-removed = tindak lanjut { $key } dihapus; `balai minutes follow-up-restore` mengembalikannya
correction-follow-up-restored = tindak lanjut { $key } dikembalikan
correction-follow-up-not-removed = tindak lanjut { $key } tidak berstatus dihapus; tidak ada yang berubah

## balai training check-in-undo / session-…

correction-check-in-undone = catatan kehadiran { $key } di sesi { $session } dibatalkan
correction-session-added = sesi { $number } ditambahkan (tersimpan sebagai { $key }); catat kehadiran dengan --session { $number }
correction-session-date-set = sesi { $session } sekarang bertanggal { $date }

## balai archive / unarchive

correction-archived = { $id } diarsipkan: dokumen ini tetap ada di setiap perangkat dan tetap disinkronkan, tetapi tidak bisa diubah sampai `balai unarchive`
correction-already-archived = { $id } memang sudah diarsipkan; tidak ada yang berubah
correction-unarchived = { $id } bisa diubah lagi
correction-not-archived = { $id } belum diarsipkan; tidak ada yang berubah

## balai show: status arsip dan catatan yang dihapus

show-archived = Diarsipkan
show-archived-yes = ya: hanya bisa dibaca sampai `balai unarchive`
show-archived-no = tidak
show-removed = Dihapus (tetap disimpan di catatan, tidak dihitung di atas)
show-removed-agenda = Agenda (kembalikan dengan `balai minutes agenda-restore ID NOMOR`)
show-removed-decisions = Keputusan (kembalikan dengan `balai minutes decision-restore ID NOMOR`)
show-removed-proposals = Usulan (kembalikan dengan `balai minutes proposal-restore ID KUNCI`)
show-removed-follow-ups = Tindak lanjut (kembalikan dengan `balai minutes follow-up-restore ID KUNCI`)
show-removed-attendees = Daftar hadir (mencatatnya lagi akan mengembalikannya)
show-removed-participants = Peserta (mendaftarkan atau mencatat kehadirannya lagi akan mengembalikannya)
show-removed-check-in = sudah dihapus dari daftar peserta, tidak dihitung
show-concurrent-edits = ⚠ dicatat di perangkat yang belum tahu soal penghapusan ini: { $edits }
show-concurrent-support = { $n } pendukung lagi
show-concurrent-check-in = dicatat hadir di sesi { $session } oleh { $device }
show-lost-removal = dihapus di perangkat yang belum tahu bahwa catatan ini sudah dikembalikan; catatan tetap dikembalikan
