# `balai report …`: labels of the reports and of the HTML district report, in English. Every key
# is also in ../id/report.ftl with the same variables.

## Shared labels

report-women = women
report-men = men
report-gender-not-recorded = gender not recorded
report-dusun-not-recorded = dusun not recorded

## balai report district --html

html-title = District report, as of { $today }
html-scope = Region: { $region }. A village is flagged stale with no forum since { $stale }.
html-scope-all = all villages on this device
html-summary = Villages
html-col-village = Village
html-col-forums = Forums
html-col-trainings = Trainings
html-col-attendance = Attendance
html-col-women-share = Women
html-col-dusun-coverage = Dusun reached
html-col-follow-ups = Follow-ups
html-col-last-activity = Last activity
html-col-forum = Forum
html-col-what = What
html-col-who = Who
html-col-due = Due
html-stale = no recent forum
html-follow-ups-cell = { $pending } pending, { $overdue } overdue
html-h-attendance = Attendance by gender
html-h-dusun = Forum attendance by dusun
html-h-coverage = Dusun coverage
html-h-follow-ups = Follow-ups
html-h-not-reached = Dusun nobody came from
html-h-overdue = Overdue follow-ups
html-chart-attendance-gender = Forum attendance and training check-ins, per village
html-chart-attendance-dusun = Forum attendees per dusun (an empty row: nobody came)
html-chart-coverage = Known dusun reached, per village
html-chart-follow-ups = Pending follow-ups, per village
html-unit-people = people
html-unit-dusun = dusun
html-unit-follow-ups = follow-ups
html-dusun-reached = reached
html-dusun-not-reached = not reached
html-follow-ups-overdue = overdue
html-follow-ups-pending-not-overdue = pending, not yet due

## balai report … in the terminal

report-heading = { $title } · as of { $today } · { $region } · { $period }
report-region-all = all villages on this device
report-region = region { $prefix }
report-period-all = all dates
report-period-from = from { $from }
report-period-to = up to { $to }
report-period-between = { $from } to { $to }
report-legend-gender = F = women, M = men; "not recorded": no gender was recorded, so counted as neither. F/(F+M): women among those whose gender was recorded.
report-legend-ratio = Every percentage shows its counts: 40% (4/10) is 4 of 10, rounded to a whole percent. ⚠ marks what needs attention.
report-col-not-recorded = not recorded
report-col-attention = Attention
report-col-date = Date
report-col-total = Total
report-col-pending = Follow-ups pending
report-col-overdue = Follow-ups overdue
report-upcoming-date = { $date } (upcoming)
report-villages-none = No village has records in this region on this device.

report-excluded-heading = Left out of this report because it could not be read ({ $n }):
report-excluded-part = { $id }, { $field }
report-excluded-not-created = only announced so far; its content has not arrived (sync again)
report-excluded-newer-schema = written by a newer Balai; upgrade balai to read it
report-excluded-kind-mismatch = its content is of another kind than its id says
report-excluded-damaged = damaged; it cannot be read
report-excluded-bad-date = not a valid date
report-excluded-archived = archived

## balai report attendance

report-attendance-title = Training attendance
report-attendance-none = No training has a session in this period.
report-training-heading = { $topic } · village { $village } · { $id }
report-sessions-held = { $held ->
        [one] 1 session held
       *[other] { $held } sessions held
    }{ $upcoming ->
        [0] {""}
       *[other] , { $upcoming } upcoming (not counted yet)
    }.
report-attendance-by-group = Over the sessions held, by group:
report-attendance-by-session = Per session:
report-group-all = Everyone
report-col-group = Group
report-col-enrolled = Enrolled
report-col-reached = Came at least once
report-col-check-ins = Check-ins
report-col-walk-ins = Walk-ins
report-col-session = Session
report-col-present = Present
report-flag-nobody-from-dusun = nobody from this dusun
report-flag-no-enrolled-came = none of those enrolled came
report-missed-none = Every enrolled person came to at least one session held.
report-missed = Enrolled, but at none of the sessions held ({ $n }):
report-attendance-legend = Check-ins: check-ins of enrolled people, of (enrolled × sessions held). Present: enrolled people checked in, of those enrolled. Walk-ins came without being enrolled: counted, but outside every rate.

