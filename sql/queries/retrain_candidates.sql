-- Retrain requests, newest first, with their evidence: since when the model's rolling skill
-- against "no change" stayed below the threshold, and the errors behind it.
SELECT symbol, model_folder, model_version, below_since, as_of,
       round(skill::numeric, 4) AS skill, threshold,
       round(mae_percent::numeric, 4) AS mae_percent,
       round(naive_mae_percent::numeric, 4) AS naive_mae_percent,
       points, message
FROM retrain_requests
ORDER BY as_of DESC;
