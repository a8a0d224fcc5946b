# `balai export`, dalam Bahasa Indonesia. Setiap kunci ada juga di ../en/export.ftl dengan
# variabel yang sama.

export-done = { $documents } dokumen diekspor ke { $path }
export-table-rows = { "  " }{ $table }: { $rows } baris
export-unreadable = peringatan: { $id } belum dapat dibaca sebagai catatan ({ $reason }); tidak dimasukkan ke tabel dan JSON
err-export-exists = { $path } sudah ada; pilih --out lain, atau tambahkan --force untuk menimpanya
err-export-write = tidak dapat menulis { $path }: { $reason }; tidak ada yang diubah di tempat tujuan
err-export-json = tidak dapat menyusun ekspor JSON: { $reason }
