# What `balai-demo` (the demo crate) narrates, in English. The records it creates stay in
# Indonesian, as a facilitator would write them.

demo-title = Balai demo — data in { $dir }
demo-server = District server (kecamatan Kalianda) listening on { $url }
demo-enrolled = Three facilitators' devices enrolled for district { $district }: { $devices }
demo-day-one = Day 1 — Ani opens the forum minutes and a training in village { $village }, then syncs.
demo-offline = Days 2–4 — no signal. Everyone keeps recording offline:
demo-offline-ani = adds an attendee and a note to the minutes; moves the place to { $place }
demo-offline-budi = edits the SAME minutes — two attendees, a note, { $supporters } supporters; sets the place to { $place }
demo-offline-check-ins = check different people into session 1 of the SAME training (one a walk-in)
demo-offline-citra = also records a forum in the neighbouring village { $village }
demo-day-five = Day 5 — the signal comes back; devices sync in whatever order they reach it:
demo-synced = synced: sent { $sent ->
        [one] 1 doc
       *[other] { $sent } docs
    } / { $sent_bytes } B of changes, received { $received ->
        [one] 1 doc
       *[other] { $received } docs
    } / { $received_bytes } B, { $round_trips ->
        [one] 1 round trip
       *[other] { $round_trips } round trips
    }
demo-holds = What every device now holds:
demo-check-heading = Convergence check across the server and { $devices } devices, { $documents } documents:
demo-check-attendees = all { $n } attendees from both devices
demo-check-notes = both devices' notes
demo-check-supporters = the supporters counted offline
demo-check-conflict = the place conflict, with the losing value kept
demo-check-check-ins = all { $n } check-ins to session 1
demo-check-identical = every replica holds identical documents
demo-reconnect = A reconnect with nothing new: { $round_trips ->
        [one] 1 round trip
       *[other] { $round_trips } round trips
    }, { $bytes } bytes of document data each way.
demo-done = Server shut down cleanly. Demo complete.

demo-err-tempdir = cannot create a temporary directory
demo-err-bind = cannot bind { $addr }
demo-err-missing = { $id } is missing on { $store }
demo-err-diverged = { $store } differs from the server on { $id }: the demo found a convergence bug
demo-err-check = missing after sync: { $what }
demo-err-server-task = the server task failed
demo-err-server = the server failed
