# `balai export`, in English. Every key is also in ../id/export.ftl with the same variables.

export-done = exported { $documents ->
    [one] 1 document
   *[other] { $documents } documents
} to { $path }
export-table-rows = { "  " }{ $table }: { $rows ->
    [one] 1 row
   *[other] { $rows } rows
}
export-unreadable = warning: { $id } is not a readable record yet ({ $reason }); it is left out of the tables and JSON
err-export-exists = { $path } already exists; choose another --out, or add --force to replace it
err-export-write = cannot write { $path }: { $reason }; nothing was changed at the output path
err-export-json = cannot encode the JSON export: { $reason }
