-- Background jobs (the GridRepublic jobs dialect): the database is the queue every instance takes work from.

CREATE TABLE jobs (
    id           VARCHAR(64)  NOT NULL PRIMARY KEY,
    flow         VARCHAR(200) NOT NULL,
    app          VARCHAR(200) NOT NULL,
    tag          VARCHAR(200) NOT NULL,
    command_line TEXT         NOT NULL,
    prompt       TEXT         NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    log          TEXT         NOT NULL,
    created      BIGINT       NOT NULL,
    -- The order of the jobs of one submission (created is the same for all of them).
    position     INTEGER      NOT NULL,
    started      BIGINT       NOT NULL,
    ended        BIGINT       NOT NULL,
    instance     VARCHAR(300),
    error        TEXT
);
CREATE INDEX jobs_queue ON jobs (flow, status, created, position);
