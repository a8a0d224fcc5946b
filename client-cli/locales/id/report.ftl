# `balai report …`: label laporan dan laporan HTML kecamatan, dalam Bahasa Indonesia. Setiap kunci
# ada juga di ../en/report.ftl dengan variabel yang sama.

## Label bersama

report-women = perempuan
report-men = laki-laki
report-gender-not-recorded = jenis kelamin tidak dicatat
report-dusun-not-recorded = dusun tidak dicatat

## balai report district --html

html-title = Laporan kecamatan, per { $today }
html-scope = Wilayah: { $region }. Desa ditandai jika tidak ada musyawarah sejak { $stale }.
html-scope-all = semua desa di perangkat ini
html-summary = Desa
html-col-village = Desa
html-col-forums = Musyawarah
html-col-trainings = Pelatihan
html-col-attendance = Kehadiran
html-col-women-share = Perempuan
html-col-dusun-coverage = Dusun terjangkau
html-col-follow-ups = Tindak lanjut
html-col-last-activity = Kegiatan terakhir
html-col-forum = Musyawarah
html-col-what = Apa
html-col-who = Siapa
html-col-due = Tenggat
html-stale = tidak ada musyawarah baru-baru ini
html-follow-ups-cell = { $pending } belum selesai, { $overdue } lewat tenggat
html-h-attendance = Kehadiran menurut jenis kelamin
html-h-dusun = Kehadiran musyawarah menurut dusun
html-h-coverage = Jangkauan dusun
html-h-follow-ups = Tindak lanjut
html-h-not-reached = Dusun yang tidak ada wakilnya
html-h-overdue = Tindak lanjut lewat tenggat
html-chart-attendance-gender = Kehadiran musyawarah dan pelatihan, per desa
html-chart-attendance-dusun = Peserta musyawarah per dusun (baris kosong: tidak ada yang hadir)
html-chart-coverage = Dusun yang terjangkau, per desa
html-chart-follow-ups = Tindak lanjut yang belum selesai, per desa
html-unit-people = orang
html-unit-dusun = dusun
html-unit-follow-ups = tindak lanjut
html-dusun-reached = terjangkau
html-dusun-not-reached = tidak terjangkau
html-follow-ups-overdue = lewat tenggat
html-follow-ups-pending-not-overdue = belum selesai, belum jatuh tempo

## balai report … di terminal

report-heading = { $title } · per { $today } · { $region } · { $period }
report-region-all = semua desa di perangkat ini
report-region = wilayah { $prefix }
report-period-all = semua tanggal
report-period-from = sejak { $from }
report-period-to = sampai { $to }
report-period-between = { $from } s.d. { $to }
report-legend-gender = P = perempuan, L = laki-laki; "tidak dicatat": jenis kelamin tidak dicatat, jadi tidak dihitung sebagai keduanya. P/(P+L): perempuan di antara yang jenis kelaminnya dicatat.
report-legend-ratio = Setiap persentase disertai hitungannya: 40% (4/10) berarti 4 dari 10, dibulatkan ke persen bulat. ⚠ menandai hal yang perlu diperhatikan.
report-col-not-recorded = tidak dicatat
report-col-attention = Perhatian
report-col-date = Tanggal
report-col-total = Jumlah
report-col-pending = Tindak lanjut belum selesai
report-col-overdue = Tindak lanjut lewat tenggat
report-upcoming-date = { $date } (akan datang)
report-villages-none = Tidak ada desa dengan catatan di wilayah ini pada perangkat ini.

report-excluded-heading = Tidak masuk laporan ini karena tidak dapat dibaca ({ $n }):
report-excluded-part = { $id }, { $field }
report-excluded-not-created = baru diumumkan; isinya belum diterima (sinkronkan lagi)
report-excluded-newer-schema = ditulis oleh Balai yang lebih baru; perbarui balai untuk membacanya
report-excluded-kind-mismatch = isinya berjenis lain dari yang disebut id-nya
report-excluded-damaged = rusak; tidak dapat dibaca
report-excluded-bad-date = bukan tanggal yang sah
report-excluded-archived = diarsipkan

## balai report attendance

report-attendance-title = Kehadiran pelatihan
report-attendance-none = Tidak ada pelatihan dengan sesi dalam periode ini.
report-training-heading = { $topic } · desa { $village } · { $id }
report-sessions-held = { $held } sesi sudah berlangsung{ $upcoming ->
        [0] {""}
       *[other] , { $upcoming } akan datang (belum dihitung)
    }.
report-attendance-by-group = Selama sesi yang sudah berlangsung, per kelompok:
report-attendance-by-session = Per sesi:
report-group-all = Semua
report-col-group = Kelompok
report-col-enrolled = Terdaftar
report-col-reached = Hadir min. sekali
report-col-check-ins = Kehadiran
report-col-walk-ins = Tak terdaftar
report-col-session = Sesi
report-col-present = Hadir
report-flag-nobody-from-dusun = tidak ada warga dusun ini
report-flag-no-enrolled-came = tidak ada peserta terdaftar yang hadir
report-missed-none = Setiap peserta terdaftar hadir di setidaknya satu sesi yang sudah berlangsung.
report-missed = Terdaftar, tetapi tidak hadir di satu pun sesi yang sudah berlangsung ({ $n }):
report-attendance-legend = Kehadiran: jumlah hadir peserta terdaftar, dari (terdaftar × sesi yang sudah berlangsung). Hadir: peserta terdaftar yang hadir, dari yang terdaftar. Tak terdaftar: datang tanpa didaftarkan; dihitung, tetapi di luar setiap persentase.

