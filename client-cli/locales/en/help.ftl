# balai --help, in English. The about of the command at path `balai minutes new` is
# cmd-balai-minutes-new; the help of its argument `title` is arg-balai-minutes-new-title
# (argument ids with _ spelled -). A test checks that every command and argument has both.

help-help = Print help
help-version = Print version
help-subcommand = Print this message or the help of the given subcommand(s)
help-heading-usage = Usage
help-heading-commands = Commands
help-heading-arguments = Arguments
help-heading-options = Options
help-after =
    Language: --lang id|en, else BALAI_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG: id_* is
    Indonesian), else this device's setting (`balai lang`), else English. The help follows the
    same rule.

    Exit codes:
      0  success
      1  failure (anything not listed below: a document not found, a damaged store…)
      2  usage: a wrong flag or argument, or a value that is not valid whatever the data
         (a date, village code, document id, gender, choice, empty text, --count)
      3  the server cannot be reached, or the connection dropped: nothing is lost, try again later
      4  refused by the server: no token, an unknown or revoked token, or not allowed to do this

cmd-balai = Balai: record village forums and training attendance offline; sync when a signal comes.
arg-balai-home = The device's home directory (config and local store). Several homes = several devices.
arg-balai-lang = The language to speak: id (Bahasa Indonesia) or en (English).

cmd-balai-init = Set up this device: which server it syncs with, its token and its name.
arg-balai-init-server = The server URL, e.g. http://192.168.1.10:7420 or https://balai.example:7420
arg-balai-init-token = The token an admin issued for this device (`balai-server device add`).
arg-balai-init-device = A name for this device; defaults to the name the token was issued to.
arg-balai-init-ca = A private CA certificate to trust for https:// (from `balai-server cert self-signed`).
arg-balai-init-force = Re-point an existing home at another server, name or token (records are kept).

