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