## balai report forums

report-forums-title = Forum participation
report-women-check-rule = Women's check: women are at least { $min }% of all attendees; "undetermined": too many genders not recorded to tell.
report-village-heading = Village { $village } · known dusun: { $dusun }
report-forums-none = No forum in this period.
report-every-dusun-reached = Every known dusun had someone at a forum held.
report-dusun-not-reached = Nobody came to any forum held from: { $dusun }
report-col-forum = Forum
report-col-women-share = F/(F+M)
report-col-women-check = F ≥ { $min }% of all
report-col-dusun-absent = Dusun absent
report-check-met = met
report-check-below = below { $min }%
report-check-undetermined = undetermined
report-row-held-forums = Forums held
report-upcoming = upcoming, not counted yet
report-forum-heading = { $title } ({ $about }) · { $id }
report-col-dusun-or-role = Dusun / role
report-dusun = dusun: { $dusun }
report-dusun-absent = dusun: { $dusun }, nobody came
report-role = role: { $role }
report-role-not-recorded = role not recorded
report-proposals = Proposals, most supported first:
report-proposals-none = No proposals.
report-col-support = Support
report-col-proposal = Proposal
report-col-raised-by = Raised by
report-col-priority = Priority
report-decisions = Decisions:
report-decisions-none = No decisions.
report-follow-up-counts = Follow-ups: { $open } open, { $in_progress } in progress, { $done } done, { $dropped } dropped{ $unrecognised ->
        [0] {""}
       *[other] , { $unrecognised } with an unknown status
    }.
report-col-due = Due
report-col-what = What
report-col-who = Who
report-col-state = Status
report-overdue-date = { $date }, overdue
report-follow-up-unrecognised = unknown status

## balai report district

report-district-title = District summary
report-stale-rule = A village's last forum is flagged when it held none in the last { $months ->
        [one] month
       *[other] { $months } months
    } (since { $since }).
report-col-village = Village
report-col-forums = Forums
report-col-trainings = Trainings
report-col-sessions = Sessions
report-col-dusun-reached = Dusun reached
report-col-last-forum = Last forum
report-col-last-activity = Last activity
report-row-total = Total ({ $n ->
        [one] 1 village
       *[other] { $n } villages
    })
report-stale-villages = No forum since { $since } in: { $villages }
report-dusun-not-reached-heading = Dusun nobody came from, to any forum or session held:
report-district-legend = F, M, not recorded and Total count forum attendances plus training check-ins (walk-ins included): someone at two forums counts twice. Dusun reached: known dusun with someone at a forum or session held.

## balai report activity

report-activity-title = Recording activity per device
report-time-zone = Days and weeks are in this computer's time zone: { $zone }.
report-activity-none = No changes in this period.
report-activity-weeks = Per ISO week:
report-activity-devices = Per device:
report-col-device = Device
report-col-week = Week
report-col-week-start = Monday
report-col-records = Records
report-col-edits = Edits
report-col-documents = Documents
report-col-first-day = First day
report-col-last-day = Last day
report-flag-after-today = { $n ->
        [one] 1 change
       *[other] { $n } changes
    } dated after today: is the clock ahead?
report-flag-undated = { $n ->
        [one] 1 change
       *[other] { $n } changes
    } without a time, counted nowhere else
report-activity-legend = Records: documents the device created. Edits: every other change it made (naming itself in a document does not count). Documents: distinct documents it changed. Devices are named as they signed their documents; one that has not signed any shows the start of its actor id.

## balai report: what the command prints and its errors

report-html-written = Wrote the district report to { $path }.
report-err-reversed = the period starts on { $from }, after it ends on { $to }; check --from and --to
report-err-html-exists = { $path } already exists; choose another file, or add --force to replace it
report-err-html-directory = { $path } is a folder; --html needs a file name, e.g. { $path }/district.html
report-err-html-write = cannot write { $path }
report-err-html-chart = cannot draw the charts of the HTML report
