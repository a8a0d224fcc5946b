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
cmd-balai-minutes-note = Append a paragraph to the notes.
arg-balai-minutes-note-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-note-text = The paragraph.
cmd-balai-minutes-agenda = Add an agenda item.
arg-balai-minutes-agenda-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-agenda-text = The agenda item.
cmd-balai-minutes-propose = Record an aspiration or proposal; prints its key.
arg-balai-minutes-propose-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-propose-text = The proposal.
arg-balai-minutes-propose-by = Who raised it.
arg-balai-minutes-propose-priority = high, medium or low
cmd-balai-minutes-support = Count supporters of a proposal (adds up across devices).
arg-balai-minutes-support-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-support-proposal = The proposal's key, as `balai minutes propose` printed it.
arg-balai-minutes-support-count = How many more supporters, 1 to 10000.
cmd-balai-minutes-decide = Record a decision.
arg-balai-minutes-decide-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-decide-text = The decision.
cmd-balai-minutes-follow-up = Record a follow-up action; prints its key.
arg-balai-minutes-follow-up-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-follow-up-what = What is to be done.
arg-balai-minutes-follow-up-who = Who is responsible.
arg-balai-minutes-follow-up-due = By when, YYYY-MM-DD.
cmd-balai-minutes-follow-up-status = Set a follow-up's status: open, in-progress, done or dropped.
arg-balai-minutes-follow-up-status-id = The minutes' id (its last few characters are enough).
arg-balai-minutes-follow-up-status-follow-up = The follow-up's key, as `balai minutes follow-up` printed it.
arg-balai-minutes-follow-up-status-status = open, in-progress, done or dropped
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
cmd-balai-training-check-in = Check a person in to a session (enrolls walk-ins).
arg-balai-training-check-in-id = The training's id (its last few characters are enough).
arg-balai-training-check-in-session = Session number, from 1.
arg-balai-training-check-in-name = The participant's name.
arg-balai-training-check-in-dusun = Needed when two participants share a name.

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

## balai history, completions, man

cmd-balai-history = Who changed a document, what and when, from its own change history (device names, not actor ids).
arg-balai-history-id = The document id, or its last few characters.
arg-balai-history-all = Also list the changes that only named a device in the document.
arg-balai-history-json = Print the changes as JSON (hash, actor, device, time, message).
cmd-balai-completions = Print a shell completion script, e.g. `balai completions bash > /etc/bash_completion.d/balai`.
arg-balai-completions-shell = bash, zsh, fish, elvish or powershell
cmd-balai-man = Print the man page, or write one page per command to a folder.
arg-balai-man-out = Write `balai.1`, `balai-sync.1`, … to this folder (read with `man -M DIR balai`).
