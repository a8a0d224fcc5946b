# What the balai commands print, in English. Each key exists in ../id/cli.ftl with the same
# variables. Numbers, dates, ids and keys are variables and are printed as they are.

## balai init

init-done = device `{ $device }` set up in { $dir } (store { $store }), syncing with { $server }
init-no-token = note: no --token given; recording works offline, but the server refuses to sync until you run `balai init --force --server … --token …`

## balai minutes …

minutes-attendee-added = recorded attendee { $key }
minutes-attendee-updated = { $key } was already recorded; details updated
minutes-note-added = note added
minutes-agenda-added = agenda item added
minutes-support-counted = support counted
minutes-decision-added = decision recorded
minutes-follow-up-updated = follow-up updated
minutes-updated = updated

## balai training …

training-enrolled = enrolled { $key }
training-enrollment-updated = { $key } was already enrolled; details updated
training-checked-in = checked in { $key } to session { $session }
training-checked-in-walk-in = checked in { $key } to session { $session } (not enrolled before: enrolled as a walk-in)
training-already-checked-in = { $key } was already checked in to session { $session }

## balai list

list-empty = no documents yet — create one with `balai minutes new` or `balai training new`, or run `balai sync`
list-id = id
list-kind = kind
list-village = village
list-date = date
list-title = title
list-people = people

## Stored values, as the reader calls them (value-GROUP-VALUE; stored values stay as they are)

value-kind-minutes = minutes
value-kind-training = training
value-status-draft = draft
value-status-final = final
value-priority-high = high
value-priority-medium = medium
value-priority-low = low
value-follow-up-open = open
value-follow-up-in-progress = in progress
value-follow-up-done = done
value-follow-up-dropped = dropped

## balai show

# Genders are stored as f/m; shown as F/M, and said when none was recorded.
gender-f = F
gender-m = M
gender-not-recorded = gender not recorded
show-gender-summary = { $total }: { $women ->
        [one] 1 woman
       *[other] { $women } women
    }, { $men ->
        [one] 1 man
       *[other] { $men } men
    }{ $unknown ->
        [0] {""}
       *[other] , { $unknown } gender not recorded
    }
show-minutes-heading = Forum minutes  { $id }
show-training-heading = Training  { $id }
show-title = Title
show-village = Village
show-date = Date
show-place = Place
show-facilitator = Facilitator
show-status = Status
show-topic = Topic
show-category = Category
show-trainer = Trainer
show-conflict-mark = ⚠ CONFLICT: also set to { $values }
show-attendees = Attendees ({ $summary })
show-participants = Participants ({ $summary })
show-dusun = dusun { $dusun }
show-agenda = Agenda
show-proposals = Proposals (aspirasi)
show-supporters = { $n ->
        [one] 1 supporter
       *[other] { $n } supporters
    }
show-raised-by = raised by { $name }
show-priority = priority { $priority }
show-decisions = Decisions
show-follow-ups = Follow-ups
show-due = due { $date }
show-notes = Notes
show-sessions = Sessions
show-attended = { $n } attended
show-checked-in-by = checked in by { $device }
show-id-mismatch = ⚠ the document's content disagrees with its id; the id's values are shown, these were ignored:
show-conflicts = ⚠ { $n ->
        [one] 1 field was
       *[other] { $n } fields were
    } set differently on two devices.
show-conflicts-explain = Shown above is the value every device agrees to display; the other values are kept:

## balai status

device-status-device = device
device-status-server = server
device-status-documents = documents
device-status-last-sync = last sync
device-status-store = store { $store }
device-status-never = never
device-status-all-synced = everything recorded here has reached the server
device-status-unsynced = { $n ->
        [one] 1 document has
       *[other] { $n } documents have
    } changes the server has not acknowledged yet:
device-status-sync-hint = run `balai sync` when there is a signal

## balai sync

sync-connecting = syncing with { $server }…
sync-progress = syncing: { $done }/{ $offered ->
        [one] 1 document
       *[other] { $offered } documents
    } received, { $bytes } bytes
sync-retry = attempt { $attempt } failed ({ $reason }); retrying in { $wait }s
sync-done = synced with { $name } ({ $url }) in { $ms } ms: sent { $sent ->
        [one] 1 document
       *[other] { $sent } documents
    } ({ $sent_bytes } bytes of changes), received { $received ->
        [one] 1 document
       *[other] { $received } documents
    } ({ $received_bytes } bytes), { $round_trips ->
        [one] 1 round trip
       *[other] { $round_trips } round trips
    }
regions-none = none
sync-removed-out-of-scope = { $n ->
        [one] 1 record is no longer in your regions ({ $regions }) and was removed
       *[other] { $n } records are no longer in your regions ({ $regions }) and were removed
    } from this device (the server keeps them):
sync-kept-out-of-scope = warning: { $n ->
        [one] 1 record outside your regions ({ $regions }) holds changes the server never received, so it was kept on this device. It cannot be synced any more: ask your admin to give this device back its village for one sync, or the changes stay only here:
       *[other] { $n } records outside your regions ({ $regions }) hold changes the server never received, so they were kept on this device. They cannot be synced any more: ask your admin to give this device back their village for one sync, or the changes stay only here:
    }

## balai lang

lang-name-id = Indonesian (Bahasa Indonesia)
lang-name-en = English
lang-in-use = { $language } — { $source }
lang-source-flag = chosen with --lang
lang-source-env = chosen by BALAI_LANG={ $value }
lang-source-locale = chosen by the locale, { $var }={ $value }
lang-source-config = chosen for this device with `balai lang` (in { $path })
lang-source-default = the default: nothing chose a language
lang-hint = change it with `balai lang id` or `balai lang en`; `balai lang auto` follows the locale again
lang-saved = this device now speaks { $language }
lang-cleared = this device follows the locale again
lang-overridden = note: { $language } is used here all the same, { $source }, which comes before this device's setting

## balai admin …

admin-enrolled = enrolled `{ $name }`; on the device run:
admin-revoked = revoked `{ $name }`
admin-rescoped = rescoped `{ $name }`; its token stays valid, its open sessions end, and at its next sync the server tells it its new regions (it then fetches what they add and sheds what it may no longer hold)
admin-device-name = name
admin-device-role = role
admin-device-scope = scope
admin-device-enrolled = enrolled
admin-device-state = state
admin-device-active = active
admin-device-revoked = revoked { $time }
admin-audit-moved = sent { $sent }, received { $received }