## balai report forums

report-forums-title = Partisipasi musyawarah
report-women-check-rule = Cek perempuan: perempuan paling sedikit { $min }% dari semua peserta; "belum pasti": terlalu banyak jenis kelamin tidak dicatat untuk memastikan.
report-village-heading = Desa { $village } · dusun yang dikenal: { $dusun }
report-forums-none = Tidak ada musyawarah dalam periode ini.
report-every-dusun-reached = Setiap dusun yang dikenal punya wakil di musyawarah yang berlangsung.
report-dusun-not-reached = Tidak ada yang hadir di musyawarah mana pun dari: { $dusun }
report-col-forum = Musyawarah
report-col-women-share = P/(P+L)
report-col-women-check = P ≥ { $min }% dari semua
report-col-dusun-absent = Dusun tidak hadir
report-check-met = tercapai
report-check-below = di bawah { $min }%
report-check-undetermined = belum pasti
report-row-held-forums = Yang sudah berlangsung
report-upcoming = akan datang, belum dihitung
report-forum-heading = { $title } ({ $about }) · { $id }
report-col-dusun-or-role = Dusun / peran
report-dusun = dusun: { $dusun }
report-dusun-absent = dusun: { $dusun }, tidak ada yang hadir
report-role = peran: { $role }
report-role-not-recorded = peran tidak dicatat
report-proposals = Usulan, dukungan terbanyak lebih dulu:
report-proposals-none = Tidak ada usulan.
report-col-support = Dukungan
report-col-proposal = Usulan
report-col-raised-by = Diusulkan oleh
report-col-priority = Prioritas
report-decisions = Keputusan:
report-decisions-none = Tidak ada keputusan.
report-follow-up-counts = Tindak lanjut: { $open } belum dikerjakan, { $in_progress } sedang dikerjakan, { $done } selesai, { $dropped } dibatalkan{ $unrecognised ->
        [0] {""}
       *[other] , { $unrecognised } dengan status tak dikenal
    }.
report-col-due = Tenggat
report-col-what = Apa
report-col-who = Siapa
report-col-state = Status
report-overdue-date = { $date }, lewat tenggat
report-follow-up-unrecognised = status tak dikenal

## balai report district

report-district-title = Ringkasan kecamatan
report-stale-rule = Musyawarah terakhir suatu desa ditandai bila desa itu tidak mengadakan musyawarah dalam { $months } bulan terakhir (sejak { $since }).
report-col-village = Desa
report-col-forums = Musyawarah
report-col-trainings = Pelatihan
report-col-sessions = Sesi
report-col-dusun-reached = Dusun terjangkau
report-col-last-forum = Musyawarah terakhir
report-col-last-activity = Kegiatan terakhir
report-row-total = Jumlah ({ $n } desa)
report-stale-villages = Tidak ada musyawarah sejak { $since } di: { $villages }
report-dusun-not-reached-heading = Dusun yang tidak ada wakilnya di musyawarah atau sesi pelatihan mana pun:
report-district-legend = P, L, tidak dicatat dan Jumlah menghitung kehadiran musyawarah ditambah kehadiran pelatihan (termasuk yang tak terdaftar): yang hadir di dua musyawarah dihitung dua kali. Dusun terjangkau: dusun yang dikenal dengan warga yang hadir di musyawarah atau sesi yang berlangsung.

## balai report activity

report-activity-title = Kegiatan pencatatan per perangkat
report-time-zone = Hari dan minggu menurut zona waktu komputer ini: { $zone }.
report-activity-none = Tidak ada perubahan dalam periode ini.
report-activity-weeks = Per minggu (ISO):
report-activity-devices = Per perangkat:
report-col-device = Perangkat
report-col-week = Minggu
report-col-week-start = Senin
report-col-records = Catatan baru
report-col-edits = Suntingan
report-col-documents = Dokumen
report-col-first-day = Hari pertama
report-col-last-day = Hari terakhir
report-flag-after-today = { $n } perubahan bertanggal setelah hari ini: jam perangkat terlalu cepat?
report-flag-undated = { $n } perubahan tanpa waktu, tidak dihitung di tempat lain
report-activity-legend = Catatan baru: dokumen yang dibuat perangkat itu. Suntingan: setiap perubahan lain olehnya (mencantumkan namanya di dokumen tidak dihitung). Dokumen: jumlah dokumen berbeda yang diubahnya. Perangkat dinamai sesuai tanda tangannya di dokumen; yang belum menandatangani dokumen apa pun ditampilkan dengan awal id aktornya.

## balai report: yang dicetak perintah ini dan galatnya

report-html-written = Laporan kecamatan ditulis ke { $path }.
report-err-reversed = periode dimulai { $from }, setelah berakhir { $to }; periksa --from dan --to
report-err-html-exists = { $path } sudah ada; pilih berkas lain, atau tambahkan --force untuk menggantinya
report-err-html-directory = { $path } adalah folder; --html perlu nama berkas, misalnya { $path }/district.html
report-err-html-write = tidak dapat menulis { $path }
report-err-html-chart = tidak dapat menggambar grafik laporan HTML
