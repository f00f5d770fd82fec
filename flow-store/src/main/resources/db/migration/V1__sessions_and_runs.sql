-- One schema for SQLite and PostgreSQL: portable types only, times as epoch milliseconds.

CREATE TABLE sessions (
    flow        VARCHAR(200) NOT NULL,
    id          VARCHAR(128) NOT NULL,
    created     BIGINT       NOT NULL,
    updated     BIGINT       NOT NULL,
    -- The run that has the session now, and until when (a process that died lets go when that passes).
    held_by     VARCHAR(64),
    held_until  BIGINT,
    PRIMARY KEY (flow, id)
);
CREATE INDEX sessions_updated ON sessions (updated);

CREATE TABLE session_messages (
    flow        VARCHAR(200) NOT NULL,
    session_id  VARCHAR(128) NOT NULL,
    seq         BIGINT       NOT NULL,
    role        VARCHAR(16)  NOT NULL,
    content     TEXT         NOT NULL,
    created     BIGINT       NOT NULL,
    PRIMARY KEY (flow, session_id, seq)
);

CREATE TABLE runs (
    id                VARCHAR(64)  NOT NULL PRIMARY KEY,
    flow              VARCHAR(200) NOT NULL,
    route             VARCHAR(100),
    key_name          VARCHAR(200),
    session_id        VARCHAR(128),
    instance          VARCHAR(300),
    started           BIGINT       NOT NULL,
    ended             BIGINT       NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    finish_reason     VARCHAR(16),
    prompt_tokens     INTEGER      NOT NULL,
    completion_tokens INTEGER      NOT NULL,
    error             TEXT,
    input             TEXT,
    output            TEXT,
    output_chars      BIGINT       NOT NULL,
    trace             TEXT         NOT NULL
);
CREATE INDEX runs_started ON runs (started);
CREATE INDEX runs_flow_started ON runs (flow, started);
CREATE INDEX runs_status_instance ON runs (status, instance);
CREATE INDEX runs_session ON runs (session_id);
