# `balai history ID`, in English. Every key is also in ../id/history.ftl with the same variables.

history-col-when = When
history-col-device = Device
history-col-change = Change
history-no-time = (no time)
history-device = { $name } ({ $actor }…)
history-unknown-device = unknown device ({ $actor }…)
history-created = created: { $message }
history-summary = { $changes ->
    [one] 1 change
   *[other] { $changes } changes
}; times in { $zone }, as each device's clock said. Device names come from the documents the devices signed.

## balai completions, balai man

err-man-dir = cannot write the man pages to { $dir }
man-written = man pages written to { $dir } (read them with `man -M { $dir } balai`)
