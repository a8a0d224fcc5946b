# Errors, in English: balai's own, and those of the libraries it uses, variant by variant (see
# src/i18n/describe.rs). Details that the libraries only have as text (a reason the server or
# the network gave) arrive in $reason or $detail and are shown as they are.

## balai's own

err-runtime = cannot start the async runtime
err-no-document-to-edit = no document { $id } on this device (see `balai list`; sync to fetch others' records)
err-no-document-to-show = no document { $id } on this device (run `balai sync` to fetch it)
err-count-range = --count must be between { $min } and { $max }
err-nothing-to-set = nothing to set: give at least one of --title, --date, --place, --facilitator, --status
err-shed-failed = the sync completed, but checking the records outside this device's regions failed; they are all still here
err-upstream-failed = upstream sync failed: { $reason }

## The device home (balai.toml and the local store)

err-home-need-device = give --device NAME (or a --token, which carries the enrolled name)
err-home-device-name-length = the device name must be 1 to 64 characters
err-home-cannot-read-ca = cannot read CA file { $path }
err-home-not-pem = { $path } is not a PEM certificate
err-home-cannot-create = cannot create { $dir }
err-home-already-set-up = { $dir } is already set up as device `{ $device }` for { $server }; use --force to change its server, name or token (records stay)
err-home-missing = no balai home at { $dir } — run `balai init --server URL --device NAME` first (or set BALAI_HOME / --home)
err-home-cannot-open-store = cannot open the local store in { $dir }
err-home-outside-regions = village { $village } is outside this device's regions ({ $scopes }); it could never be synced. Ask an admin to widen the device's scope
err-home-id-too-short = `{ $typed }` is too short to name a document: give at least 4 characters of its id
err-home-id-no-match = no document here matches `{ $typed }` (see `balai list`)
err-home-id-ambiguous = `{ $typed }` matches { $n } documents; give more of the id (see `balai list`)
err-home-cannot-read = cannot read { $path }
err-home-bad-config = { $path } is not a valid balai config
err-home-cannot-write = cannot write { $path }
err-home-cannot-restrict = cannot restrict the permissions of { $path }
err-home-bad-url = `{ $url }` is not a server URL: use http://HOST:PORT, e.g. http://192.168.1.10:7420
err-home-bad-actor = the actor id in balai.toml is not hex

## Syncing and the server (balai_net)

err-gave-up = gave up after { $attempts ->
        [one] 1 attempt
       *[other] { $attempts } attempts
    } in { $secs }s: { $reason }
err-bad-url = `{ $url }` is not a valid server address: { $reason }
err-unreachable = cannot reach the server at { $url }: { $reason }. Check the signal and that balai-server is running there; your records are safe on this device and will sync next time
err-refused = the server refused the request: { $reason }
err-unauthenticated = the server does not accept this device's token: { $reason }
err-bad-token = the stored token is unusable: { $reason }; run `balai init --force --token …` with a new one
err-certificate = cannot reach the server at { $url } securely: { $reason }. If it uses a private CA, give its certificate: `balai init --force --server { $url } --ca ca.pem`
err-wrong-protocol = { $detail }
err-interrupted = the connection dropped mid-sync ({ $reason }); what was already acknowledged is kept — run `balai sync` again to finish
err-engine = sync failed here: { $reason }
err-protocol-version = peer speaks sync protocol { $theirs }, this build speaks { $ours }: upgrade the older side
err-protocol = protocol violation: { $detail }
err-out-of-scope = document { $doc } is outside the regions this peer may access ({ $scope })
err-bad-message = bad sync message for { $doc }: { $reason }
err-doc-refused = document { $doc } refused: { $reason }
err-self-sync = a store cannot sync with itself

## Records (balai_shared::model)

err-empty = { $field } must not be empty
err-control-character = { $field } holds a control character (U+{ $code }); type plain text (a note may hold line breaks)
err-too-long = { $field } is too long ({ $len } characters, at most { $max })
err-bad-date = { $field }: `{ $value }` is not a valid date; use YYYY-MM-DD, e.g. 2026-11-29
err-bad-gender = `{ $value }` is not a gender: use `f` (female, perempuan) or `m` (male, laki-laki)
err-bad-choice = `{ $value }` is not a valid { $field }; expected one of: { $expected }
err-wrong-kind = this document is of kind { $found }, not { $expected }
err-kind-mismatch = document { $id } is of kind { $id_kind } according to its id, but its content says kind `{ $content_kind }`: it was written by a faulty or hostile device and is not shown
err-newer-schema = this document has schema version { $found }, newer than this build of balai understands: upgrade balai
err-not-created = the document is empty or was never created (it may still be on its way from another device)
err-not-found = { $what } `{ $key }` does not exist in this document
err-no-such-session = session { $session } does not exist: this training has { $count ->
        [one] only session 1
       *[other] sessions 1 to { $count }
    }
err-ambiguous-person = { $count } people named `{ $name }` are recorded ({ $keys }); add --dusun to say which one
err-damaged-document = document data is damaged: { $detail }
err-no-such-person = no { $what } `{ $who }` in { $place }: name them as recorded (name, and dusun if there are two), or by key; { $known }
err-removed = { $what } `{ $key }` was removed from { $place }: { $restore } to bring them back
err-person-exists = `{ $name }` is already recorded as `{ $key }`: if they are the same person, remove one of the two entries instead
err-no-such-item = there is no { $what } { $number } in { $place } (there are { $count }, numbered from 1 in the order the document lists them)
err-removed-item = { $what } `{ $key }` was removed: restore it first
err-nothing-to-change = nothing to change: give { $options }
err-not-checked-in = `{ $key }` is not checked in to session { $session }
err-too-many-sessions = a training has at most { $max } sessions
err-archived = this document is archived: unarchive it to change it

# The names of fields and items in these errors (field-NAME, spaces spelled -).
field-name = name
field-dusun = dusun
field-role = role
field-title = title
field-date = date
field-place = place
field-facilitator = facilitator
field-status = status
field-note = note
field-agenda-item = agenda item
field-decision = decision
field-proposal = proposal
field-raised-by = raised by
field-priority = priority
field-what = what
field-who = who
field-due = due
field-follow-up = follow-up
field-topic = topic
field-category = category
field-trainer = trainer
field-sessions = sessions
field-session-date = session date
field-attendee = attendee
field-participant = participant
field-removed-agenda-item = removed agenda item
field-removed-decision = removed decision

# Other fixed phrases inside these errors (place-…, restore-…, options-…).
place-these-minutes = these minutes
place-this-training = this training
restore-record-them-again-attend = record them again (attend)
restore-enroll-or-check-them-in-again = enroll or check them in again
options-a-new-text-raised-by-or-priority = a new text, raised-by or priority
options-a-new-what-who-or-due-date = a new what, who or due date
options-a-new-name-gender-or-dusun = a new name, gender or dusun

## Region codes and ids (balai_shared::region, balai_shared::ids)

err-region-empty = region code is empty
err-region-malformed = region code `{ $code }` is malformed: expected digits in the form PP.RR.DD.VVVV (province.regency.district.village, e.g. 18.01.05.2001)
err-region-not-a-village = `{ $code }` is a { $level } code, but a village code (PP.RR.DD.VVVV, e.g. 18.01.05.2001) is needed
level-province = province
level-regency = regency
level-district = district
level-village = village
err-id-malformed = `{ $id }` is not a document id: expected KIND/VILLAGE/ULID, e.g. minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B2C
err-id-unknown-kind = `{ $kind }` is not a document kind (expected `minutes` or `training`)
err-id-village = document id `{ $id }` has a bad village code: { $reason }
err-id-not-canonical = `{ $id }` is not a canonical document id: the ULID must be 26 uppercase Crockford base32 characters, at most 7ZZZZZZZZZZZZZZZZZZZZZZZZZ
err-store-id-length = a store id must be 16 bytes, got { $len }

## The local store (balai_shared::store)

err-store-locked = the store at { $path } is in use by another process (is another balai or balai-server running on it?)
err-store-db = storage error: { $detail }
err-store-corrupt = the store is damaged: { $detail }
err-store-newer = the store was written by a newer version of Balai (layout { $found }, this build knows { $known }); upgrade
err-store-document = document { $id } is damaged: { $detail }
err-store-id = bad id in store: { $reason }

## Files

err-io-not-found = no such file or directory
err-io-permission-denied = permission denied
