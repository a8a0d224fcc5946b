-- The projection of a Balai server's documents (balai-sink). One row per document in `documents`;
-- its parts in child tables keyed by (doc_id, natural key). A document is re-projected whole:
-- its `documents` row is deleted (the children go with it, ON DELETE CASCADE) and written again,
-- so a removed attendee or an undone check-in disappears. Removed entries are never rows.
-- Columns named *_key, *_group, `state`, `walk_in` and `excluded` carry the facts the reports'
-- definitions rest on (ARCHITECTURE.md, "Reports"), computed by balai-shared's report::rows.

-- How far each source (a server's store id, hex) has been projected: its change-feed seq. Written
-- in the same transaction as the rows it covers.
CREATE TABLE sink_checkpoint (
    source      text PRIMARY KEY,
    feed_seq    bigint NOT NULL,
    -- The server's name when it last wrote, for people reading this table.
    server_name text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE documents (
    doc_id     text PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('minutes', 'training')),
    -- The village code and the district, regency and province it lies in (from the document id).
    village    text NOT NULL,
    district   text NOT NULL,
    regency    text NOT NULL,
    province   text NOT NULL,
    -- Minutes' title, a training's topic (NULL: the document cannot be read, see `excluded`).
    title      text,
    -- A forum's date; a training's earliest session date. NULL when not a valid date.
    date       date,
    -- Minutes' status (draft, final…).
    status     text,
    -- A training's category.
    category   text,
    archived   boolean NOT NULL,
    -- Why the reports leave the whole document out: not_created, newer_schema, kind_mismatch,
    -- damaged, bad_date (a forum's date), archived. NULL: the reports read it.
    excluded   text,
    -- The latest change's time by its author's clock (a device's clock may be wrong).
    updated_at timestamptz,
    -- The automerge heads projected (hex), so a reader can tell which version this is.
    heads      text[] NOT NULL,
    -- Which source wrote the row, at which of its feed seqs.
    source     text NOT NULL,
    feed_seq   bigint NOT NULL,
    -- The document as `balai show --json` gives it.
    view       jsonb
);
CREATE INDEX documents_village ON documents (village, kind);
CREATE INDEX documents_district ON documents (district);
CREATE INDEX documents_regency ON documents (regency);
CREATE INDEX documents_province ON documents (province);
CREATE INDEX documents_kind_date ON documents (kind, date);

CREATE TABLE attendees (
    doc_id       text NOT NULL REFERENCES documents ON DELETE CASCADE,
    person_key   text NOT NULL,
    name         text NOT NULL,
    -- As recorded (f, m); gender_group: women, men, not_recorded.
    gender       text,
    gender_group text NOT NULL,
    dusun        text,
    -- Folded as the reports compare names; NULL when not recorded.
    dusun_key    text,
    role         text,
    role_key     text,
    PRIMARY KEY (doc_id, person_key)
);

CREATE TABLE participants (
    doc_id       text NOT NULL REFERENCES documents ON DELETE CASCADE,
    person_key   text NOT NULL,
    name         text NOT NULL,
    gender       text,
    gender_group text NOT NULL,
    dusun        text,
    dusun_key    text,
    -- Enrolled by their own check-in: present, but outside the attendance rate.
    walk_in      boolean NOT NULL,
    PRIMARY KEY (doc_id, person_key)
);

CREATE TABLE sessions (
    doc_id      text NOT NULL REFERENCES documents ON DELETE CASCADE,
    number      integer NOT NULL,
    session_key text NOT NULL,
    -- NULL when the recorded text (date_text) is not a valid date.
    date        date,
    date_text   text NOT NULL,
    -- People checked in, walk-ins included.
    present     integer NOT NULL,
    PRIMARY KEY (doc_id, number)
);

CREATE TABLE check_ins (
    doc_id        text NOT NULL REFERENCES documents ON DELETE CASCADE,
    session       integer NOT NULL,
    person_key    text NOT NULL,
    name          text NOT NULL,
    checked_in_by text NOT NULL,
    PRIMARY KEY (doc_id, session, person_key)
);

CREATE TABLE agenda_items (
    doc_id   text NOT NULL REFERENCES documents ON DELETE CASCADE,
    position integer NOT NULL,
    text     text NOT NULL,
    PRIMARY KEY (doc_id, position)
);

CREATE TABLE proposals (
    doc_id       text NOT NULL REFERENCES documents ON DELETE CASCADE,
    proposal_key text NOT NULL,
    text         text NOT NULL,
    raised_by    text,
    priority     text,
    support      bigint NOT NULL,
    PRIMARY KEY (doc_id, proposal_key)
);

CREATE TABLE decisions (
    doc_id   text NOT NULL REFERENCES documents ON DELETE CASCADE,
    position integer NOT NULL,
    text     text NOT NULL,
    PRIMARY KEY (doc_id, position)
);

CREATE TABLE follow_ups (
    doc_id        text NOT NULL REFERENCES documents ON DELETE CASCADE,
    follow_up_key text NOT NULL,
    what          text NOT NULL,
    who           text,
    -- NULL when not set or not a valid date (due_text keeps what was recorded).
    due           date,
    due_text      text,
    status        text,
    -- open, in_progress, done, dropped, unrecognised.
    state         text NOT NULL,
    PRIMARY KEY (doc_id, follow_up_key)
);

-- Every automerge change but the devices' signatures: the activity figures.
CREATE TABLE changes (
    doc_id text NOT NULL REFERENCES documents ON DELETE CASCADE,
    hash   text NOT NULL,
    -- The device's automerge actor (hex).
    actor  text NOT NULL,
    -- By the device's clock; NULL when not given.
    at     timestamptz,
    -- The change created the document (a record); otherwise it is an edit.
    record boolean NOT NULL,
    PRIMARY KEY (doc_id, hash)
);
CREATE INDEX changes_actor_at ON changes (actor, at);