cmd-balai-minutes = Forum minutes (notulen musyawarah).
cmd-balai-minutes-new = Start new minutes; prints the new document id.
arg-balai-minutes-new-village = Village code (Kemendagri), e.g. 18.01.05.2001
arg-balai-minutes-new-title = The forum's title, e.g. "Musyawarah Dusun II".
arg-balai-minutes-new-date = The forum's date, YYYY-MM-DD.
arg-balai-minutes-new-place = Where it is held, e.g. "Balai Desa".
arg-balai-minutes-new-facilitator = Who facilitates it.
cmd-balai-minutes-attend = Record an attendee.
arg-balai-minutes-attend-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-attend-name = The attendee's name.
arg-balai-minutes-attend-gender = f (female, perempuan) or m (male, laki-laki)
arg-balai-minutes-attend-dusun = The attendee's hamlet (dusun).
arg-balai-minutes-attend-role = Group or role, e.g. "ketua RT", "kelompok tani", "pemuda".
cmd-balai-minutes-attendee-correct = Correct an attendee's name, gender or dusun; they keep their key, so nothing recorded about them is lost.
arg-balai-minutes-attendee-correct-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-attendee-correct-name = The attendee as recorded: their name, or their key as `balai show` lists it.
arg-balai-minutes-attendee-correct-dusun = The dusun they are recorded with, when two attendees share the name.
arg-balai-minutes-attendee-correct-new-name = The correct name.
arg-balai-minutes-attendee-correct-gender = The correct gender: f (female, perempuan) or m (male, laki-laki)
arg-balai-minutes-attendee-correct-new-dusun = The correct dusun.
cmd-balai-minutes-attendee-remove = Remove an attendee recorded by mistake (listed under "Removed"; recording them again restores them).
arg-balai-minutes-attendee-remove-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-attendee-remove-name = The attendee as recorded: their name, or their key as `balai show` lists it.
arg-balai-minutes-attendee-remove-dusun = The dusun they are recorded with, when two attendees share the name.
cmd-balai-minutes-note = Append a paragraph to the notes.
arg-balai-minutes-note-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-note-text = The paragraph.
cmd-balai-minutes-agenda = Add an agenda item.
arg-balai-minutes-agenda-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-agenda-text = The agenda item.
cmd-balai-minutes-agenda-edit = Change the text of an agenda item.
arg-balai-minutes-agenda-edit-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-agenda-edit-number = The item's number, as `balai show` lists the agenda.
arg-balai-minutes-agenda-edit-text = The new text.
cmd-balai-minutes-agenda-remove = Remove an agenda item (listed under "Removed"; agenda-restore brings it back).
arg-balai-minutes-agenda-remove-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-agenda-remove-number = The item's number, as `balai show` lists the agenda.
cmd-balai-minutes-agenda-restore = Bring back a removed agenda item to its place.
arg-balai-minutes-agenda-restore-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-agenda-restore-number = Its number under "Removed" in `balai show`.
cmd-balai-minutes-propose = Record an aspiration or proposal; prints its key.
arg-balai-minutes-propose-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-propose-text = The proposal.
arg-balai-minutes-propose-by = Who raised it.
arg-balai-minutes-propose-priority = high, medium or low
cmd-balai-minutes-support = Count supporters of a proposal (adds up across devices).
arg-balai-minutes-support-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-support-proposal = The proposal's key, as `balai minutes propose` printed it.
arg-balai-minutes-support-count = How many more supporters, 1 to 10000.
cmd-balai-minutes-proposal-edit = Change a proposal's text, who raised it or its priority (its supporters stay).
arg-balai-minutes-proposal-edit-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-proposal-edit-proposal = The proposal's key, as `balai show` lists it.
arg-balai-minutes-proposal-edit-text = The new text.
arg-balai-minutes-proposal-edit-by = Who raised it.
arg-balai-minutes-proposal-edit-priority = high, medium or low
cmd-balai-minutes-proposal-remove = Remove a proposal (listed under "Removed" with its supporters; proposal-restore brings it back).
arg-balai-minutes-proposal-remove-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-proposal-remove-proposal = The proposal's key, as `balai show` lists it.
cmd-balai-minutes-proposal-restore = Bring back a removed proposal, with its supporters.
arg-balai-minutes-proposal-restore-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-proposal-restore-proposal = The proposal's key, as `balai show` lists it under "Removed".
cmd-balai-minutes-decide = Record a decision.
arg-balai-minutes-decide-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-decide-text = The decision.
cmd-balai-minutes-decision-edit = Change the text of a decision.
arg-balai-minutes-decision-edit-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-decision-edit-number = The decision's number, as `balai show` lists the decisions.
arg-balai-minutes-decision-edit-text = The new text.
cmd-balai-minutes-decision-remove = Remove a decision (listed under "Removed"; decision-restore brings it back).
arg-balai-minutes-decision-remove-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-decision-remove-number = The decision's number, as `balai show` lists the decisions.
cmd-balai-minutes-decision-restore = Bring back a removed decision to its place.
arg-balai-minutes-decision-restore-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-decision-restore-number = Its number under "Removed" in `balai show`.
cmd-balai-minutes-follow-up = Record a follow-up action; prints its key.
arg-balai-minutes-follow-up-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-follow-up-what = What is to be done.
arg-balai-minutes-follow-up-who = Who is responsible.
arg-balai-minutes-follow-up-due = By when, YYYY-MM-DD.
cmd-balai-minutes-follow-up-status = Set a follow-up's status: open, in-progress, done or dropped.
arg-balai-minutes-follow-up-status-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-follow-up-status-follow-up = The follow-up's key, as `balai minutes follow-up` printed it.
arg-balai-minutes-follow-up-status-status = open, in-progress, done or dropped
cmd-balai-minutes-follow-up-edit = Change a follow-up's action, who does it or its due date (its status changes with follow-up-status).
arg-balai-minutes-follow-up-edit-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-follow-up-edit-follow-up = The follow-up's key, as `balai show` lists it.
arg-balai-minutes-follow-up-edit-what = What is to be done.
arg-balai-minutes-follow-up-edit-who = Who is responsible.
arg-balai-minutes-follow-up-edit-due = By when, YYYY-MM-DD.
cmd-balai-minutes-follow-up-remove = Remove a follow-up (listed under "Removed"; follow-up-restore brings it back).
arg-balai-minutes-follow-up-remove-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-follow-up-remove-follow-up = The follow-up's key, as `balai show` lists it.
cmd-balai-minutes-follow-up-restore = Bring back a removed follow-up.
arg-balai-minutes-follow-up-restore-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-follow-up-restore-follow-up = The follow-up's key, as `balai show` lists it under "Removed".
cmd-balai-minutes-set = Change fields of the minutes.
arg-balai-minutes-set-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-set-title = A new title.
arg-balai-minutes-set-date = A new date, YYYY-MM-DD.
arg-balai-minutes-set-place = A new place.
arg-balai-minutes-set-facilitator = A new facilitator.
arg-balai-minutes-set-status = draft or final

