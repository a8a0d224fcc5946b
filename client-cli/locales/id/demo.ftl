# Narasi `balai-demo` (crate demo), dalam Bahasa Indonesia. Catatan yang dibuatnya memang
# berbahasa Indonesia, seperti ditulis pendamping.

demo-title = Demo Balai — data di { $dir }
demo-server = Server kecamatan (Kalianda) menunggu koneksi di { $url }
demo-enrolled = Tiga perangkat pendamping didaftarkan untuk kecamatan { $district }: { $devices }
demo-day-one = Hari ke-1 — Ani membuka notulen musyawarah dan sebuah pelatihan di desa { $village }, lalu melakukan sinkronisasi.
demo-offline = Hari ke-2 sampai ke-4 — tidak ada sinyal. Semua tetap mencatat tanpa jaringan:
demo-offline-ani = menambah seorang peserta dan satu catatan ke notulen; memindahkan tempat ke { $place }
demo-offline-budi = menyunting notulen YANG SAMA — dua peserta, satu catatan, { $supporters } pendukung; mengisi tempat dengan { $place }
demo-offline-check-ins = mencatat kehadiran orang yang berbeda di sesi 1 pelatihan YANG SAMA (satu orang belum terdaftar)
demo-offline-citra = juga mencatat musyawarah di desa tetangga { $village }
demo-day-five = Hari ke-5 — sinyal kembali; perangkat melakukan sinkronisasi dalam urutan siapa yang lebih dulu dapat sinyal:
demo-synced = tersinkron: { $sent } dok. / { $sent_bytes } B perubahan terkirim, { $received } dok. / { $received_bytes } B diterima, { $round_trips } kali bolak-balik
demo-holds = Yang kini disimpan setiap perangkat:
demo-check-heading = Pemeriksaan keseragaman di server dan { $devices } perangkat, { $documents } dokumen:
demo-check-attendees = semua { $n } peserta dari kedua perangkat
demo-check-notes = catatan dari kedua perangkat
demo-check-supporters = jumlah pendukung yang dihitung tanpa jaringan
demo-check-conflict = konflik isian tempat, dengan nilai yang kalah tetap disimpan
demo-check-check-ins = semua { $n } catatan kehadiran di sesi 1
demo-check-identical = setiap salinan menyimpan dokumen yang persis sama
demo-reconnect = Sambung ulang tanpa data baru: { $round_trips } kali bolak-balik, { $bytes } byte data dokumen ke tiap arah.
demo-done = Server dimatikan dengan rapi. Demo selesai.

demo-err-tempdir = folder sementara tidak dapat dibuat
demo-err-bind = { $addr } tidak dapat dipakai
demo-err-missing = { $id } tidak ada di { $store }
demo-err-diverged = { $store } berbeda dari server pada { $id }: demo menemukan galat konvergensi
demo-err-check = tidak ada sesudah sinkronisasi: { $what }
demo-err-server-task = tugas server gagal
demo-err-server = server gagal
