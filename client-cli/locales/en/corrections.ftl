# What the correction commands print, and how `balai show` marks corrected entries, in English.
# Every key is also in ../id/corrections.ftl with the same variables. Keys and numbers are
# printed as they are.

correction-unchanged = nothing changed: the record already says that

## balai minutes attendee-… / training participant-…

correction-attendee-corrected = corrected attendee { $key }
correction-attendee-removed = removed attendee { $key }; `balai show` lists them under "Removed", and `balai minutes attend` records them again
correction-participant-corrected = corrected participant { $key }
correction-participant-removed = removed participant { $key }; their check-ins are kept but not counted. `balai show` lists them under "Removed"; enrolling or checking them in again restores them

## balai minutes agenda-… / decision-… (numbered as `balai show` lists them)

correction-agenda-edited = changed agenda item { $number }
correction-agenda-removed = removed agenda item { $number }; `balai show` lists it under "Removed", numbered for `balai minutes agenda-restore`
correction-agenda-restored = restored removed agenda item { $number }
correction-decision-edited = changed decision { $number }
correction-decision-removed = removed decision { $number }; `balai show` lists it under "Removed", numbered for `balai minutes decision-restore`
correction-decision-restored = restored removed decision { $number }

## balai minutes proposal-… / follow-up-… (by key)

correction-proposal-edited = changed proposal { $key }
correction-proposal-removed = removed proposal { $key }; `balai minutes proposal-restore` brings it back, with its supporters
correction-proposal-restored = restored proposal { $key }
correction-proposal-not-removed = proposal { $key } is not removed; nothing changed
correction-follow-up-edited = changed follow-up { $key }
correction-follow-up-removed = removed follow-up { $key }; `balai minutes follow-up-restore` brings it back
correction-follow-up-restored = restored follow-up { $key }
correction-follow-up-not-removed = follow-up { $key } is not removed; nothing changed

## balai training check-in-undo / session-…

correction-check-in-undone = undid the check-in of { $key } to session { $session }
correction-session-added = added session { $number } (filed as { $key }); check people in with --session { $number }
correction-session-date-set = session { $session } is now on { $date }

## balai archive / unarchive

correction-archived = archived { $id }: it stays on every device and keeps syncing, but cannot be changed until `balai unarchive`
correction-already-archived = { $id } was already archived; nothing changed
correction-unarchived = { $id } can be changed again
correction-not-archived = { $id } is not archived; nothing changed

## balai show: the archived state and removed entries

show-archived = Archived
show-archived-yes = yes: read-only until `balai unarchive`
show-archived-no = no
show-removed = Removed (kept in the record, not counted above)
show-removed-agenda = Agenda (restore with `balai minutes agenda-restore ID NUMBER`)
show-removed-decisions = Decisions (restore with `balai minutes decision-restore ID NUMBER`)
show-removed-proposals = Proposals (restore with `balai minutes proposal-restore ID KEY`)
show-removed-follow-ups = Follow-ups (restore with `balai minutes follow-up-restore ID KEY`)
show-removed-attendees = Attendees (recording them again restores them)
show-removed-participants = Participants (enrolling or checking them in again restores them)
show-removed-check-in = removed from the participants, not counted
show-concurrent-edits = ⚠ recorded on a device that had not seen the removal: { $edits }
show-concurrent-support = { $n ->
        [one] 1 more supporter
       *[other] { $n } more supporters
    }
show-concurrent-check-in = checked in to session { $session } by { $device }
show-lost-removal = removed on a device that had not seen it restored; it stays restored
