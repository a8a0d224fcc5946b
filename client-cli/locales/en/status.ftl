# The admin status views of `balai admin status`, `sync-now` and `resync` (the phrases of
# balai_net::status_view). In English they read exactly as `balai-server` prints them; a test
# compares every phrase.

status-count-documents = { $n ->
        [one] 1 document
       *[other] { $n } documents
    }
status-count-changes = { $n ->
        [one] 1 change
       *[other] { $n } changes
    }
status-count-devices = { $n ->
        [one] 1 device
       *[other] { $n } devices
    }
status-count-villages = { $n ->
        [one] 1 village
       *[other] { $n } villages
    }
status-count-days = { $n ->
        [one] 1 day
       *[other] { $n } days
    }
status-count-round-trips = { $n ->
        [one] 1 round trip
       *[other] { $n } round trips
    }
status-count-stores = { $n ->
        [one] 1 store
       *[other] { $n } stores
    }
status-count-sync-states = { $n ->
        [one] 1 sync state
       *[other] { $n } sync states
    }
status-count-rows = { $n ->
        [one] 1 row
       *[other] { $n } rows
    }
status-span-seconds = { $n } s
status-span-minutes = { $n } min
status-span-hours = { $n } h
status-span-days = { $n } days
status-in = in { $span }
status-ago = { $span } ago
status-just-now = just now
status-never-synced = never synced
status-stale = STALE { $days } d
status-col-device = device
status-col-role = role
status-col-scope = scope
status-col-last-sync = last sync
status-col-docs-to-from = docs to/from
status-col-sessions = sessions ok/failed
status-col-last-failure = last failure
status-col-silent = silent
status-col-village = village
status-col-documents = documents
status-col-latest-change = latest change
status-col-latest-seq = latest seq
status-row-scopes = scopes
status-row-last-success = last success
status-row-last-failure = last failure
status-row-pending = not yet acknowledged upstream
status-row-next-attempt = next attempt
status-row-connection = connection
status-row-projected = projected
status-row-written = written since start
status-never = never
status-none = none
status-revoked-on = revoked { $day }
status-upstream = upstream { $url }
status-upstream-named = upstream { $url } (server `{ $name }`)
status-last-success = { $moment }: { $sent ->
        [one] 1 document
       *[other] { $sent } documents
    } up, { $received } down
status-succeeded-since = (succeeded since)
status-failures = { $n ->
        [one] (1 failure)
       *[other] ({ $n } failures in a row)
    }
status-nothing-pending = nothing (the upstream has every change)
status-pending = { $documents } ({ $changes })
status-running-or-unknown = running now, or unknown (server stopped)
status-due-now = due now ({ $at })
# The analytics sink section: the change feed projected into PostgreSQL.
status-sink = analytics sink (PostgreSQL) { $url }
status-sink-connected = connected
status-sink-disconnected = not connected
status-projected = up to seq { $projected } of { $latest } ({ $lag ->
        [0] caught up
        [one] 1 feed entry behind
       *[other] { $lag } feed entries behind
    })
status-written = { $documents }, { $rows }
status-heading = server, as of { $at }
status-heading-named = server `{ $name }`, as of { $at }
status-no-devices = devices: none
status-no-villages = villages: none yet
status-no-upstream = upstream: none (this server is the top of its tree)
status-summary = { $devices ->
        [one] 1 device
       *[other] { $devices } devices
    }{ $revoked ->
        [0] {""}
       *[other] {" "}({ $revoked } revoked)
    }{ $asked ->
        [yes] , { $silent } silent for more than { $days ->
            [one] 1 day
           *[other] { $days } days
        }
       *[no] {""}
    }; { $villages ->
        [one] 1 village
       *[other] { $villages } villages
    }, { $documents ->
        [one] 1 document
       *[other] { $documents } documents
    }
status-replicated = replicated upstream{ $has_url ->
        [yes] {" "}with { $url }
       *[no] {""}
    }: { $sent ->
        [one] 1 document
       *[other] { $sent } documents
    } up, { $received } down, { $kib } KiB, { $round_trips ->
        [one] 1 round trip
       *[other] { $round_trips } round trips
    }, { $ms } ms
status-still-pending = still not acknowledged upstream: { $pending } (changed during the sync, or not accepted there); they go with the next sync
status-upstream-failed = upstream sync failed: { $error }
status-upstream-failed-no-reason = upstream sync failed: no reason given
status-check-upstream = check that { $url } is reachable from this server, that this server's upstream token is still valid there (not revoked or rescoped) and that the upstream's certificate is trusted
status-check-upstream-unknown = check that the upstream URL is reachable from this server, that this server's upstream token is still valid there (not revoked or rescoped) and that the upstream's certificate is trusted
status-resync-nothing = `{ $name }` has no stores on this server (it never completed a sync); nothing to forget{ $revoked ->
        [yes] {" "}(note: the device is revoked, so it will not sync again)
       *[no] {""}
    }
status-resync-forgot = forgot the checkpoints of `{ $name }`'s { $stores } and { $sync_states }; its next session re-diffs every document{ $revoked ->
        [yes] {" "}(note: the device is revoked, so it will not sync again)
       *[no] {""}
    }