cmd-balai-training = Trainings (pelatihan) and their attendance.
cmd-balai-training-new = Start a new training; prints the new document id.
arg-balai-training-new-village = Village code (Kemendagri), e.g. 18.01.05.2001
arg-balai-training-new-topic = The topic, e.g. "Budidaya cabai".
arg-balai-training-new-category = e.g. pertanian, kerajinan, usaha mikro
arg-balai-training-new-trainer = Who gives the training.
arg-balai-training-new-sessions = Session dates, comma-separated: 2026-12-01,2026-12-08
cmd-balai-training-enroll = Enroll a participant.
arg-balai-training-enroll-id = The training's id (its last few characters are enough).
arg-balai-training-enroll-name = The participant's name.
arg-balai-training-enroll-gender = f (female, perempuan) or m (male, laki-laki)
arg-balai-training-enroll-dusun = The participant's hamlet (dusun).
cmd-balai-training-participant-correct = Correct a participant's name, gender or dusun; they keep their key, so their check-ins follow.
arg-balai-training-participant-correct-id = The training's id (its last few characters are enough).
arg-balai-training-participant-correct-name = The participant as recorded: their name, or their key as `balai show` lists it.
arg-balai-training-participant-correct-dusun = The dusun they are recorded with, when two participants share the name.
arg-balai-training-participant-correct-new-name = The correct name.
arg-balai-training-participant-correct-gender = The correct gender: f (female, perempuan) or m (male, laki-laki)
arg-balai-training-participant-correct-new-dusun = The correct dusun.
cmd-balai-training-participant-remove = Remove a participant enrolled by mistake, with their check-ins (listed under "Removed"; enrolling or checking them in again restores them).
arg-balai-training-participant-remove-id = The training's id (its last few characters are enough).
arg-balai-training-participant-remove-name = The participant as recorded: their name, or their key as `balai show` lists it.
arg-balai-training-participant-remove-dusun = The dusun they are recorded with, when two participants share the name.
cmd-balai-training-check-in = Check a person in to a session (enrolls walk-ins).
arg-balai-training-check-in-id = The training's id (its last few characters are enough).
arg-balai-training-check-in-session = Session number, from 1.
arg-balai-training-check-in-name = The participant's name.
arg-balai-training-check-in-dusun = Needed when two participants share a name.
cmd-balai-training-check-in-undo = Undo a check-in made by mistake.
arg-balai-training-check-in-undo-id = The training's id (its last few characters are enough).
arg-balai-training-check-in-undo-session = Session number, from 1.
arg-balai-training-check-in-undo-name = The participant's name, or their key as `balai show` lists it.
arg-balai-training-check-in-undo-dusun = Needed when two participants share a name.
cmd-balai-training-session-add = Add a session to the training.
arg-balai-training-session-add-id = The training's id (its last few characters are enough).
arg-balai-training-session-add-date = The session's date, YYYY-MM-DD.
cmd-balai-training-session-date = Change the date of a session.
arg-balai-training-session-date-id = The training's id (its last few characters are enough).
arg-balai-training-session-date-session = Session number, from 1, as `balai show` lists the sessions.
arg-balai-training-session-date-date = The new date, YYYY-MM-DD.

cmd-balai-list = List the documents on this device.
arg-balai-list-village = Only documents under this region prefix, e.g. 18.01.05 or 18.01.05.2001.
arg-balai-list-json = Print JSON (for scripts).

cmd-balai-show = Show one document in full.
arg-balai-show-id = The document's id, or its last few characters.
arg-balai-show-json = Print JSON: every field, attendees, notes, sessions (for scripts).

cmd-balai-sync = Sync with the server: send what this device recorded, receive what others did.
arg-balai-sync-json = Print the report as JSON (counters for scripts).
arg-balai-sync-max-attempts = Attempts in all before giving up when the connection fails or drops (1 = no retry).
arg-balai-sync-deadline = Give up when no attempt has succeeded after this many seconds.
arg-balai-sync-retry-base-ms = The first retry waits up to this many milliseconds, doubling each time (max 60 s).
arg-balai-sync-no-compression = Send and accept uncompressed messages (gzip is on by default).

cmd-balai-status = What this device has not yet synced, and when the last sync succeeded.
arg-balai-status-json = Print JSON (for scripts).

