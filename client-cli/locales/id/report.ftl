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
