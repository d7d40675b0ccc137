-- Indexes the query API's status and models endpoints need: forecasts counted by when they were
-- made (in the last hour, in the last day by model) and dead letters by when they were first seen.
-- The tables' (symbol, time) indexes cannot answer these without reading every row.

-- The model columns are included so that the counts by model are read from the index alone.
CREATE INDEX predictions_by_predicted_at ON predictions (predicted_at)
    INCLUDE (model_folder, model_name, model_version);

CREATE INDEX dead_letters_by_first_seen ON dead_letters (first_seen_at);
