-- Strive state in PostgreSQL, schema version 1.
-- Applied by strive_state::postgres on start, inside a transaction, under an advisory lock.

-- One JSON section per loop (scheduler records are `<id>::sched`, the inbox is `::inbox`).
CREATE TABLE sections (
    loop_id    text PRIMARY KEY,
    value      jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Append-only run log. `origin`/`origin_seq` identify rows copied by `strive state migrate`
-- (source store, line number) so that a repeated migration copies nothing twice.
CREATE TABLE runlog (
    id          bigserial PRIMARY KEY,
    loop_id     text,
    row         jsonb NOT NULL,
    appended_at timestamptz NOT NULL DEFAULT now(),
    origin      text,
    origin_seq  bigint,
    UNIQUE (origin, origin_seq)
);
CREATE INDEX runlog_by_loop ON runlog (loop_id, id);

-- Append-only audit lines, per run.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    run_id      text NOT NULL,
    line        text NOT NULL,
    origin_seq  bigint,
    UNIQUE (run_id, origin_seq)
);
CREATE INDEX audit_by_run ON audit_log (run_id, id);

-- The work queue: one row per loop synced from a spec directory.
CREATE TABLE loops (
    loop_id          text PRIMARY KEY,
    spec             jsonb NOT NULL,
    priority         bigint NOT NULL DEFAULT 100,
    cadence          text,
    enabled          boolean NOT NULL DEFAULT true,
    stop_after       timestamptz,
    next_due         timestamptz,
    lease_owner      text,
    lease_token      bigint,
    lease_expires_at timestamptz,
    heartbeat_at     timestamptz,
    last_slot        timestamptz,
    last_result      text,
    synced_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX loops_due ON loops (priority, next_due, loop_id) WHERE enabled;

CREATE SEQUENCE lease_tokens;

-- One row per due slot of a loop: the unique key makes every slot complete at most once.
CREATE TABLE runs (
    loop_id     text NOT NULL,
    slot        timestamptz NOT NULL,
    worker_id   text NOT NULL,
    lease_token bigint NOT NULL,
    attempt     integer NOT NULL DEFAULT 1,
    status      text NOT NULL CHECK (status IN ('running', 'done', 'released')),
    result      text,
    note        text,
    claimed_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    PRIMARY KEY (loop_id, slot)
);
