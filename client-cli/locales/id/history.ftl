# `balai history ID`, dalam Bahasa Indonesia. Setiap kunci ada juga di ../en/history.ftl dengan
# variabel yang sama.

history-col-when = Waktu
history-col-device = Perangkat
history-col-change = Perubahan
history-no-time = (tanpa waktu)
history-device = { $name } ({ $actor }…)
history-unknown-device = perangkat tidak dikenal ({ $actor }…)
history-created = dibuat: { $message }
history-summary = { $changes } perubahan; waktu dalam { $zone }, menurut jam masing-masing perangkat. Nama perangkat diambil dari dokumen yang ditandai perangkat itu.

## balai completions, balai man

err-man-dir = tidak dapat menulis halaman manual ke { $dir }
man-written = halaman manual ditulis ke { $dir } (baca dengan `man -M { $dir } balai`)
