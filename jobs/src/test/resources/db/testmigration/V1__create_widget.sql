-- A throwaway schema for the migration tests: not barcast's, which lives in sql/postgres/.
CREATE TABLE widget (
    id   BIGINT PRIMARY KEY,
    name TEXT NOT NULL
);