cmd-balai-lang = Show the language balai speaks and why, or set it for this device.
arg-balai-lang-setting = id (Bahasa Indonesia), en (English), or auto (follow BALAI_LANG or the locale).

cmd-balai-admin = Administer the server (needs a home initialised with an admin token).
cmd-balai-admin-device = Enroll, list, rescope and revoke devices (only those inside this admin's regions).
cmd-balai-admin-device-add = Enroll a device; prints its token (shown once).
arg-balai-admin-device-add-name = The device's name, e.g. hp-ani.
arg-balai-admin-device-add-role = facilitator, server or admin
arg-balai-admin-device-add-scope = Region prefixes, comma-separated, e.g. 18.01.05 or 18.01.05.2001,18.01.05.2002
cmd-balai-admin-device-list = List enrolled devices.
arg-balai-admin-device-list-json = Print JSON (for scripts).
cmd-balai-admin-device-revoke = Revoke a device; its token stops working at once, open sessions included.
arg-balai-admin-device-revoke-name = The device's name.
cmd-balai-admin-device-rescope = Replace a device's region prefixes; its token stays valid, the server applies them from the device's next sync.
arg-balai-admin-device-rescope-name = The device's name.
arg-balai-admin-device-rescope-scope = The new region prefixes, comma-separated, e.g. 18.01.05 or 18.01.05.2001,18.01.05.2002
arg-balai-admin-device-rescope-json = Print the device as JSON (for scripts).
cmd-balai-admin-audit = Show the server's audit log: enrollments, revocations, sync sessions, refused requests.
arg-balai-admin-audit-device = Only entries of this device.
arg-balai-admin-audit-since = Only entries at or after this time (RFC 3339, e.g. 2026-11-29T08:00:00Z).
arg-balai-admin-audit-limit = At most this many entries.
arg-balai-admin-audit-json = Print JSON (for scripts).
cmd-balai-admin-status = Who syncs and who does not: each device's last sync and last failure, each village's documents, and the server's upstream link (what it has not yet acknowledged).
arg-balai-admin-status-stale-days = Flag devices whose last successful sync is older than this many days.
arg-balai-admin-status-json = Print JSON (for scripts).
cmd-balai-admin-sync-now = Make the server replicate with its upstream now; waits and says what moved or why not.
arg-balai-admin-sync-now-json = Print JSON (for scripts).
cmd-balai-admin-resync = Make the server forget a device's checkpoints and sync states, so its next sync re-diffs every document (a recovery tool; no record is deleted).
arg-balai-admin-resync-name = The device's name.
arg-balai-admin-resync-json = Print JSON (for scripts).

cmd-balai-export = Write the documents on this device as CSV, Excel, JSON or raw automerge files.
arg-balai-export-format = csv (a folder of tables, or a ZIP when --out ends in .zip), xlsx, json or automerge
arg-balai-export-village = Only documents under this region prefix, e.g. 18.01.05 or 18.01.05.2001.
arg-balai-export-out = Where to write: a file (xlsx, json, csv ending in .zip) or a folder (csv, automerge).
arg-balai-export-force = Replace what is at --out (only a file, or a folder an export wrote).
arg-balai-export-json = Print what was written as JSON.
cmd-balai-archive = Archive a record (minutes or a training): it stays and keeps syncing, but cannot be changed, and reports leave it out.
arg-balai-archive-id = The document's id, or its last few characters.
cmd-balai-unarchive = Make an archived record editable again.
arg-balai-unarchive-id = The document's id, or its last few characters.

## balai history, completions, man

cmd-balai-history = Who changed a document, what and when, from its own change history (device names, not actor ids).
arg-balai-history-id = The document id, or its last few characters.
arg-balai-history-all = Also list the changes that only named a device in the document.
arg-balai-history-json = Print the changes as JSON (hash, actor, device, time, message).
cmd-balai-completions = Print a shell completion script, e.g. `balai completions bash > /etc/bash_completion.d/balai`.
arg-balai-completions-shell = bash, zsh, fish, elvish or powershell
cmd-balai-man = Print the man page, or write one page per command to a folder.
arg-balai-man-out = Write `balai.1`, `balai-sync.1`, … to this folder (read with `man -M DIR balai`).

## balai report

cmd-balai-report = Reports from the records on this device: who took part, and who was left out. A table by default; --csv for a spreadsheet, --json for scripts.
cmd-balai-report-attendance = Training attendance: per training and session, who was enrolled and who came, by gender and dusun, and who missed every session held.
arg-balai-report-attendance-village = Only villages under this region prefix, e.g. 18.01.05 or 18.01.05.2001.
arg-balai-report-attendance-from = Start of the period, YYYY-MM-DD (included).
arg-balai-report-attendance-to = End of the period, YYYY-MM-DD (included).
arg-balai-report-attendance-today = The day the report is as of, YYYY-MM-DD (default: today on this computer). It decides what is held, missed and overdue; give it to make the same report again later.
arg-balai-report-attendance-csv = Print one table as CSV for a spreadsheet (save it with > file.csv). Which one: --table. A cell starting with = + - @ gets a leading ' so that a spreadsheet cannot run it as a formula.
arg-balai-report-attendance-json = Print the whole report as JSON, with language-neutral keys and values (for scripts).
arg-balai-report-attendance-table = The table --csv prints: trainings (per training and group), sessions (per session and group, dusun included) or missed (who missed every session held). Default: trainings.
cmd-balai-report-forums = Forum participation: per village and forum, attendees by gender, dusun and role, the dusun absent, the women's check, proposals, decisions and follow-ups.
arg-balai-report-forums-village = Only villages under this region prefix, e.g. 18.01.05 or 18.01.05.2001.
arg-balai-report-forums-from = Start of the period, YYYY-MM-DD (included).
arg-balai-report-forums-to = End of the period, YYYY-MM-DD (included).
arg-balai-report-forums-today = The day the report is as of, YYYY-MM-DD (default: today on this computer). It decides what is held, missed and overdue; give it to make the same report again later.
arg-balai-report-forums-csv = Print one table as CSV for a spreadsheet (save it with > file.csv). Which one: --table. A cell starting with = + - @ gets a leading ' so that a spreadsheet cannot run it as a formula.
arg-balai-report-forums-json = Print the whole report as JSON, with language-neutral keys and values (for scripts).
arg-balai-report-forums-table = The table --csv prints: forums (one row per forum), villages, participation (per forum and dusun or role), proposals or pending_follow_ups. Default: forums.
arg-balai-report-forums-min-women-share = The women's check: women should be at least this percent of all attendees.
cmd-balai-report-district = District summary: per village, forums and trainings held, attendance by gender, the women's share, dusun reached, follow-ups, and the villages with no recent forum.
arg-balai-report-district-village = Only villages under this region prefix, e.g. 18.01.05 or 18.01.05.2001.
arg-balai-report-district-from = Start of the period, YYYY-MM-DD (included).
arg-balai-report-district-to = End of the period, YYYY-MM-DD (included).
arg-balai-report-district-today = The day the report is as of, YYYY-MM-DD (default: today on this computer). It decides what is held, missed and overdue; give it to make the same report again later.
arg-balai-report-district-csv = Print the table, one row per village, as CSV for a spreadsheet (save it with > file.csv). A cell starting with = + - @ gets a leading ' so that a spreadsheet cannot run it as a formula.
arg-balai-report-district-json = Print the whole report as JSON, with language-neutral keys and values (for scripts).
arg-balai-report-district-stale-months = Flag a village that held no forum in this many months before --today.
arg-balai-report-district-html = Write the report instead as one HTML page with charts, to this file; it opens offline in any browser.
arg-balai-report-district-force = Replace the file --html names if it exists.
cmd-balai-report-activity = Recording activity: documents created and edits made per device and ISO week, from the documents' change history, with device names.
arg-balai-report-activity-village = Only villages under this region prefix, e.g. 18.01.05 or 18.01.05.2001.
arg-balai-report-activity-from = Start of the period, YYYY-MM-DD (included).
arg-balai-report-activity-to = End of the period, YYYY-MM-DD (included).
arg-balai-report-activity-today = The day the report is as of, YYYY-MM-DD (default: today on this computer); changes dated after it are flagged as from a clock ahead.
arg-balai-report-activity-csv = Print one table as CSV for a spreadsheet (save it with > file.csv). Which one: --table. A cell starting with = + - @ gets a leading ' so that a spreadsheet cannot run it as a formula.
arg-balai-report-activity-json = Print the whole report as JSON, with language-neutral keys and values (for scripts).
arg-balai-report-activity-table = The table --csv prints: weeks (per device and week) or devices (per device). Default: weeks.
